"""Progress of a reporting round per unit and team: who has written, submitted, been
approved, and which units have submitted their part. A fixed number of queries.

A team "has reported" when at least one of its follow-ups in the round is submitted or
approved; a unit has reported when its UnitReport is submitted. Goals of a unit's scorecard
that no follow-up (by the unit or any of its teams) speaks to are listed as uncovered.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from governance import scope
from governance.models import OrgUnit, OrgUnitKind
from reporting.models import FollowUp, UnitReport
from scorecards.models import Scorecard, ScorecardGoal

REPORTED_STATES = {FollowUp.State.SUBMITTED, FollowUp.State.APPROVED}


@dataclass
class TeamProgress:
    team: OrgUnit
    counts: Counter = field(default_factory=Counter)  # FollowUp.State → count

    @property
    def has_reported(self):
        return any(self.counts[state] for state in REPORTED_STATES)

    @property
    def total(self):
        return sum(self.counts.values())


@dataclass
class UnitProgress:
    unit: OrgUnit
    scorecard: Scorecard | None
    report: UnitReport | None
    teams: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # the unit's own and its teams' follow-ups
    uncovered_goals: list = field(default_factory=list)

    @property
    def has_submitted(self):
        return self.report is not None and self.report.state == UnitReport.State.SUBMITTED

    @property
    def waiting_for_review(self):
        return self.counts[FollowUp.State.SUBMITTED]

    @property
    def teams_not_reported(self):
        return [t for t in self.teams if not t.has_reported]


def round_progress(*, user, reporting_round, units=None):
    """Progress of every readable unit under the round's board (or of ``units``)."""
    scope.require_read(user, reporting_round.board)
    readable = scope.readable_units(user).filter(path__startswith=reporting_round.board.path, is_active=True)
    unit_qs = readable.filter(kind=OrgUnitKind.UNIT)
    if units is not None:
        unit_qs = unit_qs.filter(pk__in=[u.pk for u in units])
    unit_list = list(unit_qs.order_by("path"))
    unit_ids = [u.pk for u in unit_list]
    teams_by_unit = defaultdict(list)
    for team in readable.filter(kind=OrgUnitKind.TEAM, parent_id__in=unit_ids).order_by("name"):
        teams_by_unit[team.parent_id].append(TeamProgress(team=team))
    scorecards = {s.unit_id: s for s in Scorecard.objects.filter(unit_id__in=unit_ids, year=reporting_round.period.year_id)}
    reports = {r.unit_id: r for r in UnitReport.objects.filter(round=reporting_round, unit_id__in=unit_ids)}
    goals_by_unit = defaultdict(list)
    for goal in ScorecardGoal.objects.filter(scorecard__in=scorecards.values()).select_related("scorecard").order_by("order", "pk"):
        goals_by_unit[goal.scorecard.unit_id].append(goal)

    progress = {u.pk: UnitProgress(unit=u, scorecard=scorecards.get(u.pk), report=reports.get(u.pk),
                                   teams=teams_by_unit[u.pk]) for u in unit_list}
    team_index = {t.team.pk: (t, t.team.parent_id) for ts in teams_by_unit.values() for t in ts}
    covered = defaultdict(set)
    for org_unit_id, goal_id, state in FollowUp.objects.filter(
            round=reporting_round, org_unit__in=readable).values_list("org_unit_id", "scorecard_goal_id", "state"):
        if org_unit_id in team_index:
            team_progress, unit_id = team_index[org_unit_id]
            team_progress.counts[state] += 1
        else:
            unit_id = org_unit_id
        if unit_id in progress:
            progress[unit_id].counts[state] += 1
            if goal_id:
                covered[unit_id].add(goal_id)
    for unit_id, unit_progress in progress.items():
        unit_progress.uncovered_goals = [g for g in goals_by_unit[unit_id] if g.pk not in covered[unit_id]]
    return list(progress.values())
