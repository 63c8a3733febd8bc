"""Production settings pass Django's deployment checks; every response carries the security
headers; sessions expire; weak passwords are refused."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from governance.models import User
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parent.parent.parent


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                        "SECURE_HSTS_PRELOAD", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "BEHIND_PROXY", "SESSION_COOKIE_AGE",
                        # set by the browser tests' conftest for the test process only
                        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="tillit.kommun.example")
    env.update(extra)
    return env


def _run(code, **env):
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_production_env(**env),
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production(tmp_path):
    # As in production, against a migrated database: drf-spectacular's deployment check builds
    # the API schema, and that reads the database.
    database = f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}"
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT,
                             env=_production_env(DATABASE_URL=database), capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=_production_env(DATABASE_URL=database), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


PRINT_SETTINGS = (
    "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup();"
    "from django.conf import settings as s;"
    "print(json.dumps({k: getattr(s, k, None) for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SESSION_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'AXES_IPWARE_PROXY_COUNT', 'SESSION_COOKIE_AGE']}))"
)


def test_production_settings_are_secure_by_default():
    result = _run(PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True, "SECURE_PROXY_SSL_HEADER": None, "AXES_IPWARE_PROXY_COUNT": None,
        "SESSION_COOKIE_AGE": 8 * 3600,
    }


def test_behind_a_proxy_https_and_client_addresses_come_from_the_proxy_headers():
    result = _run(PRINT_SETTINGS, BEHIND_PROXY="true", SECURE_HSTS_SECONDS="600", SESSION_COOKIE_AGE="3600")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["AXES_IPWARE_PROXY_COUNT"] == 1
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SESSION_COOKIE_AGE"] == 3600


def test_a_misspelt_security_flag_stops_the_start():
    result = _run(PRINT_SETTINGS, SECURE_SSL_REDIRECT="ja tack")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr


EXPECTED_CSP = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "object-src": "'none'", "base-uri": "'self'", "frame-ancestors": "'none'", "form-action": "'self'",
}


def _csp(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_pages_carry_a_strict_content_security_policy_and_security_headers(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert _csp(response) == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_logged_in_pages_carry_the_policy_too(client, unit_manager):
    client.force_login(unit_manager)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert _csp(response) == EXPECTED_CSP


def test_session_cookie_is_http_only_and_expires(client, login_throttling):
    make_user("anna")
    response = client.post(reverse("login"), {"username": "anna", "password": "test-password-123"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # Expires when the browser closes (no max-age on the cookie) and on the server after 8 hours.
    assert cookie["max-age"] == ""
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert client.session.get_expiry_age() == 8 * 3600


@pytest.mark.parametrize("weak", ["kort", "1234567890123", "password123", "annaanna1234"])
def test_a_weak_password_is_refused_on_the_password_change_form(client, db, weak):
    user = make_user("annaanna", is_staff=True)
    client.force_login(user)
    response = client.post(reverse("admin:password_change"), {
        "old_password": "test-password-123", "new_password1": weak, "new_password2": weak})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password("test-password-123")


def test_a_strong_password_is_accepted_on_the_password_change_form(client, db):
    user = make_user("anna", is_staff=True)
    client.force_login(user)
    response = client.post(reverse("admin:password_change"), {
        "old_password": "test-password-123", "new_password1": "Blåbärssoppa i Vasaloppet", "new_password2": "Blåbärssoppa i Vasaloppet"})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("Blåbärssoppa i Vasaloppet")
