"""The evidence per political goal for one board and round (DESIGN.md §4), gathered with a
fixed number of queries whatever the size of the organisation, and limited to the units the
user may read. The board report page, its drill-down, the workbook and the API all start here.

Decisions:
- An indicator counts for a political goal when it sits under a scorecard goal (of the
  round's year) that serves that political goal; one serving two goals counts for both.
- Each indicator is judged on the last period of its frequency that ends inside the round's
  period (see ``scorecards.evaluation.judged_period``).
- Self-assessments come from follow-ups the unit manager has approved; drafts and follow-ups
  still under review are shown as progress, not as evidence.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from governance import scope
from governance.models import Period
from reporting.models import BoardReport, FollowUp, GoalAssessment
from reporting.rules import GoalEvidence, IndicatorEvidence, SelfAssessmentEvidence, goal_evidence
from scorecards.evaluation import evaluate, index_targets, judged_period, resolve_target
from scorecards.models import Activity, ActivityUpdate, Measurement, ScorecardGoal, ScorecardIndicator, Target


@dataclass
class IndicatorRow:
    link: ScorecardIndicator
    unit: object
    evaluation: object
    series: list = field(default_factory=list)  # [(Period, value or None)] through the round's period

    @property
    def indicator(self):
        return self.link.indicator


@dataclass
class UnitContribution:
    unit: object
    scorecard_goals: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    activities: list = field(default_factory=list)


@dataclass
class GoalRow:
    political_goal: object
    evidence: GoalEvidence
    assessment: GoalAssessment | None
    indicators: list
    follow_ups: list
    units: list

    @property
    def mandated_indicators(self):
        return [row for row in self.indicators if row.indicator.is_mandated]

    @property
    def own_indicators(self):
        return [row for row in self.indicators if not row.indicator.is_mandated]


@dataclass
class BoardReportData:
    board: object
    round: object
    report: BoardReport | None
    goals: list


def latest_board_report(reporting_round):
    return (BoardReport.objects.filter(round=reporting_round).order_by("-version_number")
            .select_related("previous").first())


def board_report_data(*, user, reporting_round, today=None, with_details=False, only_goal=None):
    """Evidence per political goal of ``reporting_round``'s board, as ``user`` may see it.

    ``with_details`` also gathers the value series and the activities (for the drill-down
    and the workbook). ``only_goal`` limits the result to one political goal.
    """
    today = today or datetime.date.today()
    board = reporting_round.board
    scope.require_read(user, board)
    year = reporting_round.period.year
    readable = scope.readable_units(user)

    goals = list(board.political_goals.filter(valid_from__lte=year.year, valid_to__gte=year.year)
                 .order_by("order", "code"))
    if only_goal is not None:
        goals = [g for g in goals if g.pk == only_goal.pk]
    goal_ids = [g.pk for g in goals]

    through = ScorecardGoal.political_goals.through
    goal_links = list(through.objects.filter(
        politicalgoal_id__in=goal_ids, scorecardgoal__scorecard__year=year,
        scorecardgoal__scorecard__unit__in=readable,
    ).values_list("scorecardgoal_id", "politicalgoal_id"))
    political_by_scorecard_goal = defaultdict(set)
    for scorecard_goal_id, political_goal_id in goal_links:
        political_by_scorecard_goal[scorecard_goal_id].add(political_goal_id)

    scorecard_goals = {g.pk: g for g in ScorecardGoal.objects.filter(pk__in=political_by_scorecard_goal)
                       .select_related("scorecard__unit", "perspective")}
    links = list(ScorecardIndicator.objects.filter(goal_id__in=scorecard_goals)
                 .select_related("indicator", "scorecard__unit", "goal")
                 .order_by("scorecard__unit__path", "order", "pk"))
    indicator_ids = {link.indicator_id for link in links}
    unit_ids = {link.scorecard.unit_id for link in links}

    periods = list(Period.objects.filter(year=year))
    targets = index_targets(Target.objects.filter(indicator_id__in=indicator_ids, year=year))
    period_filter = {"period__year": year} if with_details else {
        "period_id__in": {p.pk for kind in ("month", "tertial", "year")
                          if (p := judged_period(periods, kind=kind, within=reporting_round.period))}}
    measurements = {(m.indicator_id, m.unit_id, m.period_id): m for m in Measurement.objects.filter(
        indicator_id__in=indicator_ids, unit_id__in=unit_ids, **period_filter)}

    rows_by_goal = defaultdict(list)
    for link in links:
        unit = link.scorecard.unit
        period = judged_period(periods, kind=link.indicator.period_kind, within=reporting_round.period)
        target = resolve_target(targets, indicator_id=link.indicator_id, year_id=year.pk, unit_id=unit.pk)
        measurement = measurements.get((link.indicator_id, unit.pk, period.pk)) if period else None
        row = IndicatorRow(link=link, unit=unit,
                           evaluation=evaluate(indicator=link.indicator, target=target, measurement=measurement,
                                               period=period, today=today))
        if with_details:
            # Through the round's period, and always the judged period itself: a yearly indicator
            # is judged on its year even in a tertial round, and its chart must show that value.
            row.series = [(p, getattr(measurements.get((link.indicator_id, unit.pk, p.pk)), "value", None))
                          for p in sorted(periods, key=lambda p: p.start)
                          if p.kind == link.indicator.period_kind
                          and (p.end <= reporting_round.period.end or p == period)]
        for political_goal_id in political_by_scorecard_goal[link.goal_id]:
            rows_by_goal[political_goal_id].append(row)

    follow_ups = list(FollowUp.objects.filter(round=reporting_round, org_unit__in=readable)
                      .filter(Q(scorecard_goal_id__in=list(scorecard_goals)) | Q(political_goal_id__in=goal_ids))
                      .select_related("org_unit", "scorecard_goal__scorecard__unit", "political_goal", "round")
                      .order_by("org_unit__path", "pk"))
    follow_ups_by_goal = defaultdict(list)
    for follow_up in follow_ups:
        if follow_up.political_goal_id:
            follow_ups_by_goal[follow_up.political_goal_id].append(follow_up)
        else:
            for political_goal_id in political_by_scorecard_goal[follow_up.scorecard_goal_id]:
                follow_ups_by_goal[political_goal_id].append(follow_up)

    report = latest_board_report(reporting_round)
    assessments = {}
    if report is not None:
        assessments = {a.political_goal_id: a for a in report.goal_assessments.all()}

    activities_by_scorecard_goal = defaultdict(list)
    if with_details:
        latest_updates = Prefetch("updates", queryset=ActivityUpdate.objects.order_by("-date", "-pk"))
        for activity in (Activity.objects.filter(goals__in=scorecard_goals, team__in=readable).distinct()
                         .select_related("team__parent").prefetch_related("goals", latest_updates).order_by("team__path", "title")):
            for goal in activity.goals.all():
                if goal.pk in scorecard_goals:
                    activities_by_scorecard_goal[goal.pk].append(activity)

    result = []
    for political_goal in goals:
        rows = rows_by_goal[political_goal.pk]
        goal_follow_ups = follow_ups_by_goal[political_goal.pk]
        evidence = goal_evidence(
            indicators=[IndicatorEvidence(mandated=r.indicator.is_mandated, status=r.evaluation.status,
                                          unit_id=r.unit.pk) for r in rows],
            self_assessments=[SelfAssessmentEvidence(assessment=f.self_assessment or None, unit_id=_unit_of(f).pk)
                              for f in goal_follow_ups if f.state == FollowUp.State.APPROVED],
        )
        units = {}
        for scorecard_goal_id, political_ids in political_by_scorecard_goal.items():
            if political_goal.pk in political_ids:
                scorecard_goal = scorecard_goals[scorecard_goal_id]
                contribution = units.setdefault(scorecard_goal.scorecard.unit_id,
                                                UnitContribution(unit=scorecard_goal.scorecard.unit))
                contribution.scorecard_goals.append(scorecard_goal)
                contribution.activities.extend(activities_by_scorecard_goal.get(scorecard_goal_id, []))
        for row in rows:
            units.setdefault(row.unit.pk, UnitContribution(unit=row.unit)).indicators.append(row)
        for follow_up in goal_follow_ups:
            unit = _unit_of(follow_up)
            units.setdefault(unit.pk, UnitContribution(unit=unit)).follow_ups.append(follow_up)
        for contribution in units.values():
            contribution.scorecard_goals.sort(key=lambda g: (g.perspective.order, g.order, g.pk))
            seen = set()
            contribution.activities = [a for a in contribution.activities if not (a.pk in seen or seen.add(a.pk))]
        result.append(GoalRow(
            political_goal=political_goal, evidence=evidence, assessment=assessments.get(political_goal.pk),
            indicators=rows, follow_ups=goal_follow_ups,
            units=sorted(units.values(), key=lambda c: c.unit.path),
        ))
    return BoardReportData(board=board, round=reporting_round, report=report, goals=result)


def _unit_of(follow_up):
    """The unit a follow-up speaks for: the scorecard's unit for a team's follow-up."""
    if follow_up.scorecard_goal_id:
        return follow_up.scorecard_goal.scorecard.unit
    return follow_up.org_unit
