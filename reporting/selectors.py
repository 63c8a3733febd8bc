"""Reads of reporting rounds and follow-ups, always scoped to the user. HTML views and the API
start from these; none filters by scope on its own. Each runs a fixed number of queries."""

from dataclasses import dataclass

from governance import scope
from governance.models import OrgUnit, OrgUnitKind
from reporting.models import FollowUp, ReportingRound
from scorecards.models import ScorecardGoal

# The kinds of unit that write follow-ups (the service refuses any other).
WRITING_KINDS = (OrgUnitKind.UNIT, OrgUnitKind.DEPARTMENT, OrgUnitKind.TEAM)


def _board_id(unit):
    ids = unit.ancestor_ids()
    return ids[0] if ids else unit.pk


def open_round_for(unit):
    """The open round of the board ``unit`` reports to, or None. When several are open (a
    tertial and the year), the one with the nearest deadline. The caller has scoped ``unit``."""
    return (ReportingRound.objects.filter(board_id=_board_id(unit), state=ReportingRound.State.OPEN)
            .select_related("period__year").order_by("deadline", "pk").first())


def round_get(*, user, pk):
    """One round of a board the user may read, or ReportingRound.DoesNotExist."""
    return (ReportingRound.objects.filter(board__in=scope.readable_units(user))
            .select_related("board", "period__year").get(pk=pk))


def follow_up_goals(*, org_unit, reporting_round):
    """The scorecard goals ``org_unit`` follows up in the round: its own scorecard's goals for
    the round's year, or, for a team, its unit's."""
    unit_ids = [org_unit.pk] + ([org_unit.parent_id] if org_unit.kind == OrgUnitKind.TEAM else [])
    return (ScorecardGoal.objects.filter(scorecard__unit_id__in=unit_ids, scorecard__year_id=reporting_round.period.year_id)
            .select_related("perspective", "scorecard").order_by("perspective__order", "order", "pk"))


@dataclass
class GoalFollowUp:
    """One unit goal and the follow-up ``org_unit`` has written for it in the round (or None)."""

    goal: ScorecardGoal
    follow_up: FollowUp | None

    @property
    def state(self):
        return self.follow_up.state if self.follow_up else None


def follow_ups_by_goal(*, user, org_unit, reporting_round):
    """Every goal ``org_unit`` follows up in the round, each with its follow-up or None: the
    team page's list. Two queries."""
    scope.require_read(user, org_unit)
    goals = list(follow_up_goals(org_unit=org_unit, reporting_round=reporting_round))
    follow_ups = {f.scorecard_goal_id: f for f in FollowUp.objects.filter(
        round=reporting_round, org_unit=org_unit, scorecard_goal__in=[g.pk for g in goals])}
    return [GoalFollowUp(goal=goal, follow_up=follow_ups.get(goal.pk)) for goal in goals]


@dataclass
class FollowUpTarget:
    """What one follow-up page is about: a round, the unit or team writing, and its goal."""

    round: ReportingRound
    org_unit: OrgUnit
    goal: ScorecardGoal
    follow_up: FollowUp | None

    @property
    def round_is_open(self):
        return self.round.state == ReportingRound.State.OPEN


def follow_up_target(*, user, round_pk, unit_pk, goal_pk):
    """The follow-up of unit or team ``unit_pk`` for goal ``goal_pk`` in round ``round_pk``.

    Raises ObjectDoesNotExist (a 404) when the user may not read the unit or the round, when the
    unit does not report to the round's board, or when the goal is not one it follows up.
    """
    org_unit = (scope.readable_units(user).filter(kind__in=WRITING_KINDS)
                .select_related("parent").get(pk=unit_pk))
    reporting_round = round_get(user=user, pk=round_pk)
    if not org_unit.path.startswith(reporting_round.board.path):
        raise OrgUnit.DoesNotExist("The unit does not report to this round's board.")
    goal = (follow_up_goals(org_unit=org_unit, reporting_round=reporting_round)
            .select_related("scorecard__unit", "scorecard__year").prefetch_related("political_goals").get(pk=goal_pk))
    follow_up = (FollowUp.objects.filter(round=reporting_round, org_unit=org_unit, scorecard_goal=goal)
                 .select_related("author", "reviewed_by").first())
    return FollowUpTarget(round=reporting_round, org_unit=org_unit, goal=goal, follow_up=follow_up)

