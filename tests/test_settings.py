"""Settings come from the environment through typed helpers, and refuse unsafe production setups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("raw,expected", [("1", True), ("true", True), ("True", True), (" yes ", True), ("on", True),
                                          ("0", False), ("false", False), ("no", False), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("X", environ={"X": raw}) is expected


def test_env_bool_uses_the_default_when_unset():
    assert env_bool("X", default=True, environ={}) is True


def test_env_bool_refuses_a_typo_instead_of_guessing():
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", environ={"DEBUG": "ture"})


def test_env_str_without_default_is_required():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env_str("SECRET_KEY", environ={})
    assert env_str("SECRET_KEY", default=None, environ={}) is None
    assert env_str("A", environ={"A": "b"}) == "b"


def test_env_int_parses_and_explains_bad_numbers():
    assert env_int("N", environ={"N": " 42 "}) == 42
    assert env_int("N", default=7, environ={}) == 7
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", environ={"N": "4,2"})


def test_env_list_splits_on_commas_and_drops_blanks():
    assert env_list("H", environ={"H": "a.se, b.se,,"}) == ["a.se", "b.se"]
    assert env_list("H", default=["x"], environ={}) == ["x"]


def test_swedish_is_the_default_language_with_english_available():
    assert settings.LANGUAGE_CODE == "sv"
    assert [code for code, _ in settings.LANGUAGES] == ["sv", "en"]
    assert settings.TIME_ZONE == "Europe/Stockholm"


def _django_check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    clean.update(env)
    return subprocess.run([sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
                           "django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"],
                          cwd=ROOT, env=clean, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = _django_check(DEBUG="false", ALLOWED_HOSTS="tillit.example.se")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = _django_check(DEBUG="false", ALLOWED_HOSTS="tillit.example.se", SECRET_KEY="dev-only-not-secret-tillit")
    assert result.returncode != 0
    assert "development SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _django_check(DEBUG="false", SECRET_KEY="a-real-secret-" + "x" * 40)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_secret_key_and_hosts_and_reads_database_url():
    result = _django_check(DEBUG="false", SECRET_KEY="a-real-secret-" + "x" * 40, ALLOWED_HOSTS="tillit.example.se",
                           DATABASE_URL="postgres://tillit@db.example.se:5432/tillit")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_demo_defaults_need_no_configuration_and_use_sqlite():
    result = _django_check()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def _cache_backend(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TILLIT_CACHE")}
    clean.update(env, DEBUG="true")
    result = subprocess.run([sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                             "'config.settings'); django.setup(); from django.conf import settings; "
                             "c = settings.CACHES['default']; print(c['BACKEND'], c.get('LOCATION', ''), "
                             "c.get('OPTIONS', {}).get('MAX_ENTRIES', ''))"],
                            cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_chart_cache_is_the_processs_memory_unless_a_cache_url_is_given():
    assert _cache_backend() == ["django.core.cache.backends.locmem.LocMemCache", "500"]
    assert _cache_backend(TILLIT_CACHE_MAX_ENTRIES="50") == ["django.core.cache.backends.locmem.LocMemCache", "50"]
    assert _cache_backend(TILLIT_CACHE_URL="redis://127.0.0.1:6379/1") == [
        "django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/1"]
