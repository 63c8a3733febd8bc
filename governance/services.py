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


# --- API tokens and integration accounts ------------------------------------------------------
#
# A key never carries more rights than the person who creates it and never acts as another
# person: it is the creator's own, or an integration account's whose memberships the creator set
# within their own rights (the rules are governance.selectors', "API tokens and integration
# accounts"). Every face (the token pages, the command, a future API) comes through here.

def require_token_manager(user):
    """Only controllers (and superusers) who are people manage keys and integration accounts:
    the token pages and every service below ask this."""
    from governance.selectors import may_manage_api_tokens

    if not may_manage_api_tokens(user):
        raise PermissionDenied(_("Only controllers manage API tokens."))


def _clean_memberships(user, memberships):
    """The (org unit, role) pairs asked for, each checked against ``user``'s own rights."""
    from django.core.exceptions import ValidationError

    from governance.models import Role
    from governance.selectors import may_grant

    pairs = []
    for org_unit, role in memberships:
        if role not in Role.values:
            raise ValidationError({"memberships": [_("Unknown role %(role)s.") % {"role": role}]})
        if not isinstance(org_unit, OrgUnit):
            raise ValidationError({"memberships": [_("Choose an organisational unit for every role.")]})
        if not may_grant(user, org_unit, role):
            raise PermissionDenied(
                _("You cannot give an integration account the role %(role)s at %(unit)s: "
                  "only a role you hold there yourself.") % {"role": Role(role).label, "unit": org_unit})
        if (org_unit.pk, role) not in {(u.pk, r) for u, r in pairs}:
            pairs.append((org_unit, role))
    if not pairs:
        raise ValidationError({"memberships": [_("Give the integration account at least one role.")]})
    return pairs


def _clean_integration_name(name):
    """An integration account's name (its ``first_name``), within that field's bound."""
    from django.core.exceptions import ValidationError

    from governance.extensions import text_limit
    from governance.models import User

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the integration account a name, e.g. the source system's.")]})
    limit = text_limit(User, "first_name")
    if len(name) > limit:
        raise ValidationError({"name": [_("The name can be at most %(limit)s characters.") % {"limit": limit}]})
    return name


def _unique_username(name):
    from django.utils.text import slugify

    from governance.models import User

    base = ("integration-" + (slugify(name) or "konto"))[:140]
    username, number = base, 1
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


@transaction.atomic
def integration_account_create(*, user, name, memberships):
    """Create an integration account ("integrationskonto") named ``name`` with exactly the
    ``memberships`` given, (org unit, role) pairs, each of which must lie within ``user``'s own
    rights (``governance.selectors.may_grant``). It cannot log in (governance.models.User) and is
    used only through its keys. Returns the account."""
    from django.core.exceptions import ValidationError

    from governance.concurrency import save_created
    from governance.models import User

    require_token_manager(user)
    name = _clean_integration_name(name)
    pairs = _clean_memberships(user, memberships)
    account = User(username=_unique_username(name), first_name=name, is_integration=True,
                   integration_created_by=user)
    account.set_unusable_password()
    account.full_clean(exclude=["password"])
    account.save()
    for org_unit, role in pairs:
        save_created(Membership(user=account, org_unit=org_unit, role=role), user=user)
    scope.forget_scope(account)
    return account


@transaction.atomic
def integration_account_update(*, user, account, name=None, memberships):
    """Set the integration account's name and memberships (all of them: those not given are
    removed), by the same rule as when it was created: ``user`` must manage the account and may
    give only roles they hold."""
    from django.core.exceptions import ValidationError

    from governance.concurrency import save_created, set_author
    from governance.models import User
    from governance.selectors import may_manage_integration

    require_token_manager(user)
    account = User.objects.select_for_update().filter(pk=account.pk, is_integration=True).first()
    if account is None or not may_manage_integration(user, account):
        raise PermissionDenied(_("You cannot manage this integration account."))
    if name is not None:
        account.first_name = _clean_integration_name(name)
        account.save(update_fields=["first_name"])
    wanted = {(org_unit.pk, role): (org_unit, role) for org_unit, role in _clean_memberships(user, memberships)}
    for membership in account.memberships.all():
        if (membership.org_unit_id, membership.role) in wanted:
            del wanted[(membership.org_unit_id, membership.role)]
        else:
            set_author(membership, user)
            membership.delete()
    for org_unit, role in wanted.values():
        save_created(Membership(user=account, org_unit=org_unit, role=role), user=user)
    scope.forget_scope(account)
    return account


@transaction.atomic
def token_create(*, user, for_user=None, name, expires_at=None):
    """Create an API key: ``user``'s own (``for_user`` None or ``user``), or one for an integration
    account ``user`` manages. Never for another person, whoever asks (a superuser neither).

    Returns ``(token, key)``: the key is shown once and only its SHA-256 hash is kept.
    """
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from governance.models import ApiToken
    from governance.selectors import may_manage_integration

    require_token_manager(user)
    for_user = user if for_user is None else for_user
    if for_user.pk != user.pk:
        if not for_user.is_integration:
            raise PermissionDenied(_("A key acts as the one who creates it or as an integration account, "
                                     "never as another person."))
        if not may_manage_integration(user, for_user):
            raise PermissionDenied(_("You cannot manage API tokens for %(user)s.") % {"user": for_user})
    if not for_user.is_active:
        raise PermissionDenied(_("%(user)s is deactivated.") % {"user": for_user})
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
def token_revoke(*, user, token, reason=""):
    """Revoke a key at once (one ``user`` sees in ``api_token_list``, also one whose user lost
    every membership); revoking a revoked key changes nothing."""
    from django.utils import timezone

    from governance.selectors import api_token_list

    current = api_token_list(user=user).select_for_update(of=("self",)).filter(pk=token.pk).first()
    if current is None:
        raise PermissionDenied(_("You cannot manage this API token."))
    if current.revoked_at is None:
        current.revoked_at, current.revoked_by = timezone.now(), user
        current.revocation_reason = (reason or "").strip()[:200]
        current.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return current
