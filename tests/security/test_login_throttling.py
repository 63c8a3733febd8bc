"""Login attempts are throttled per user name and address (django-axes), with a clear message."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from governance.models import User
from tests.conftest import make_user

PASSWORD = "test-password-123"


@pytest.fixture
def anna(login_throttling):
    return make_user("anna")


def _post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _fail(client, username, times):
    return [_post_login(client, username, "wrong-password-!") for _ in range(times)]


def test_four_bad_logins_are_ordinary_failures(client, anna, settings):
    responses = _fail(client, "anna", settings.AXES_FAILURE_LIMIT - 1)
    assert [r.status_code for r in responses] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert "locked_out" not in responses[-1].context


def test_five_bad_logins_lock_the_user_with_a_clear_message(client, anna, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    responses = _fail(client, "anna", 5)
    locked = responses[-1]
    assert locked.status_code == 429
    assert locked.context["locked_out"] is True
    assert locked.context["lockout_minutes"] == 15
    html = locked.content.decode()
    assert 'id="login-locked"' in html and 'role="alert"' in html
    # The login form stays on the page, so the person can try again after the cool-off.
    assert 'name="username"' in html and 'value="anna"' in html


def test_lockout_message_says_what_happened_and_for_how_long(client, anna):
    for _ in range(5):  # English explicitly: the Swedish catalogue is merged separately
        response = client.post(reverse("login"), {"username": "anna", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed login attempts" in text
    assert "Try again in 15 minutes." in text


def test_correct_password_is_refused_while_locked(client, anna):
    _fail(client, "anna", 5)
    response = _post_login(client, "anna", PASSWORD)
    assert response.status_code == 429
    assert response.context["locked_out"] is True
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still not logged in


def test_another_user_from_the_same_address_can_still_log_in(client, anna):
    make_user("bertil")
    _fail(client, "anna", 5)
    response = _post_login(client, "bertil", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="bertil").pk)


def test_the_same_user_from_another_address_is_not_locked(anna):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    _fail(attacker, "anna", 5)
    assert _post_login(attacker, "anna", PASSWORD).status_code == 429
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    assert _post_login(colleague, "anna", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, anna):
    _fail(client, "anna", 4)
    assert _post_login(client, "anna", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    responses = _fail(client, "anna", 4)
    assert responses[-1].status_code == 200
    assert _post_login(client, "anna", PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, anna):
    _fail(client, "anna", 5)
    assert _post_login(client, "anna", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    assert _post_login(client, "anna", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, login_throttling):
    make_user("chef", is_staff=True)
    for _ in range(5):
        response = client.post(reverse("admin:login"), {"username": "chef", "password": "nope-nope-nope"})
    assert response.status_code == 429
    assert _post_login(client, "chef", PASSWORD).status_code == 429
