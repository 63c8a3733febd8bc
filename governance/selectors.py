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


# --- API tokens ---------------------------------------------------------------------------------

def api_token_users(*, user):
    """The users a controller may create API tokens for: themselves, and active users whose every
    membership lies inside the part of the organisation the controller manages (an integration
    account, a colleague). Never a superuser, unless the one asking is one. The one rule both the
    token pages and ``token_create`` use."""
    from django.db.models import Q

    from governance.models import Membership, User

    user_scope = scope.scope_for(user)
    active = User.objects.filter(is_active=True)
    if user_scope.is_everything:
        return active
    if not user_scope.has_any(scope.Action.MANAGE_ORGANISATION):
        return User.objects.none()
    managed = user_scope.units_for(scope.Action.MANAGE_ORGANISATION)
    outside = Membership.objects.exclude(org_unit__in=managed).values("user_id")
    inside = User.objects.filter(memberships__org_unit__in=managed).exclude(pk__in=outside).values("pk")
    return active.filter(is_superuser=False).filter(Q(pk=user.pk) | Q(pk__in=inside)).order_by("username")


def api_token_list(*, user):
    """The tokens of the users ``user`` may create tokens for, newest first."""
    from governance.models import ApiToken

    return (ApiToken.objects.filter(user__in=api_token_users(user=user))
            .select_related("user", "created_by").order_by("-created_at", "-pk"))


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
