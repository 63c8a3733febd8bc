"""The board's goal report (Målrapport): one row per political goal with its evidence, a
drill-down into one goal, and the trend charts. Read only.

What the pages show comes from one of two sources, turned into the same small view models
below so that one set of templates renders both:

- live data from ``reporting.evidence.board_report_data``, which limits it to the units the user
  may read: the board and the controller see every unit, a unit manager or team member only their
  own part, an outsider nothing (404);
- once the round's latest board report is adopted, its frozen snapshot (``BoardReport.snapshot``,
  see ``reporting.snapshot``): the adopted report says what it said on the day of the decision,
  whatever changed afterwards (docs/architecture.md §5). The snapshot holds the whole board's evidence, so
  it is shown to those who read the report as a whole (the board, the controllers serving it);
  a user who sees only part of the organisation keeps seeing the live data of their own part.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from governance import scope
from governance.csv_export import csv_response
from governance.models import OrgUnitKind
from governance.scope import Action
from reporting import charts
from reporting.evidence import board_report_data, board_report_overview, goal_units
from reporting.forms.rounds import GoalUnitFilterForm, RoundChoiceForm
from reporting.models import FollowUp, ReportingRound
from reporting.rules import Assessment, AssessmentCounts, DivergenceKind, StatusCounts
from reporting.selectors import adopted_snapshot, readable_rounds, round_get, round_political_goal
from reporting.snapshot_index import frozen_goal, frozen_indicator_row, frozen_overview
from scorecards import selectors as scorecard_selectors
from scorecards.models import ActivityStatus, Mandate, ScorecardIndicator
from scorecards.status import Status

# Follow-up texts reach the page once the team or unit has submitted them; drafts are progress.
SHOWN_FOLLOW_UP_STATES = frozenset(FollowUp.REPORTED_STATES)  # the one rule: reporting.models

# The drill-down lists the contributing units a page at a time. Each unit brings its indicators
# (with a chart each), follow-ups and activities: at a large city a goal has hundreds of units,
# and the whole list was a page of several MB that took seconds to build and to read. Twenty
# units make a page a board member can read through; the search, the divergence filter and the
# links from the divergence lines find a given unit.
UNITS_PER_PAGE = 20


# --- reads (scoped) ------------------------------------------------------------------------------

def readable_round_or_404(user, pk):
    try:
        return round_get(user=user, pk=pk)
    except ReportingRound.DoesNotExist:
        raise Http404(_("No such reporting round.")) from None


def default_round(user, rounds):
    """The latest round of the user's own board that has been opened (else the latest at all)."""
    if not rounds:
        return None
    own_board_ids = [grant.board_id for grant in scope.scope_for(user).grants]
    preferred = [r for r in rounds if r.board_id in own_board_ids] or rounds
    of_board = [r for r in preferred if r.board_id == preferred[0].board_id]
    started = [r for r in of_board if r.state != ReportingRound.State.PLANNED]
    return (started or of_board)[0]


# --- view models -----------------------------------------------------------------------------------

@dataclass
class Count:
    code: str
    label: str
    count: int


@dataclass
class DivergenceText:
    where: str
    text: str
    unit_id: int | None = None  # None: the goal as a whole


@dataclass
class GoalSummary:
    """One political goal's evidence as the report and the drill-down show it."""

    goal_id: int
    code: str
    title: str
    short_title: str
    description: str
    mandated: list
    own: list
    self_assessments: list
    divergences: list
    assessment_code: str = ""
    assessment_label: str = ""
    assessment_text: str = ""
    suggestion_label: str = ""


@dataclass
class IndicatorView:
    link_id: int
    name: str
    mandate_label: str
    mandate_source: str
    target_text: str
    period_label: str
    value_text: str
    status_code: str
    status_label: str
    chart: charts.IndicatorChart


@dataclass
class FollowUpView:
    who: str
    goal: str
    state_code: str
    state_label: str
    assessment_code: str
    assessment_label: str
    what_we_did: str
    effect_for_citizens: str
    learning: str
    next_step: str

    @property
    def shows_text(self):
        return self.state_code in SHOWN_FOLLOW_UP_STATES


@dataclass
class ActivityView:
    title: str
    expected_citizen_value: str
    team: str
    status_code: str
    status_label: str
    update_date: object = None
    update_text: str = ""


@dataclass
class UnitView:
    key: str
    name: str
    scorecard_goals: list = field(default_factory=list)  # [(title, perspective or "")]
    indicators: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    activities: list = field(default_factory=list)


@dataclass(frozen=True)
class UnitEntry:
    """A unit in the drill-down's list of contributing units (before paging)."""

    unit_id: int | None  # None: a unit only named in an adopted report's snapshot
    name: str
    divergent: bool


def filter_units(entries, *, query="", divergent_only=False, unit_id=None):
    """The units the drill-down lists: one unit when ``unit_id`` is given, else those whose name
    contains ``query`` (ignoring case), and only those with a divergence if asked."""
    if unit_id is not None:
        return [e for e in entries if e.unit_id == unit_id]
    if query:
        needle = query.casefold()
        entries = [e for e in entries if needle in e.name.casefold()]
    if divergent_only:
        entries = [e for e in entries if e.divergent]
    return entries


def _status_counts(counts):
    return [Count(str(s.value), s.label, counts[s]) for s in Status if counts[s]]


def _assessment_counts(counts):
    rows = [Count(str(a.value), a.label, counts[a]) for a in Assessment if counts[a]]
    if counts.not_given:
        rows.append(Count("not_given", _("Not given"), counts.not_given))
    return rows


def _divergence_texts(divergences, unit_names):
    return [DivergenceText(where=_("The goal as a whole") if unit_id is None else unit_names.get(unit_id, ""),
                           text=DivergenceKind(kind).label, unit_id=unit_id) for unit_id, kind in divergences]


def _label(choices, code):
    try:
        return choices(code).label
    except ValueError:
        return code or ""


# --- from live data -----------------------------------------------------------------------------------

def summary_from_row(row):
    """``row`` is an ``evidence.GoalRow`` or ``evidence.GoalOverview``."""
    evidence, goal, assessment = row.evidence, row.political_goal, row.assessment
    unit_names = row.unit_names
    return GoalSummary(
        goal_id=goal.pk, code=goal.code, title=goal.title, short_title=goal.short_title, description=goal.description,
        mandated=_status_counts(evidence.mandated), own=_status_counts(evidence.own),
        self_assessments=_assessment_counts(evidence.self_assessments),
        divergences=_divergence_texts([(d.unit_id, d.kind) for d in evidence.divergences], unit_names),
        assessment_code=assessment.assessment if assessment else "",
        assessment_label=assessment.get_assessment_display() if assessment and assessment.assessment else "",
        assessment_text=assessment.text if assessment else "",
        suggestion_label=evidence.suggested_assessment.label if evidence.suggested_assessment else "",
    )


def comparisons_for_row(row, year):
    """Comparison series (Kolada) of every indicator in a goal's drill-down, in one query."""
    indicators = {r.indicator.pk: r.indicator for c in row.units for r in c.indicators}
    return scorecard_selectors.comparison_series(indicators=indicators.values(), years=[year])


def units_from_row(row, comparisons=None):
    units = []
    for contribution in row.units:
        unit = UnitView(key=str(contribution.unit.pk), name=contribution.unit.name,
                        scorecard_goals=[(g.title, g.perspective.name) for g in contribution.scorecard_goals])
        for r in contribution.indicators:
            indicator = r.indicator
            unit.indicators.append(IndicatorView(
                link_id=r.link.pk, name=indicator.name, mandate_label=indicator.get_mandate_display(),
                mandate_source=indicator.mandate_source, target_text=charts.format_target(r.evaluation.target, indicator),
                period_label=r.evaluation.period.label if r.evaluation.period else "",
                value_text=charts.format_value(r.evaluation.value, indicator),
                status_code=str(r.evaluation.status), status_label=Status(r.evaluation.status).label,
                chart=charts.chart_for_row(r, comparisons=(comparisons or {}).get(indicator.pk))))
        for f in contribution.follow_ups:
            unit.follow_ups.append(FollowUpView(
                who=f.org_unit.name, goal=f.scorecard_goal.title if f.scorecard_goal_id else f.political_goal.title,
                state_code=f.state, state_label=f.get_state_display(), assessment_code=f.self_assessment,
                assessment_label=f.get_self_assessment_display() if f.self_assessment else "",
                what_we_did=f.what_we_did, effect_for_citizens=f.effect_for_citizens, learning=f.learning,
                next_step=f.next_step))
        for a in contribution.activities:
            updates = list(a.updates.all())
            unit.activities.append(ActivityView(
                title=a.title, expected_citizen_value=a.expected_citizen_value, team=a.team.name, status_code=a.status,
                status_label=a.get_status_display(), update_date=updates[0].date if updates else None,
                update_text=updates[0].text if updates else ""))
        units.append(unit)
    return units


# --- from an adopted report's snapshot -----------------------------------------------------------------

def _decimal(text):
    return None if text in (None, "") else Decimal(text)


@dataclass(frozen=True)
class _FrozenIndicator:
    """Just what the formatting helpers need, read from a snapshot row."""

    name: str
    decimals: int
    unit_symbol: str
    direction: str


@dataclass(frozen=True)
class _FrozenTarget:
    target_value: Decimal
    target_max: Decimal | None


@dataclass(frozen=True)
class _FrozenPeriod:
    label: str


@dataclass(frozen=True)
class _FrozenUnit:
    name: str


def _frozen_indicator(row):
    indicator = _FrozenIndicator(name=row["name"], decimals=int(row.get("decimals") or 0),
                                 unit_symbol=row.get("measure") or "", direction=row.get("direction") or "increase")
    target = row.get("target")
    target = _FrozenTarget(_decimal(target["value"]), _decimal(target.get("max"))) if target else None
    return indicator, target


def chart_from_snapshot_row(row):
    indicator, target = _frozen_indicator(row)
    series = [(_FrozenPeriod(p["period"]), _decimal(p.get("value"))) for p in row.get("series", [])]
    return charts.build_chart(indicator=indicator, unit=_FrozenUnit(row["unit"]["name"]), series=series, target=target)


def summary_from_snapshot(goal):
    """``goal`` is a snapshot's goal, or its overview (``reporting.snapshot_index.goal_overview``)."""
    evidence = goal.get("evidence") or {}
    if "unit_names" in goal:
        unit_names = {int(pk): name for pk, name in goal["unit_names"].items()}
    else:
        unit_names = {row["unit"]["id"]: row["unit"]["name"] for row in goal.get("indicators", [])}
    self_assessments = dict(evidence.get("self_assessments") or {})
    not_given = self_assessments.pop("not_given", 0)
    assessment = goal.get("assessment") or {}
    suggested = goal.get("suggested_assessment") or {}
    return GoalSummary(
        goal_id=goal["id"], code=goal["code"], title=goal["title"], short_title=goal.get("short_title", ""),
        description=goal.get("description", ""),
        mandated=_status_counts(StatusCounts(evidence.get("mandated"))),
        own=_status_counts(StatusCounts(evidence.get("own"))),
        self_assessments=_assessment_counts(AssessmentCounts(self_assessments, not_given=not_given)),
        divergences=_divergence_texts([(d["unit_id"], d["kind"]) for d in evidence.get("divergences", [])], unit_names),
        assessment_code=assessment.get("code") or "",
        assessment_label=_label(Assessment, assessment.get("code")) if assessment.get("code") else "",
        assessment_text=assessment.get("text") or "",
        suggestion_label=_label(Assessment, suggested.get("code")) if suggested.get("code") else "",
    )


def snapshot_unit_entries(goal):
    """The units of an adopted report's goal, in the order the snapshot lists them, for paging.
    A snapshot knows a unit's id only from its indicator rows; the divergences name units by id."""
    ids = {}
    for row in goal.get("indicators", []):
        ids.setdefault(row["unit"]["name"], row["unit"]["id"])
    divergent = {d.get("unit_id") for d in (goal.get("evidence") or {}).get("divergences", [])} - {None}
    names = dict.fromkeys(goal.get("units", []))
    names.update(dict.fromkeys(f["unit"] for f in goal.get("follow_ups", [])))
    names.update(dict.fromkeys(a.get("unit") or a["team"] for a in goal.get("activities", [])))
    return [UnitEntry(unit_id=ids.get(name), name=name, divergent=ids.get(name) in divergent) for name in names]


def units_from_snapshot(goal, only=None):
    """The unit views of an adopted report's goal; ``only`` (unit names) limits them to a page."""
    ids = {row["unit"]["name"]: row["unit"]["id"] for row in goal.get("indicators", [])}
    units = {}

    def unit_named(name):
        if only is not None and name not in only:
            return None
        if name not in units:
            units[name] = UnitView(key=str(ids[name]) if name in ids else f"u{len(units) + 1}", name=name)
        return units[name]

    for name in goal.get("units", []):
        unit_named(name)
    for row in goal.get("indicators", []):
        unit = unit_named(row["unit"]["name"])
        if unit is None:
            continue
        if row.get("scorecard_goal") and (row["scorecard_goal"], "") not in unit.scorecard_goals:
            unit.scorecard_goals.append((row["scorecard_goal"], ""))
        indicator, target = _frozen_indicator(row)
        status = row.get("status") or {}
        unit.indicators.append(IndicatorView(
            link_id=row["link_id"], name=row["name"], mandate_label=_label(Mandate, (row.get("mandate") or {}).get("code")),
            mandate_source=(row.get("mandate") or {}).get("source", ""), target_text=charts.format_target(target, indicator),
            period_label=row.get("period") or "", value_text=charts.format_value(_decimal(row.get("value")), indicator),
            status_code=status.get("code", ""), status_label=_label(Status, status.get("code")),
            chart=chart_from_snapshot_row(row)))
    for f in goal.get("follow_ups", []):
        unit = unit_named(f["unit"])
        if unit is None:
            continue
        state = (f.get("state") or {}).get("code", "")
        assessment = (f.get("self_assessment") or {}).get("code", "")
        unit.follow_ups.append(FollowUpView(
            who=f.get("team") or f["unit"], goal=f.get("goal", ""), state_code=state,
            state_label=_label(FollowUp.State, state), assessment_code=assessment,
            assessment_label=_label(Assessment, assessment) if assessment else "",
            what_we_did=f.get("what_we_did", ""), effect_for_citizens=f.get("effect_for_citizens", ""),
            learning=f.get("learning", ""), next_step=f.get("next_step", "")))
    for a in goal.get("activities", []):
        unit = unit_named(a.get("unit") or a["team"])
        if unit is None:
            continue
        update = a.get("latest_update") or {}
        status = (a.get("status") or {}).get("code", "")
        unit.activities.append(ActivityView(
            title=a["title"], expected_citizen_value=a.get("expected_citizen_value", ""), team=a["team"],
            status_code=status, status_label=_label(ActivityStatus, status),
            update_date=_iso_date(update.get("date")), update_text=update.get("text", "")))
    return list(units.values())


def _iso_date(text):
    return datetime.date.fromisoformat(text) if text else None


# --- views ---------------------------------------------------------------------------------------

@login_required
@require_safe
def goal_report_start(request):
    """Målrapport: go to the chosen round, or to the latest round of the user's board."""
    rounds = readable_rounds(request.user)
    if "round" in request.GET:
        form = RoundChoiceForm(request.GET, rounds=rounds)
        if form.is_valid():
            return redirect("reporting:goal-report-round", form.cleaned_data["round"])
        raise Http404(_("No such reporting round."))
    chosen = default_round(request.user, rounds)
    if chosen is not None:
        return redirect("reporting:goal-report-round", chosen.pk)
    if not scope.readable_units(request.user).filter(kind=OrgUnitKind.BOARD).exists():
        raise Http404(_("You have no board whose reports you may read."))
    return render(request, "reporting/board/no_rounds.html")


@login_required
@require_safe
def goal_report(request, round_pk):
    reporting_round = readable_round_or_404(request.user, round_pk)
    frozen = adopted_snapshot(request.user, reporting_round)
    if frozen is not None:
        report, goals = frozen, [summary_from_snapshot(g) for g in frozen_overview(frozen)[0]]
    else:
        data = board_report_overview(user=request.user, reporting_round=reporting_round)
        report, goals = data.report, [summary_from_row(row) for row in data.goals]
    show_suggestion = scope.can(request.user, Action.COMPILE_BOARD_REPORT, reporting_round.board)
    if request.GET.get("format") == "csv":
        return goal_report_csv(reporting_round, goals, show_suggestion)
    rounds = readable_rounds(request.user)
    return render(request, "reporting/board/goal_report.html", {
        "reporting_round": reporting_round,
        "report": report,
        "frozen": frozen is not None,
        "goals": goals,
        "chooser": RoundChoiceForm(initial={"round": reporting_round.pk}, rounds=rounds),
        "show_chooser": len(rounds) > 1,
        "show_suggestion": show_suggestion,
        "can_compile": show_suggestion,
    })


def _counts_text(counts):
    return ", ".join(f"{c.label}: {c.count}" for c in counts)


def goal_report_csv(reporting_round, goals, show_suggestion):
    """The report's overview as CSV: one row per political goal, as the table on the page."""
    header = [_("Code"), _("Political goal"), _("Mandated metrics"), _("Own indicators"), _("Self-assessments"),
              _("Divergence"), _("Controller's assessment"), _("Comment")]
    if show_suggestion:
        header.append(_("Suggestion"))
    rows = []
    for g in goals:
        row = [g.code, g.title, _counts_text(g.mandated), _counts_text(g.own), _counts_text(g.self_assessments),
               "; ".join(f"{d.where}: {d.text}" for d in g.divergences), g.assessment_label, g.assessment_text]
        if show_suggestion:
            row.append(g.suggestion_label)
        rows.append(row)
    return csv_response(filename=f"goal-report-{reporting_round.pk}.csv", header=header, rows=rows)


@login_required
@require_safe
def goal_detail(request, round_pk, goal_pk):
    """Drill-down into one political goal: its evidence, the controller's assessment and the
    contributing units with their indicators, follow-ups and activities, a page of units at a time
    (``UNITS_PER_PAGE``). The evidence always covers every unit; only the list is paged."""
    reporting_round = readable_round_or_404(request.user, round_pk)
    goal = round_political_goal(reporting_round=reporting_round, pk=goal_pk)
    if goal is None:
        raise Http404(_("No such political goal."))
    unit_filter = GoalUnitFilterForm(request.GET)
    query, divergent_only, unit_id = unit_filter.choice()
    frozen = adopted_snapshot(request.user, reporting_round)
    if frozen is not None:
        snapshot_goal = frozen_goal(frozen, goal.pk)
        if snapshot_goal is None:
            raise Http404(_("No such political goal."))
        report, summary = frozen, summary_from_snapshot(snapshot_goal)
        entries = snapshot_unit_entries(snapshot_goal)
        page = _unit_page(request, entries, query=query, divergent_only=divergent_only, unit_id=unit_id)
        units = units_from_snapshot(snapshot_goal, only={e.name for e in page})
    else:
        overview = board_report_overview(user=request.user, reporting_round=reporting_round, only_goal=goal)
        if not overview.goals:  # the goal is not valid in the round's year
            raise Http404(_("No such political goal."))
        report, summary = overview.report, summary_from_row(overview.goals[0])
        divergent = {d.unit_id for d in overview.goals[0].evidence.divergences}
        entries = [UnitEntry(unit_id=pk, name=name, divergent=pk in divergent)
                   for pk, name in goal_units(user=request.user, reporting_round=reporting_round, political_goal=goal)]
        page = _unit_page(request, entries, query=query, divergent_only=divergent_only, unit_id=unit_id)
        units = []
        if page.object_list:
            data = board_report_data(user=request.user, reporting_round=reporting_round, with_details=True,
                                     only_goal=goal, only_units=[e.unit_id for e in page], with_report=False)
            comparisons = comparisons_for_row(data.goals[0], reporting_round.period.year.year)
            units = units_from_row(data.goals[0], comparisons)
    return render(request, "reporting/board/goal_detail.html", {
        "reporting_round": reporting_round,
        "report": report,
        "frozen": frozen is not None,
        "summary": summary,
        "units": units,
        "unit_page": page,
        "unit_page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "unit_count": len(entries),
        "unit_filter": unit_filter,
        "filtered": bool(query or divergent_only or unit_id),
        # A short list needs no search; a search given (or refused) keeps its form on the page.
        "show_unit_filter": len(entries) > UNITS_PER_PAGE or bool(query or divergent_only or unit_id)
        or bool(unit_filter.errors),
        "show_suggestion": scope.can(request.user, Action.COMPILE_BOARD_REPORT, reporting_round.board),
    })


def _unit_page(request, entries, **choice):
    shown = filter_units(entries, **choice)
    return Paginator(shown, UNITS_PER_PAGE).get_page(request.GET.get("page"))


@login_required
@require_safe
def indicator_chart(request, link_pk, round_pk, fmt):
    try:
        chart = charts.indicator_chart(user=request.user, link_pk=link_pk, round_pk=round_pk)
    except (ScorecardIndicator.DoesNotExist, ReportingRound.DoesNotExist):
        raise Http404(_("No such chart.")) from None
    # An adopted report's charts show the values it was adopted with.
    frozen = adopted_snapshot(request.user, round_get(user=request.user, pk=round_pk))
    if frozen is not None:
        row = frozen_indicator_row(frozen, link_pk)
        if row is not None:
            chart = chart_from_snapshot_row(row)
    # The fingerprint of what the chart shows is its ETag: a browser asking again after max-age
    # gets a 304 without a drawing when nothing changed.
    etag = f'"{charts.chart_fingerprint(chart, fmt)}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        body, _fingerprint = charts.rendered_chart(chart, fmt)
        response = HttpResponse(body, content_type=charts.FORMATS[fmt])
    response["ETag"] = etag
    # The chart depends on who asks (scope) and on the language (labels): private, briefly cached.
    patch_cache_control(response, private=True, max_age=300)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    response["X-Content-Type-Options"] = "nosniff"
    if fmt == "svg":  # its own policy, so that it is readable when opened on its own (the middleware keeps it)
        response["Content-Security-Policy"] = charts.SVG_CONTENT_SECURITY_POLICY
    return response


urlpatterns = [
    path("malrapport/", goal_report_start, name="goal-report"),
    path("malrapport/<int:round_pk>/", goal_report, name="goal-report-round"),
    path("malrapport/<int:round_pk>/mal/<int:goal_pk>/", goal_detail, name="goal-report-goal"),
    path("diagram/indikator/<int:link_pk>/<int:round_pk>.svg", indicator_chart, {"fmt": "svg"},
         name="indicator-chart"),
    path("diagram/indikator/<int:link_pk>/<int:round_pk>.png", indicator_chart, {"fmt": "png"},
         name="indicator-chart-png"),
]
