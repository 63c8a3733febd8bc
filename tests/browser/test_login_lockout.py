"""Five wrong passwords through the real login form lock that user name from this browser's
address, with a clear, accessible message; another user can still log in from the same place."""

import pytest

from governance.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def _try(page, base, username, password):
    page.goto(f"{base}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Logga in").click()
    return navigation.value


def test_five_wrong_passwords_lock_the_login_with_a_message(page, live_server, org, transactional_db, assert_accessible):
    make_user("enhetschef", (org.family, Role.UNIT_MANAGER))
    make_user("medarbetare", (org.north, Role.TEAM_MEMBER))
    statuses = [_try(page, live_server.url, "enhetschef", f"fel-{i}").status for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert page.locator("#login-locked").is_visible()
    assert page.locator("#login-locked").get_attribute("role") == "alert"
    assert page.get_by_label("Användarnamn").input_value() == "enhetschef"
    assert_accessible("lockout page")

    assert _try(page, live_server.url, "enhetschef", "test-password-123").status == 429
    _try(page, live_server.url, "medarbetare", "test-password-123")
    assert page.url.endswith("/team/")
