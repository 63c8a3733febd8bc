"""Typed readers for environment variables.

Settings read the environment only through these helpers, so that a typo such as
``DEBUG=ture`` stops the process with a clear message instead of silently meaning False.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nej", ""}

_MISSING = object()


def _raw(name, environ):
    environ = os.environ if environ is None else environ
    return environ.get(name)


def env_str(name, default=_MISSING, *, environ=None):
    """Return the variable as a string; without a default, a missing variable is an error.

    ``default=None`` means "optional": a missing variable gives None.
    """
    value = _raw(name, environ)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name, default=False, *, environ=None):
    value = _raw(name, environ)
    if value is None:
        return default
    normalised = value.strip().lower()
    if normalised in _TRUE:
        return True
    if normalised in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be a boolean (true/false, 1/0, yes/no), not {value!r}."
    )


def env_int(name, default=_MISSING, *, environ=None):
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {value!r}."
        ) from None


def env_list(name, default=(), *, environ=None):
    """A comma-separated list; blanks around items and empty items are dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
