"""The evidence per political goal for one board and round (docs/architecture.md §4), gathered with a
fixed number of queries whatever the size of the organisation, and limited to the units the
user may read. The board report page, its drill-down, the workbook and the API all start here:
``board_report_data`` gives the rows behind the evidence (the drill-down, the snapshot),
``board_report_overview`` only the evidence (the report's overview, which counts thousands of
rows at a large city's scale and must not build them).

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
from dataclasses import dataclass, field, fields

from django.db.models import OuterRef, Q, Subquery

from governance import scope
from governance.models import OrgUnit, Period, PeriodKind
from reporting.models import BoardReport, FollowUp, GoalAssessment
from reporting.rules import GoalEvidence, IndicatorEvidence, SelfAssessmentEvidence, goal_evidence
from scorecards.evaluation import (
    TARGET_VALUE_FIELDS,
    evaluate_value,
    index_target_values,
    judge,
    judged_period,
    resolve_target,
)
from scorecards.models import (
    FREQUENCY_PERIOD_KIND,
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Frequency,
    Indicator,
    IndicatorTerms,
    Mandate,
    Measurement,
    ScorecardGoal,
    ScorecardIndicator,
    Target,
)
from scorecards.status import Status


_MANDATE_LABELS = dict(Mandate.choices)


@dataclass(frozen=True, slots=True)
class ReportedIndicator(IndicatorTerms):
    """An indicator as the report reads it: its columns rather than an ``Indicator``, one shared
    by every row of the indicator (at 1000 units, an ``Indicator`` and a ``ScorecardIndicator``
    per row were most of the time of the rows). It answers what the report, its charts and the
    Kolada comparisons ask of an ``Indicator``, with the same results: ``is_mandated``,
    ``unit_symbol``, ``period_kind`` and ``get_mandate_display()``."""

    pk: int
    name: str
    mandate: str
    mandate_source: str
    direction: str
    measure_unit: str
    measure_unit_label: str
    decimals: int
    frequency: str
    kolada_kpi: str
    external_code: str

    def get_mandate_display(self):
        return str(_MANDATE_LABELS.get(self.mandate, self.mandate))


# The columns of ReportedIndicator, in its order, as read through a ScorecardIndicator.
_REPORTED_INDICATOR_COLUMNS = tuple(f"indicator__{f.name}" for f in fields(ReportedIndicator))


@dataclass(slots=True, eq=False)
class ReportedLink:
    """A scorecard's indicator link as the report reads it: ``pk``, ``goal`` (its ScorecardGoal,
    loaded once for all its links), ``goal_id``, ``analysis`` and ``indicator`` (a
    ``ReportedIndicator``). Equal to, and hashed as, the ``ScorecardIndicator`` it stands for, so
    that a row can still be found by its link."""

    pk: int
    goal_id: int
    goal: ScorecardGoal
    analysis: str
    indicator: ReportedIndicator

    def __eq__(self, other):
        if isinstance(other, (ReportedLink, ScorecardIndicator)):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)


@dataclass(frozen=True, slots=True)
class ValueSeries:
    """A row's values through the round's period, read as pairs (Period, value or None): the
    periods are the tuple shared by every row of the indicator's frequency, the values kept
    beside them. A list of pairs per row was, at 1000 units, some 84,000 more objects (74,000
    pairs and their lists) for the garbage collector to walk through again and again while the
    report was built."""

    periods: tuple
    values: tuple

    def __iter__(self):
        return zip(self.periods, self.values)

    def __len__(self):
        return len(self.values)


_NO_SERIES = ValueSeries((), ())


@dataclass(slots=True)
class IndicatorRow:
    link: ReportedLink
    unit: OrgUnit
    evaluation: object  # scorecards.evaluation.Evaluation, its target a TargetValues or None
    series: ValueSeries = _NO_SERIES  # gathered with the details only

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

    @property
    def unit_names(self):
        """The names of the units with evidence for the goal, by id (for the divergence lines)."""
        return {c.unit.pk: c.unit.name for c in self.units}


@dataclass
class GoalOverview:
    """One political goal's evidence without its rows: what the report's overview shows."""

    political_goal: object
    evidence: GoalEvidence
    assessment: GoalAssessment | None
    unit_names: dict  # unit id -> name, for the divergence lines


class _Loaded(tuple):
    """Rows standing in for a prefetched relation: ``all()`` as on a model's related manager."""

    __slots__ = ()

    def all(self):
        return self


@dataclass(frozen=True, slots=True)
class ActivityGoal:
    pk: int
    title: str


@dataclass(frozen=True, slots=True)
class ActivityNote:
    date: datetime.date
    text: str


_ACTIVITY_STATUS_LABELS = dict(ActivityStatus.choices)


@dataclass(slots=True)
class ActivityRow:
    """An activity as the report reads it: the columns it shows rather than an ``Activity`` with
    its team, goals and updates prefetched, whose model objects were most of the time of a large
    board's snapshot. It answers what the report asks of an ``Activity``: ``team`` (an OrgUnit
    with its ``parent`` loaded), ``goals.all()`` (every goal it serves, in the goals' order),
    ``updates.all()`` (only the latest update: the report shows no other) and
    ``get_status_display()``."""

    pk: int
    title: str
    description: str
    expected_citizen_value: str
    status: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    team: OrgUnit
    goals: _Loaded  # of ActivityGoal
    updates: _Loaded  # of ActivityNote: the latest or none

    def get_status_display(self):
        return str(_ACTIVITY_STATUS_LABELS.get(self.status, self.status))


@dataclass
class BoardReportData:
    board: object
    round: object
    report: BoardReport | None
    goals: list


def latest_board_report(reporting_round):
    """The round's latest board report. Its snapshot (and that of the version it corrects) is
    read only when asked for: at a large city it is tens of MB (see reporting.snapshot_index)."""
    return (BoardReport.objects.filter(round=reporting_round).order_by("-version_number")
            .select_related("previous")
            .defer("snapshot", "snapshot_index", "previous__snapshot", "previous__snapshot_index").first())


def _board_goals(user, reporting_round, only_goal=None):
    """The board, the round's year, the units the user reads and the political goals in force that
    year (only ``only_goal``, if given), in the report's order; PermissionDenied when the user may
    not read the board."""
    board = reporting_round.board
    scope.require_read(user, board)
    year = reporting_round.period.year
    goals = board.political_goals.filter(valid_from__lte=year.year, valid_to__gte=year.year)
    if only_goal is not None:
        goals = goals.filter(pk=only_goal.pk)
    return board, year, scope.readable_units(user), list(goals.order_by("order", "code"))


def _serving_links(goal_ids, year, readable):
    """The links between the political goals and the scorecard goals of that year's readable
    scorecards that serve them."""
    return ScorecardGoal.political_goals.through.objects.filter(
        politicalgoal_id__in=goal_ids, scorecardgoal__scorecard__year=year, scorecardgoal__scorecard__unit__in=readable)


def board_report_data(*, user, reporting_round, today=None, with_details=False, only_goal=None, only_units=None,
                      with_report=True):
    """Evidence per political goal of ``reporting_round``'s board, as ``user`` may see it.

    ``with_details`` also gathers the value series and the activities (as ``ActivityRow``, for
    the drill-down and the workbook). ``only_goal`` limits the result to one political goal.

    ``only_units`` (unit ids, as ``goal_units`` gives them) limits the rows to those units: the
    drill-down shows a page of units at a time. The evidence is then that of those units only,
    so a page takes the goal's evidence from ``board_report_overview``. ``with_report=False``
    leaves out the board report and the controller's assessments (the page has them already).
    """
    today = today or datetime.date.today()
    board, year, readable, goals = _board_goals(user, reporting_round, only_goal)
    goal_ids = [g.pk for g in goals]

    serving = _serving_links(goal_ids, year, readable)
    if only_units is not None:
        serving = serving.filter(scorecardgoal__scorecard__unit_id__in=only_units)
    goal_links = list(serving.values_list("scorecardgoal_id", "politicalgoal_id"))
    political_by_scorecard_goal = defaultdict(set)
    for scorecard_goal_id, political_goal_id in goal_links:
        political_by_scorecard_goal[scorecard_goal_id].add(political_goal_id)
    # Selected by subquery rather than by lists of thousands of ids (see board_report_overview).
    scorecard_goal_ids = serving.values("scorecardgoal_id")
    linked_indicator_ids = ScorecardIndicator.objects.filter(goal_id__in=scorecard_goal_ids).values("indicator_id")
    scorecard_unit_ids = ScorecardGoal.objects.filter(pk__in=scorecard_goal_ids).values("scorecard__unit_id")

    scorecard_goals = {g.pk: g for g in ScorecardGoal.objects.filter(pk__in=scorecard_goal_ids)
                       .select_related("scorecard__unit", "perspective")}
    # The links with their indicators' columns as plain tuples (see ReportedLink).
    link_rows = list(ScorecardIndicator.objects.filter(goal_id__in=scorecard_goal_ids)
                     .order_by("scorecard__unit__path", "order", "pk")
                     .values_list("pk", "goal_id", "analysis", *_REPORTED_INDICATOR_COLUMNS))

    periods = list(Period.objects.filter(year=year))
    judged = {kind: judged_period(periods, kind=kind, within=reporting_round.period) for kind in PeriodKind}
    # The periods of each kind a series shows: through the round's period, and always the judged
    # period itself: a yearly indicator is judged on its year even in a tertial round, and its
    # chart must show that value. With their ids, read once rather than per row.
    series_periods = {kind: tuple(p for p in sorted(periods, key=lambda p: p.start)
                                  if p.kind == kind and (p.end <= reporting_round.period.end or p == judged[kind]))
                      for kind in PeriodKind}
    series_period_ids = {kind: [p.pk for p in shown] for kind, shown in series_periods.items()}
    # Plain target values rather than Target rows: the rows read only their numbers.
    targets = index_target_values(Target.objects.filter(indicator_id__in=linked_indicator_ids, year=year)
                                  .order_by().values_list(*TARGET_VALUE_FIELDS), year_id=year.pk)
    # With the details every value of the year, else those of the judged periods. The periods (at most
    # 16 a year) and, for a page of the drill-down, its units go in as plain ids, so that PostgreSQL
    # reads the values through the (unit, period) index; given only the indicators, it scanned every
    # unit's values of each mandated indicator (thousands per indicator at 1000 units).
    period_ids = [p.pk for p in periods] if with_details else [p.pk for p in judged.values() if p is not None]
    unit_ids = list(only_units) if only_units is not None else scorecard_unit_ids
    # Plain values, not Measurement rows. Unordered (order_by()): the model's ordering joins
    # indicator, unit and period only to sort what goes into a dict.
    values = {(indicator_id, unit_id, period_id): value for indicator_id, unit_id, period_id, value in
              Measurement.objects.filter(indicator_id__in=linked_indicator_ids, unit_id__in=unit_ids,
                                         period_id__in=period_ids)
              .order_by().values_list("indicator_id", "unit_id", "period_id", "value")}

    indicators = {}  # id -> ReportedIndicator, shared by the indicator's rows
    year_id = year.pk
    rows_by_goal = defaultdict(list)
    for link_id, scorecard_goal_id, analysis, *indicator_columns in link_rows:
        indicator_id = indicator_columns[0]
        indicator = indicators.get(indicator_id)
        if indicator is None:
            indicator = indicators[indicator_id] = ReportedIndicator(*indicator_columns)
        scorecard_goal = scorecard_goals[scorecard_goal_id]
        unit = scorecard_goal.scorecard.unit
        unit_id = scorecard_goal.scorecard.unit_id
        kind = FREQUENCY_PERIOD_KIND[indicator.frequency]
        period = judged[kind]
        target = resolve_target(targets, indicator_id=indicator_id, year_id=year_id, unit_id=unit_id)
        row = IndicatorRow(
            link=ReportedLink(pk=link_id, goal_id=scorecard_goal_id, goal=scorecard_goal, analysis=analysis,
                              indicator=indicator),
            unit=unit,
            evaluation=evaluate_value(indicator=indicator, target=target, period=period, today=today,
                                      value=values.get((indicator_id, unit_id, period.pk)) if period else None))
        if with_details:
            row.series = ValueSeries(series_periods[kind], tuple([values.get((indicator_id, unit_id, period_id))
                                                                  for period_id in series_period_ids[kind]]))
        for political_goal_id in political_by_scorecard_goal[scorecard_goal_id]:
            rows_by_goal[political_goal_id].append(row)

    about_political_goal = Q(political_goal_id__in=goal_ids)
    if only_units is not None:
        about_political_goal &= Q(org_unit_id__in=only_units)
    follow_ups = list(FollowUp.objects.filter(round=reporting_round, org_unit__in=readable)
                      .filter(Q(scorecard_goal_id__in=scorecard_goal_ids) | about_political_goal)
                      .select_related("org_unit", "political_goal")
                      .order_by("org_unit__path", "pk"))
    for follow_up in follow_ups:  # as for the links: share what is loaded already
        follow_up.round = reporting_round
        if follow_up.scorecard_goal_id:
            follow_up.scorecard_goal = scorecard_goals[follow_up.scorecard_goal_id]
    follow_ups_by_goal = defaultdict(list)
    for follow_up in follow_ups:
        if follow_up.political_goal_id:
            follow_ups_by_goal[follow_up.political_goal_id].append(follow_up)
        else:
            for political_goal_id in political_by_scorecard_goal[follow_up.scorecard_goal_id]:
                follow_ups_by_goal[political_goal_id].append(follow_up)

    report = latest_board_report(reporting_round) if with_report else None
    assessments = {}
    if report is not None:
        assessments = {a.political_goal_id: a for a in report.goal_assessments.all()}

    activities_by_scorecard_goal = (_activities_by_scorecard_goal(scorecard_goal_ids, readable, scorecard_goals)
                                    if with_details else {})

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
                contribution = _contribution(units, scorecard_goal.scorecard.unit)
                contribution.scorecard_goals.append(scorecard_goal)
                contribution.activities.extend(activities_by_scorecard_goal.get(scorecard_goal_id, []))
        for row in rows:
            _contribution(units, row.unit).indicators.append(row)
        for follow_up in goal_follow_ups:
            _contribution(units, _unit_of(follow_up)).follow_ups.append(follow_up)
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


def board_report_overview(*, user, reporting_round, today=None, only_goal=None):
    """The evidence per political goal (counts, divergences, suggestion) and the controller's
    assessment, as ``board_report_data`` gives them, without building the rows behind them.
    ``only_goal`` limits the result to one political goal (the drill-down's summary).

    The report's overview shows only counts, and at a thousand units the rows (model objects,
    evaluations, contributions) were most of its time. Here the same rows are read as plain
    tuples of just the needed columns and each indicator is judged once with the same rule
    (``scorecards.evaluation.judge``). tests/reporting/test_evidence_overview.py checks that both
    functions give equal evidence.
    """
    today = today or datetime.date.today()
    board, year, readable, goals = _board_goals(user, reporting_round, only_goal)
    goal_ids = [g.pk for g in goals]

    # One row per political goal and indicator link of a scorecard goal serving it (a scorecard
    # goal without indicators gives one row with no indicator): the rows board_report_data builds.
    serving = _serving_links(goal_ids, year, readable)
    link_rows = list(serving.values_list("politicalgoal_id", "scorecardgoal_id", "scorecardgoal__scorecard__unit_id",
                                         "scorecardgoal__indicator_links__indicator_id"))
    # The other queries select by subquery, not by lists of thousands of ids: at 1000 units
    # psycopg spent more time splitting such a query's placeholders than PostgreSQL running it.
    scorecard_goal_ids = serving.values("scorecardgoal_id")
    linked_indicator_ids = ScorecardIndicator.objects.filter(goal_id__in=scorecard_goal_ids).values("indicator_id")
    scorecard_unit_ids = ScorecardGoal.objects.filter(pk__in=scorecard_goal_ids).values("scorecard__unit_id")
    unit_by_scorecard_goal = {}
    political_by_scorecard_goal = defaultdict(set)
    for political_goal_id, scorecard_goal_id, unit_id, _ in link_rows:
        unit_by_scorecard_goal[scorecard_goal_id] = unit_id
        political_by_scorecard_goal[scorecard_goal_id].add(political_goal_id)

    # Per indicator: mandated, direction, the period it is judged on and whether that has ended.
    periods = list(Period.objects.filter(year=year))
    judged = {}
    for kind in PeriodKind:
        period = judged_period(periods, kind=kind, within=reporting_round.period)
        judged[kind] = (period.pk, period.has_ended(today)) if period else (None, False)
    indicators = {pk: (mandate != Mandate.OWN, direction, judged[FREQUENCY_PERIOD_KIND[Frequency(frequency)]])
                  for pk, mandate, direction, frequency in Indicator.objects.filter(pk__in=linked_indicator_ids)
                  .values_list("pk", "mandate", "direction", "frequency")}
    targets = index_target_values(Target.objects.filter(indicator_id__in=linked_indicator_ids, year=year)
                                  .order_by().values_list(*TARGET_VALUE_FIELDS), year_id=year.pk)
    judged_ids = {period_id for period_id, _ in judged.values() if period_id is not None}
    # Every value of the scorecards' units in the judged periods (as the raw SQL of the benchmark:
    # through the (unit, period) index); values of other indicators are simply not looked up.
    values = {(indicator_id, unit_id, period_id): value for indicator_id, unit_id, period_id, value in
              Measurement.objects.filter(unit_id__in=scorecard_unit_ids, period_id__in=judged_ids)
              .order_by().values_list("indicator_id", "unit_id", "period_id", "value")}

    statuses = {}  # (indicator, unit) -> status: a link serving two goals is judged once
    indicators_by_goal = defaultdict(list)
    for political_goal_id, _, unit_id, indicator_id in link_rows:
        if indicator_id is None:
            continue
        key = (indicator_id, unit_id)
        mandated, direction, (period_id, ended) = indicators[indicator_id]
        status = statuses.get(key)
        if status is None:
            if period_id is None:
                status = Status.NOT_DUE
            else:
                status = judge(value=values.get((indicator_id, unit_id, period_id)),
                               target=resolve_target(targets, indicator_id=indicator_id, year_id=year.pk,
                                                     unit_id=unit_id),
                               direction=direction, period_ended=ended)
            statuses[key] = status
        indicators_by_goal[political_goal_id].append(IndicatorEvidence(mandated=mandated, status=status,
                                                                       unit_id=unit_id))

    assessments_by_goal = defaultdict(list)
    follow_up_units = set()
    for political_goal_id, scorecard_goal_id, org_unit_id, self_assessment in (
            FollowUp.objects.filter(round=reporting_round, org_unit__in=readable, state=FollowUp.State.APPROVED)
            .filter(Q(scorecard_goal_id__in=scorecard_goal_ids) | Q(political_goal_id__in=goal_ids))
            .values_list("political_goal_id", "scorecard_goal_id", "org_unit_id", "self_assessment")):
        # The unit a follow-up speaks for, as _unit_of: the scorecard's unit for a team's follow-up.
        unit_id = unit_by_scorecard_goal.get(scorecard_goal_id, org_unit_id) if scorecard_goal_id else org_unit_id
        follow_up_units.add(unit_id)
        evidence = SelfAssessmentEvidence(assessment=self_assessment or None, unit_id=unit_id)
        if political_goal_id:
            assessments_by_goal[political_goal_id].append(evidence)
        else:
            for goal_id in political_by_scorecard_goal[scorecard_goal_id]:
                assessments_by_goal[goal_id].append(evidence)

    unit_names = dict(OrgUnit.objects.filter(pk__in=set(unit_by_scorecard_goal.values()) | follow_up_units)
                      .values_list("pk", "name"))
    report = latest_board_report(reporting_round)
    assessments = {}
    if report is not None:
        assessments = {a.political_goal_id: a for a in report.goal_assessments.all()}
    result = [GoalOverview(political_goal=goal, assessment=assessments.get(goal.pk), unit_names=unit_names,
                           evidence=goal_evidence(indicators=indicators_by_goal[goal.pk],
                                                  self_assessments=assessments_by_goal[goal.pk]))
              for goal in goals]
    return BoardReportData(board=board, round=reporting_round, report=report, goals=result)


def goal_units(*, user, reporting_round, political_goal):
    """The units that contribute to ``political_goal`` in the round, as ``user`` may see them, in
    the organisation's order: [(unit id, name)]. These are the units the drill-down lists, one
    page at a time: those whose scorecard of the round's year has a goal serving the political
    goal, and those with a follow-up written about the political goal itself. One query whatever
    the size (the caller has checked that the goal is in force in the round's year)."""
    scope.require_read(user, reporting_round.board)
    if political_goal.board_id != reporting_round.board_id:
        return []
    readable = scope.readable_units(user)
    serving = _serving_links([political_goal.pk], reporting_round.period.year, readable)
    unit_ids = ScorecardGoal.objects.filter(pk__in=serving.values("scorecardgoal_id")).values("scorecard__unit_id")
    writing = FollowUp.objects.filter(round=reporting_round, org_unit__in=readable,
                                      political_goal=political_goal).values("org_unit_id")
    return list(OrgUnit.objects.filter(Q(pk__in=unit_ids) | Q(pk__in=writing)).order_by("path")
                .values_list("pk", "name"))


def _activities_by_scorecard_goal(scorecard_goal_ids, readable, scorecard_goals):
    """The readable teams' activities serving the scorecard goals (a subquery of their ids), per
    goal of ``scorecard_goals``, in the organisation's order: [ActivityRow]. Three queries
    whatever the size, none when there are no such activities."""
    serving = Activity.objects.filter(
        pk__in=Activity.goals.through.objects.filter(scorecardgoal_id__in=scorecard_goal_ids).values("activity_id"),
        team__in=readable)
    # The latest update by a correlated subquery, on SQLite as on PostgreSQL: a city's activities
    # gather years of notes, of which the report shows only the newest.
    latest = ActivityUpdate.objects.filter(activity=OuterRef("pk")).order_by("-date", "-pk")
    rows = list(serving.annotate(latest_date=Subquery(latest.values("date")[:1]),
                                 latest_text=Subquery(latest.values("text")[:1]))
                .order_by("team__path", "title", "pk")
                .values_list("team_id", "pk", "title", "description", "expected_citizen_value", "status",
                             "start_date", "end_date", "latest_date", "latest_text"))
    if not rows:
        return {}
    goals_of = defaultdict(list)  # every goal an activity serves, in the goals' own order (their Meta.ordering)
    for activity_id, goal_id, title in (ScorecardGoal.objects.filter(activities__in=serving.values("pk"))
                                        .values_list("activities", "pk", "title")):
        goals_of[activity_id].append(ActivityGoal(pk=goal_id, title=title))
    teams = serving.values("team_id")
    units = {u.pk: u for u in OrgUnit.objects.filter(
        Q(pk__in=teams) | Q(pk__in=OrgUnit.objects.filter(pk__in=teams).values("parent_id"))).order_by()}
    cache_parent = OrgUnit.parent.field.set_cached_value  # as select_related would, without the descriptor
    for team in {units[row[0]] for row in rows}:
        cache_parent(team, units[team.parent_id] if team.parent_id else None)

    by_scorecard_goal = defaultdict(list)
    for (team_id, pk, title, description, expected_citizen_value, status, start_date, end_date,
         latest_date, latest_text) in rows:
        goals = _Loaded(goals_of[pk])
        activity = ActivityRow(
            pk=pk, title=title, description=description, expected_citizen_value=expected_citizen_value,
            status=status, start_date=start_date, end_date=end_date, team=units[team_id], goals=goals,
            updates=_Loaded(() if latest_date is None else (ActivityNote(date=latest_date, text=latest_text),)))
        for goal in goals:
            if goal.pk in scorecard_goals:
                by_scorecard_goal[goal.pk].append(activity)
    return by_scorecard_goal


def _contribution(units, unit):
    """The unit's UnitContribution in ``units`` (by unit id), added when missing. Not setdefault:
    that would build a UnitContribution for each of a large board's thousands of rows."""
    contribution = units.get(unit.pk)
    if contribution is None:
        contribution = units[unit.pk] = UnitContribution(unit=unit)
    return contribution


def _unit_of(follow_up):
    """The unit a follow-up speaks for: the scorecard's unit for a team's follow-up."""
    if follow_up.scorecard_goal_id:
        return follow_up.scorecard_goal.scorecard.unit
    return follow_up.org_unit
