"""Writes to the organisation, memberships and the reporting calendar. Each function is
keyword-only, runs in one transaction and checks permission itself."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from governance import scope
from governance.models import Membership, OrgUnit, Period, ReportingYear
from governance.periods import year_calendar
from governance.scope import Action


@transaction.atomic
def reporting_year_create(*, user, year):
    """Create a reporting year with its nested periods; returns the existing one unchanged if
    it is already there (so setting up a year twice is harmless)."""
    if not scope.scope_for(user).has_any(Action.MANAGE_ROUNDS):
        raise PermissionDenied(_("Only a controller can set up reporting years."))
    existing = ReportingYear.objects.filter(year=year).first()
    if existing:
        return existing
    reporting_year = ReportingYear(year=year)
    reporting_year.full_clean()
    reporting_year.save()
    _create_periods(reporting_year, year_calendar(year), parent=None)
    return reporting_year


def _create_periods(reporting_year, spec, parent):
    period = Period.objects.create(
        year=reporting_year, kind=spec.kind, number=spec.number, start=spec.start, end=spec.end, parent=parent
    )
    for child in spec.children:
        _create_periods(reporting_year, child, parent=period)
    return period


@transaction.atomic
def org_unit_create(*, user, name, kind, parent=None, external_code=""):
    if parent is None:
        if not scope.scope_for(user).is_everything:
            raise PermissionDenied(_("Only an administrator can create a new board."))
    else:
        scope.require(user, Action.MANAGE_ORGANISATION, parent)
    unit = OrgUnit(name=name, kind=kind, parent=parent, external_code=external_code)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    return unit


@transaction.atomic
def membership_create(*, user, member, org_unit, role, valid_from=None, valid_to=None):
    scope.require(user, Action.MANAGE_ORGANISATION, org_unit)
    membership = Membership(user=member, org_unit=org_unit, role=role, valid_from=valid_from, valid_to=valid_to)
    membership.full_clean()
    membership.save()
    scope.forget_scope(member)
    return membership


# --- API tokens ---------------------------------------------------------------------------------

def _require_token_manager(user, for_user):
    from governance.selectors import api_token_users

    if not api_token_users(user=user).filter(pk=for_user.pk).exists():
        raise PermissionDenied(_("You cannot manage API tokens for %(user)s.") % {"user": for_user})


@transaction.atomic
def token_create(*, user, for_user, name, expires_at=None):
    """Create an API token that acts as ``for_user`` with exactly that user's scope.

    Returns ``(token, key)``: the key is shown once and only its SHA-256 hash is kept.
    """
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from governance.models import ApiToken

    _require_token_manager(user, for_user)
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the token a name that says what it is for.")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must lie in the future.")]
    if errors:
        raise ValidationError(errors)
    key = ApiToken.generate_key()
    token = ApiToken(name=name, user=for_user, key_hash=ApiToken.hash_key(key),
                     key_prefix=key[:ApiToken.KEY_PREFIX_LENGTH], created_by=user, expires_at=expires_at)
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, user, token):
    """Revoke a token at once; revoking a revoked token changes nothing."""
    from django.utils import timezone

    _require_token_manager(user, token.user)
    current = type(token).objects.select_for_update().get(pk=token.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
    return current
