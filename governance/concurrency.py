"""Optimistic locking: every editable record carries ``version``; a write based on an older
version is refused with StaleWrite instead of silently overwriting someone else's work."""

from django.utils.translation import gettext_lazy as _


class StaleWrite(Exception):
    """Someone else saved the record after the writer read it."""

    message = _("Someone else saved this in the meantime, so your change was not saved. "
                "Reload the page to see the latest version, then make your change again.")

    def __init__(self, instance=None):
        self.instance = instance
        super().__init__(str(self.message))


def locked(instance):
    """Re-read ``instance`` with a row lock, inside the caller's transaction. ``of=self`` locks only
    this row, never the rows a default ordering joins in (PostgreSQL refuses to lock the nullable
    side of an outer join)."""
    return type(instance)._default_manager.select_for_update(of=("self",)).get(pk=instance.pk)


def check_version(instance, expected_version):
    """Raise StaleWrite when the caller based the write on another version. ``None`` means the
    caller did not read a version (a system import, a fresh create) and is not checked."""
    if expected_version in (None, ""):
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise StaleWrite(instance) from None
    if instance.version != expected:
        raise StaleWrite(instance)


def set_author(instance, user):
    """Name ``user`` as the author of the history row the next save of ``instance`` writes.

    django-simple-history takes the author from the request (HistoryRequestMiddleware), but
    imports, management commands and tests have no request: services receive ``user`` and
    pass it on here, so the history names the right person on every route.
    """
    if user is not None and getattr(user, "pk", None) is not None:
        instance._history_user = user
    return instance


def save_created(instance, *, user=None):
    """Validate and save a new record, with ``user`` as the author of its history."""
    instance.full_clean()
    set_author(instance, user)
    instance.save()
    return instance


def save_new_version(instance, *, user=None, exclude_clean=()):
    """Validate and save ``instance`` as the next version (``user`` is the history's author)."""
    instance.full_clean(exclude=list(exclude_clean) or None)
    instance.version += 1
    set_author(instance, user)
    instance.save()
    return instance


def update_versioned(instance, *, expected_version, changes, user=None, exclude_clean=()):
    """Lock, check the version, apply ``changes`` (field → value), validate and save.

    Returns the fresh, saved instance. The caller runs inside a transaction and has
    checked permission.
    """
    current = locked(instance)
    check_version(current, expected_version)
    for field, value in changes.items():
        setattr(current, field, value)
    return save_new_version(current, user=user, exclude_clean=exclude_clean)
