"""Reads of reporting rounds and follow-ups, always scoped to the user. HTML views and the API
start from these; none filters by scope on its own. Each runs a fixed number of queries."""

from dataclasses import dataclass

from governance import scope
from governance.models import OrgUnit, OrgUnitKind, PoliticalGoal
from reporting.models import REPORTING_KINDS, FollowUp, ReportingRound, can_read_follow_up
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


def round_political_goal(*, reporting_round, pk):
    """The political goal ``pk`` of the round's board (read as the round is), or None. Whether it is
    in force in the round's year is for the report to say (it lists only those)."""
    return PoliticalGoal.objects.filter(board=reporting_round.board_id, pk=pk).first()


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
    follow_ups = {f.scorecard_goal_id: f for f in FollowUp.objects.readable_by(user).filter(
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
    unit does not report to the round's board, or when the goal is not one it follows up; and
    when its follow-up is one the user may not read (a draft read by the board: as in the API).
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
    if follow_up is not None:
        follow_up.org_unit = org_unit  # loaded already
    if follow_up is not None and not can_read_follow_up(user, follow_up):
        raise FollowUp.DoesNotExist("A follow-up in progress, read only by its writers and their manager.")
    return FollowUpTarget(round=reporting_round, org_unit=org_unit, goal=goal, follow_up=follow_up)



# --- rounds and board reports: the goal report pages and the API -------------------------------

def readable_rounds(user):
    """Rounds of every board the user may read, latest first within each board."""
    boards = scope.readable_units(user).filter(kind=OrgUnitKind.BOARD)
    return list(ReportingRound.objects.filter(board__in=boards).select_related("board", "period__year")
                .order_by("board__path", "-period__end", "period__start"))


def round_list(*, user):
    """The same rounds as a queryset (the API paginates and filters it)."""
    boards = scope.readable_units(user).filter(kind=OrgUnitKind.BOARD)
    return (ReportingRound.objects.filter(board__in=boards).select_related("board", "period__year")
            .order_by("board__path", "-period__end", "period__start", "pk"))


def reads_whole_report(user, board):
    """Whether the user reads the board's report as a whole: a member of the board itself, or
    a controller who compiles it. Others read their own part of the organisation."""
    from governance.scope import Action

    return bool(scope.roles_for(user, board)) or scope.can(user, Action.COMPILE_BOARD_REPORT, board)


def adopted_snapshot(user, reporting_round):
    """The round's latest report when it is adopted (frozen) and the user reads the report as a
    whole; else None (the pages show live data, limited to the user's part)."""
    from reporting.evidence import latest_board_report

    report = latest_board_report(reporting_round)
    if report is None or not report.is_adopted:  # an adopted report always has its snapshot
        return None
    if not reads_whole_report(user, reporting_round.board):
        return None
    return report


def board_report_list(*, user):
    """Every version of the board reports of the boards the user may read."""
    from reporting.models import BoardReport

    boards = scope.readable_units(user).filter(kind=OrgUnitKind.BOARD)
    return (BoardReport.objects.filter(board__in=boards).select_related("board", "round__period")
            .defer("snapshot", "snapshot_index")
            .order_by("board__path", "-round__period__end", "round__period__start", "-version_number"))


def board_report_content(*, user, reporting_round, report=None, today=None, political_goal=None):
    """What a board report says, as JSON-able data (``reporting.snapshot``'s shape), and whether
    it is the frozen snapshot. An adopted report, for those who read it as a whole, is its
    snapshot and never live data; otherwise the live evidence within the user's scope.

    ``political_goal`` limits ``goals`` to that goal (the rest is as for the whole report): at a
    large city the whole report is tens of MB, and an adopted report's goal is read from its
    snapshot without loading the rest (``reporting.snapshot_index``)."""
    from reporting.balance import trust_balance
    from reporting.evidence import latest_board_report
    from reporting.snapshot import build_snapshot
    from reporting.snapshot_index import frozen_content_of_goal

    report = report if report is not None else latest_board_report(reporting_round)
    if report is not None and report.is_adopted and reads_whole_report(user, reporting_round.board):
        if political_goal is not None:
            return frozen_content_of_goal(report, political_goal.pk), True
        return report.snapshot, True
    content = build_snapshot(user=user, reporting_round=reporting_round, today=today, only_goal=political_goal,
                             balance=trust_balance(user=user, reporting_round=reporting_round))
    return content, False


def follow_up_list(*, user):
    """Follow-ups the user may read (``FollowUp.objects.readable_by``): drafts and returned
    follow-ups are their writers' and reviewers' work in progress; others (the board, the
    controllers) see a follow-up once it has been submitted, as on the goal report."""
    return (FollowUp.objects.readable_by(user)
            .select_related("round", "org_unit", "scorecard_goal", "political_goal", "author", "reviewed_by")
            .order_by("-round__period__end", "round_id", "org_unit__path", "pk"))


# --- the units' reports and the board report's assessments: the API ------------------------------

def unit_report_units(*, user):
    """The units and departments the user may read: those a unit report may be about."""
    return scope.readable_units(user).filter(kind__in=REPORTING_KINDS).order_by("path")


def unit_report_list(*, user, reporting_round):
    """The unit reports of the round for the units the user may read: the same units whose
    round page (``reporting:unit-round``) the user may open. The caller has scoped the round."""
    from reporting.models import UnitReport

    return (UnitReport.objects.filter(round=reporting_round, unit__in=scope.readable_units(user))
            .select_related("unit", "submitted_by").order_by("unit__path", "pk"))


def goal_assessment_list(*, user, report):
    """The controller's assessments in a board report the user may read (they are part of what
    the report shows to its readers); empty for a report outside the user's boards."""
    from reporting.models import GoalAssessment

    boards = scope.readable_units(user).filter(kind=OrgUnitKind.BOARD)
    return (GoalAssessment.objects.filter(report=report, report__board__in=boards)
            .select_related("political_goal").order_by("political_goal__order", "political_goal__code", "pk"))
