import pytest


@pytest.fixture
def login_throttling(settings, db):
    """django-axes switched on (tests/conftest.py switches it off for tests that use client.login)."""
    settings.AXES_ENABLED = True
    return settings
