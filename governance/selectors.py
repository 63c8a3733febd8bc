"""Reads of the organisation and the calendar, always through the user's scope."""

from governance import scope
from governance.models import OrgUnit, OrgUnitKind, Period, PoliticalGoal


def org_unit_list(*, user, kind=None):
    units = scope.readable_units(user)
    if kind:
        units = units.filter(kind=kind)
    return units.order_by("path")


def board_list(*, user):
    return org_unit_list(user=user, kind=OrgUnitKind.BOARD)


def political_goal_list(*, user, board=None, year=None):
    goals = PoliticalGoal.objects.filter(board__in=scope.readable_units(user)).select_related("area", "board")
    if board is not None:
        goals = goals.filter(board=board)
    if year is not None:
        goals = goals.filter(valid_from__lte=year, valid_to__gte=year)
    return goals.order_by("board", "order", "code")


def period_for_code(*, year, kind, number):
    return Period.objects.select_related("year").get(year__year=year, kind=kind, number=number)


def unit_for_external_code(*, user, code):
    """The readable unit with this external code, or None."""
    return scope.readable_units(user).filter(external_code=code).first()


def team_list(*, user, unit: OrgUnit):
    return scope.readable_units(user).filter(parent=unit, kind=OrgUnitKind.TEAM).order_by("name")


# --- API tokens and integration accounts ------------------------------------------------------
#
# The rules (issue 12; README "API"):
# - Only controllers (Action.MANAGE_ORGANISATION somewhere) and superusers manage keys; an
#   integration account never does.
# - A controller *may grant* an integration account a role at a unit when they manage the
#   organisation there and hold that very role at the unit or above it (a controller gives
#   ``controller`` rights within their subtree, ``board_member`` only if they are one there, never
#   ``unit_manager`` or ``team_member`` unless they hold it there). A superuser may grant any role
#   anywhere (as in the admin), but never their superuser status.
# - A controller *manages* an integration account when they may grant every membership it has;
#   one without memberships is managed by the controller who created it.
# - The token list shows a controller the keys they created, their own, the keys of users whose
#   every membership lies inside the part of the organisation they manage, and the keys of users
#   who have no membership left but had one there (membership history): a key whose user lost
#   their memberships stays listed and revocable for the controllers of where the user was, and
#   for nobody else, so no other part of the organisation shows. Superusers see every key.

def may_manage_api_tokens(user):
    """Whether ``user`` may open the token pages: a superuser, or a controller who is a person."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or getattr(user, "is_integration", False):
        return False
    return scope.scope_for(user).has_any(scope.Action.MANAGE_ORGANISATION)


def may_grant(user, org_unit, role):
    """Whether ``user`` may give an integration account ``role`` at ``org_unit`` (see above)."""
    if not may_manage_api_tokens(user) or org_unit is None:
        return False
    user_scope = scope.scope_for(user)
    if user_scope.is_everything:
        return True
    if not user_scope.can(scope.Action.MANAGE_ORGANISATION, org_unit):
        return False
    return any(grant.role == role and grant.covers(org_unit.path) for grant in user_scope.grants)


def grantable_units(*, user):
    """The units where ``user`` may give an integration account some role (the managed ones)."""
    if not may_manage_api_tokens(user):
        from governance.models import OrgUnit

        return OrgUnit.objects.none()
    return scope.units_for(user, scope.Action.MANAGE_ORGANISATION).filter(is_active=True).order_by("path")


def may_manage_integration(user, account):
    """Whether ``user`` manages the integration account ``account`` (see above)."""
    if not getattr(account, "is_integration", False) or not may_manage_api_tokens(user):
        return False
    if scope.scope_for(user).is_everything:
        return True
    memberships = list(account.memberships.all())  # prefetched (with their units) by integration_account_list
    if not memberships:
        return account.integration_created_by_id == user.pk
    return all(may_grant(user, m.org_unit, m.role) for m in memberships)


def integration_account_list(*, user):
    """The integration accounts ``user`` manages, by name."""
    from governance.models import User

    if not may_manage_api_tokens(user):
        return []
    accounts = (User.objects.filter(is_integration=True).prefetch_related("memberships__org_unit")
                .order_by("first_name", "username"))
    if scope.scope_for(user).is_everything:
        return list(accounts)
    managed = scope.units_for(user, scope.Action.MANAGE_ORGANISATION)
    from django.db.models import Q

    from governance.models import Membership

    outside = Membership.objects.exclude(org_unit__in=managed).values("user_id")
    accounts = accounts.exclude(pk__in=outside).filter(Q(memberships__isnull=False) | Q(integration_created_by=user))
    return [account for account in accounts.distinct() if may_manage_integration(user, account)]


def api_token_users(*, user):
    """The users ``user`` may create a key for: themselves and the integration accounts they
    manage (``governance.services.token_create`` asks the same). Never another person."""
    from django.db.models import Q

    from governance.models import User

    if not may_manage_api_tokens(user):
        return User.objects.none()
    accounts = [account.pk for account in integration_account_list(user=user) if account.is_active]
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=accounts)).order_by("-is_integration", "first_name", "username")


def api_token_list(*, user):
    """The keys ``user`` sees and may revoke (see above), newest first."""
    from django.db.models import Q

    from governance.models import ApiToken, Membership, User

    tokens = ApiToken.objects.select_related("user", "created_by", "revoked_by").order_by("-created_at", "-pk")
    if not may_manage_api_tokens(user):
        return tokens.none()
    if scope.scope_for(user).is_everything:
        return tokens
    managed = scope.units_for(user, scope.Action.MANAGE_ORGANISATION)
    people = User.objects.filter(is_superuser=False)
    outside = Membership.objects.exclude(org_unit__in=managed).values("user_id")
    inside = people.filter(memberships__org_unit__in=managed).exclude(pk__in=outside).values("pk")
    was_inside = Membership.history.filter(org_unit_id__in=managed.values("pk")).values("user_id")
    lost = people.filter(memberships__isnull=True, pk__in=was_inside).values("pk")
    return tokens.filter(Q(user=user) | Q(created_by=user) | Q(user__in=inside) | Q(user__in=lost))


def membership_list(*, user):
    """Memberships in the subtrees the user's own memberships cover (not the units above them:
    reading up the tree shows the board's goals, not who sits on it), and the user's own."""
    from django.db.models import Q

    from governance.models import Membership

    user_scope = scope.scope_for(user)
    memberships = Membership.objects.select_related("user", "org_unit").order_by("org_unit__path", "role", "user__username")
    if user_scope.is_everything:
        return memberships
    if not getattr(user, "is_authenticated", False):
        return memberships.none()
    condition = Q(user=user)
    for grant in user_scope.grants:
        condition |= Q(org_unit__path__startswith=grant.path)
    return memberships.filter(condition)
