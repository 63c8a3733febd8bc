"""Logging in through the real login page in Chromium."""

import pytest

from governance.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_login_page_is_accessible_and_in_swedish(page, live_server, assert_accessible, transactional_db):
    page.goto(f"{live_server.url}/logga-in/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_label("Användarnamn").is_visible()
    assert_accessible("login page")


def test_wrong_password_is_explained_on_the_page(page, live_server, transactional_db):
    make_user("enhetschef")
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("enhetschef")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    assert page.locator(".error-summary").is_visible()
    assert "/logga-in/" in page.url


def test_keyboard_user_can_log_in_and_land_on_their_page(page, live_server, org, transactional_db):
    make_user("medarbetare", (org.north, Role.TEAM_MEMBER), first_name="Sara", last_name="Nilsson")
    page.goto(f"{live_server.url}/logga-in/")
    for _ in range(10):  # skip link, brand, language switch, then the form
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_username":
            break
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("medarbetare")
    page.keyboard.press("Tab")
    page.keyboard.type("test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/team/")
    assert "Sara Nilsson" in page.locator(".user-menu").inner_text()
