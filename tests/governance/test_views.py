"""Logging in, landing on the page of one's role, the menu, and the language switch."""

import pytest
from django.urls import reverse


def test_anonymous_visitor_is_sent_to_the_login_page(client, org):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_login_page_is_swedish_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
    assert "Användarnamn" in response.content.decode()


def test_wrong_password_gives_a_message_not_an_error(client, unit_manager):
    response = client.post(reverse("login"), {"username": "enhetschef", "password": "fel"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


@pytest.mark.parametrize("who,landing", [
    ("team_member", "scorecards:team"),
    ("unit_manager", "scorecards:my-scorecard"),
    ("board_member", "reporting:goal-report"),
    ("controller", "reporting:rounds"),
])
def test_each_role_lands_on_its_own_page(client, request, who, landing):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse(landing)


def test_user_without_a_role_is_told_what_to_do(client, outsider):
    client.force_login(outsider)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["navigation"] == []


def test_menu_shows_only_the_pages_of_the_users_roles(client, team_member, rf):
    from governance.navigation import menu_for

    urls = [item["url"] for item in menu_for(team_member)]
    assert urls == [reverse("scorecards:team")]


def test_controller_with_staff_access_sees_the_administration_in_the_menu(controller):
    from governance.navigation import menu_for

    controller.is_staff = True
    urls = [item["url"] for item in menu_for(controller)]
    assert reverse("reporting:rounds") in urls and reverse("admin:index") in urls


def test_english_is_available_through_the_language_switch(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Username" in response.content.decode()


def test_logging_out_is_a_post(client, unit_manager):
    client.force_login(unit_manager)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_a_missing_page_is_a_swedish_404_inside_the_layout(client, unit_manager):
    client.force_login(unit_manager)
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="sv">' in html and "<main" in html and "Sidan finns inte" in html


def test_a_stale_form_token_gets_a_clear_page_not_a_technical_one(db, unit_manager):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(unit_manager)
    response = client.post("/logga-ut/")
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.content.decode()


def test_pages_declare_their_icon_so_browsers_never_ask_for_favicon_ico(client):
    from django.contrib.staticfiles import finders

    html = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("img/favicon.svg")
