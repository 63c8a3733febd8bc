"""Reads of scorecards, indicators, measurements and activities, always scoped to the user.
HTML views, exports and the API start from these; none filters by scope on its own."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, Q

from governance import scope
from governance.models import OrgUnit, OrgUnitKind, Period, ReportingYear
from governance.scope import Action
from scorecards.evaluation import evaluate, index_targets, resolve_target
from scorecards.models import (
    Activity, ActivityUpdate, Indicator, Measurement, Scorecard, ScorecardGoal, ScorecardIndicator, Target,
)


# --- organisation helpers ---------------------------------------------------------------------

def teams_for(*, user, action=Action.EDIT_ACTIVITIES):
    """The teams where the user may do ``action`` (for "Vårt team")."""
    return scope.units_for(user, action).filter(kind=OrgUnitKind.TEAM, is_active=True).select_related("parent")


def units_for(*, user, action=Action.EDIT_SCORECARD):
    """The units whose scorecard the user keeps (for "Mitt styrkort")."""
    return scope.units_for(user, action).filter(kind__in=[OrgUnitKind.UNIT, OrgUnitKind.DEPARTMENT], is_active=True)


def current_year(today=None):
    """The reporting year of today, or the latest one that exists."""
    today = today or datetime.date.today()
    return ReportingYear.objects.filter(year=today.year).first() or ReportingYear.objects.order_by("-year").first()


# --- activities -------------------------------------------------------------------------------

def activity_queryset(*, user):
    latest_updates = Prefetch("updates", queryset=ActivityUpdate.objects.order_by("-date", "-pk").select_related("author"))
    return (Activity.objects.filter(team__in=scope.readable_units(user).filter(kind=OrgUnitKind.TEAM))
            .select_related("team", "team__parent", "created_by")
            .prefetch_related(Prefetch("goals", queryset=ScorecardGoal.objects.select_related("scorecard__year")),
                              latest_updates))


def activity_list(*, user, filters=None, team=None):
    """Activities the user may read, filtered by the one ActivityFilterSet (HTML, CSV and API)."""
    from scorecards.filters import ActivityFilterSet

    queryset = activity_queryset(user=user)
    if team is not None:
        queryset = queryset.filter(team=team)
    return ActivityFilterSet(filters or {}, queryset=queryset).qs


def activity_get(*, user, pk):
    """One readable activity, or Activity.DoesNotExist (the view turns it into a 404)."""
    return activity_queryset(user=user).get(pk=pk)


def goals_for_team(*, team, year):
    """The unit goals a team's activities can serve: the goals of its unit's scorecard."""
    return (ScorecardGoal.objects.filter(scorecard__unit_id=team.parent_id, scorecard__year=year)
            .select_related("perspective").order_by("perspective__order", "order", "pk"))


# --- scorecards -------------------------------------------------------------------------------

def scorecard_get(*, user, pk):
    return (Scorecard.objects.filter(unit__in=scope.readable_units(user))
            .select_related("unit", "unit__parent", "year").get(pk=pk))


def scorecard_for_unit(*, user, unit, year):
    return (Scorecard.objects.filter(unit__in=scope.readable_units(user), unit=unit, year=year)
            .select_related("unit", "year").first())


@dataclass
class IndicatorLine:
    link: ScorecardIndicator
    evaluation: object
    latest_period: Period | None
    values: list = field(default_factory=list)  # [(Period, Measurement or None)] for the year up to ``as_of``

    @property
    def indicator(self):
        return self.link.indicator

    @property
    def target(self):
        return self.evaluation.target


@dataclass
class GoalBlock:
    goal: ScorecardGoal
    indicators: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)


@dataclass
class PerspectiveBlock:
    perspective: object
    goals: list = field(default_factory=list)


@dataclass
class ScorecardDetail:
    scorecard: Scorecard
    perspectives: list
    unplaced_indicators: list
    as_of: Period | None


def latest_ended_month(periods, today):
    months = [p for p in periods if p.kind == "month" and p.end < today]
    return max(months, key=lambda p: p.end) if months else None


def scorecard_detail(*, user, scorecard, today=None, follow_ups=None):
    """Everything "Mitt styrkort" shows, with a fixed number of queries: goals by perspective,
    each with its political goals, indicators (target, values, status) and activities.

    Status is judged as of the latest month that has ended (or the year's end for a past
    year). ``follow_ups`` may be passed in by the reporting layer (which owns them), as a
    mapping of scorecard goal id → list.
    """
    today = today or datetime.date.today()
    scope.require_read(user, scorecard.unit)
    periods = sorted(Period.objects.filter(year=scorecard.year_id), key=lambda p: (p.start, -p.end.toordinal()))
    year_period = next((p for p in periods if p.kind == "year"), None)
    as_of_month = latest_ended_month(periods, today)
    as_of = year_period if (year_period and year_period.end < today) else as_of_month
    goals = list(scorecard.goals.select_related("perspective")
                 .prefetch_related("political_goals").order_by("perspective__order", "order", "pk"))
    links = list(scorecard.indicator_links.select_related("indicator", "indicator__owner").order_by("order", "pk"))
    indicator_ids = [link.indicator_id for link in links]
    # Unordered (order_by()): these only fill dicts, and the models' orderings join other tables to sort.
    targets = index_targets(Target.objects.filter(indicator_id__in=indicator_ids, year=scorecard.year_id).order_by())
    measurements = {(m.indicator_id, m.period_id): m for m in Measurement.objects.filter(
        indicator_id__in=indicator_ids, unit=scorecard.unit_id, period__year=scorecard.year_id)
        .select_related("author").order_by()}
    activities_by_goal = defaultdict(list)
    for activity in (Activity.objects.filter(goals__scorecard=scorecard, team__in=scope.readable_units(user))
                     .distinct().select_related("team").prefetch_related("goals").order_by("team__name", "title")):
        for goal in activity.goals.all():
            activities_by_goal[goal.pk].append(activity)

    def line(link):
        kind = link.indicator.period_kind
        if kind == "year":
            period = year_period
        elif as_of is None:
            period = None
        else:
            # The latest period of the indicator's own kind that has ended by ``as_of``. (Judging
            # "within" a month, as before, never found a tertial: per-tertial indicators stayed
            # "not due" all year.)
            ended = [p for p in periods if p.kind == kind and p.end <= as_of.end]
            period = max(ended, key=lambda p: p.end) if ended else None
        target = resolve_target(targets, indicator_id=link.indicator_id, year_id=scorecard.year_id, unit_id=scorecard.unit_id)
        evaluation = evaluate(indicator=link.indicator, target=target,
                              measurement=measurements.get((link.indicator_id, period.pk)) if period else None,
                              period=period, today=today)
        values = [(p, measurements.get((link.indicator_id, p.pk))) for p in periods
                  if p.kind == kind and (as_of is None or p.end <= max(as_of.end, period.end if period else as_of.end))]
        return IndicatorLine(link=link, evaluation=evaluation, latest_period=period, values=values)

    lines_by_goal = defaultdict(list)
    unplaced = []
    for link in links:
        (lines_by_goal[link.goal_id] if link.goal_id else unplaced).append(line(link))

    blocks = {}
    for goal in goals:
        block = blocks.setdefault(goal.perspective_id, PerspectiveBlock(perspective=goal.perspective))
        block.goals.append(GoalBlock(goal=goal, indicators=lines_by_goal.get(goal.pk, []),
                                     activities=activities_by_goal.get(goal.pk, []),
                                     follow_ups=(follow_ups or {}).get(goal.pk, [])))
    return ScorecardDetail(scorecard=scorecard, perspectives=list(blocks.values()), unplaced_indicators=unplaced,
                           as_of=as_of)


def indicator_get(*, user, pk):
    return Indicator.objects.filter(owner__in=scope.readable_units(user)).select_related("owner").get(pk=pk)


def scorecard_indicator_get(*, user, pk):
    return (ScorecardIndicator.objects.filter(scorecard__unit__in=scope.readable_units(user))
            .select_related("scorecard__unit", "scorecard__year", "indicator", "indicator__owner", "goal").get(pk=pk))


def unit_get(*, user, pk):
    return scope.readable_units(user).get(pk=pk)


def readable_org_units(*, user):
    return scope.readable_units(user)




# --- "Vårt team" ------------------------------------------------------------------------------

def team_get(*, user, pk):
    """One team the user may read, or OrgUnit.DoesNotExist (a 404): "Vårt team" of one team."""
    return (scope.readable_units(user).filter(kind=OrgUnitKind.TEAM, is_active=True)
            .select_related("parent").get(pk=pk))


def team_activity_filterset(*, user, team, data=None):
    """The team's activities behind the one ActivityFilterSet, bound to ``data`` (the query
    string). Its ``qs`` feeds the table and its ``form`` the filter form; the goal choices are
    the goals the team's activities serve and the goals of its unit's scorecard this year.

    ``latest_update`` (the date of the newest progress note) is annotated so that the table can
    show and sort by it without loading the notes.
    """
    from scorecards.filters import ActivityFilterSet

    scope.require_read(user, team)
    queryset = (Activity.objects.filter(team=team)
                .select_related("team")
                .annotate(latest_update=Max("updates__date"))
                .prefetch_related(Prefetch("goals", queryset=ScorecardGoal.objects.order_by("order", "pk"))))
    year = current_year()
    goals = (ScorecardGoal.objects.filter(Q(scorecard__unit_id=team.parent_id, scorecard__year=year)
                                          | Q(activities__team=team))
             .distinct().select_related("scorecard__year").order_by("-scorecard__year__year", "order", "pk"))
    return ActivityFilterSet(data or None, queryset=queryset, goals=goals)


def activity_goal_choices(*, team, year, activity=None):
    """The unit goals an activity of ``team`` may be tied to: the goals of its unit's scorecard
    for ``year``, plus (when editing) the goals the activity already serves, so an activity
    from an earlier year keeps its goals."""
    condition = Q(scorecard__unit_id=team.parent_id, scorecard__year=year)
    if activity is not None:
        condition |= Q(activities=activity)
    return (ScorecardGoal.objects.filter(condition).distinct()
            .select_related("perspective", "scorecard__year")
            .order_by("-scorecard__year__year", "perspective__order", "order", "pk"))


# --- lists for the API ------------------------------------------------------------------------
# Scoped like the single reads above; each selects what its rows show, so a page of any size
# costs the same few queries.

def scorecard_list(*, user):
    return (Scorecard.objects.filter(unit__in=scope.readable_units(user)).select_related("unit", "year")
            .prefetch_related(Prefetch("indicator_links", queryset=ScorecardIndicator.objects.order_by("order", "pk")))
            .order_by("-year__year", "unit__path"))


def scorecard_goal_list(*, user):
    return (ScorecardGoal.objects.filter(scorecard__unit__in=scope.readable_units(user))
            .select_related("scorecard__unit", "scorecard__year", "perspective").prefetch_related("political_goals")
            .order_by("-scorecard__year__year", "scorecard__unit__path", "perspective__order", "order", "pk"))


def indicator_list(*, user):
    return Indicator.objects.filter(owner__in=scope.readable_units(user)).select_related("owner").order_by("name", "pk")


def target_list(*, user):
    readable = scope.readable_units(user)
    return (Target.objects.filter(indicator__owner__in=readable).filter(Q(unit__isnull=True) | Q(unit__in=readable))
            .select_related("indicator", "year", "unit").order_by("indicator__name", "indicator_id", "year__year", "pk"))


def measurement_list(*, user):
    return (Measurement.objects.filter(unit__in=scope.readable_units(user))
            .select_related("indicator", "unit", "period__year", "author")
            .order_by("unit__path", "indicator__name", "indicator_id", "period__start", "-period__end"))


def indicator_for_reference(*, user, reference):
    """A readable indicator by id (a number) or by its external code (a text), or None."""
    indicators = Indicator.objects.filter(owner__in=scope.readable_units(user))
    if isinstance(reference, int) and not isinstance(reference, bool):
        return indicators.filter(pk=reference).first()
    reference = str(reference).strip()
    found = indicators.filter(external_code=reference).first() if reference else None
    if found is None and reference.isdigit() and len(reference) < 19:
        found = indicators.filter(pk=int(reference)).first()
    return found


def indicators_for_references(*, user, references):
    """``indicator_for_reference`` for many references at once, in at most three queries whatever
    their number (the API's bulk endpoint): a dict from each reference given to its indicator or
    None. The same rule: a number is an id; a text is an external code (the lowest id when codes
    repeat), or an id when no code matches and it is all digits."""
    indicators = Indicator.objects.filter(owner__in=scope.readable_units(user))
    ids, codes = set(), set()
    for reference in references:
        if isinstance(reference, int) and not isinstance(reference, bool):
            ids.add(reference)
        elif str(reference).strip():
            codes.add(str(reference).strip())
    by_code = {}
    for indicator in indicators.filter(external_code__in=codes).order_by("-pk"):
        by_code[indicator.external_code] = indicator  # the lowest id is written last
    ids |= {int(code) for code in codes - set(by_code) if code.isdigit() and len(code) < 19}
    # An id outside a 64-bit key names no row (and SQLite cannot even bind it).
    ids = {pk for pk in ids if 0 < pk < 2 ** 63}
    by_id = {indicator.pk: indicator for indicator in indicators.filter(pk__in=ids)} if ids else {}
    found = {}
    for reference in references:
        if isinstance(reference, int) and not isinstance(reference, bool):
            found[reference] = by_id.get(reference)
        else:
            code = str(reference).strip()
            found[reference] = by_code.get(code) or (by_id.get(int(code)) if code.isdigit() and len(code) < 19
                                                     else None)
    return found


# --- comparison values (Kolada) ---------------------------------------------------------------

@dataclass
class ComparisonSeries:
    """One area's yearly values of an indicator's KPI: "Riket", another municipality, a group."""

    area_code: str
    area_name: str
    area_kind: str
    values: dict = field(default_factory=dict)  # year → Decimal

    @property
    def label(self):
        return self.area_name or self.area_code


def comparison_series(*, indicators, years, gender="T", own_municipality=None):
    """The comparison series of ``indicators`` for ``years``, in one query: a mapping of
    indicator id → [ComparisonSeries], the whole country first, then by name.

    Comparison values are public figures (Kolada), so they are not scoped; the caller passes
    indicators the user may read. For a yearly indicator the own municipality's series is left
    out: its Kolada values are the indicator's own measurements already.
    """
    from django.conf import settings

    from scorecards.models import ComparisonValue, Frequency

    indicators = list(indicators)
    years = list(years)
    if not indicators or not years:
        return {}
    own = own_municipality if own_municipality is not None else getattr(settings, "TILLIT_KOLADA_MUNICIPALITY", "")
    kpis = {i.kolada_kpi for i in indicators if i.kolada_kpi}
    rows = ComparisonValue.objects.filter(
        Q(kpi__in=kpis, indicator__isnull=True) | Q(indicator__in=[i.pk for i in indicators]),
        year__in=years, gender=gender,
    ).order_by("area_code", "year")
    by_kpi, by_indicator = defaultdict(dict), defaultdict(dict)
    for row in rows:
        target = by_indicator[row.indicator_id] if row.indicator_id else by_kpi[row.kpi]
        series = target.setdefault(row.area_code, ComparisonSeries(row.area_code, row.area_name, row.area_kind))
        series.values[row.year] = row.value
    result = {}
    for indicator in indicators:
        found = {**by_kpi.get(indicator.kolada_kpi, {}), **by_indicator.get(indicator.pk, {})}
        if indicator.frequency == Frequency.YEARLY:
            found.pop(own, None)
        if found:
            result[indicator.pk] = sorted(found.values(), key=lambda s: (s.area_kind != "country", s.label))
    return result
