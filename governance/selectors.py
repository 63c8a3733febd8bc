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
