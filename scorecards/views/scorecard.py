"""Mitt styrkort: the unit manager's scorecard, its unit goals and own indicators, and one grid
to enter the values of a period.

Reads go through ``scorecards.selectors`` (scoped to the user: another unit's scorecard is a
404), writes through ``scorecards.services`` (which check permission: a reader who may not edit
gets a 403, and which validate: errors are shown on the form, never a server error).

Follow-ups belong to the reporting app, which sits *above* this one (docs/architecture.md §10:
reporting → scorecards → governance), so this module never imports it. Instead the reporting
layer registers a provider with :func:`provide_reporting`; the scorecard page asks the
providers for a :class:`ReportingPanel` (the round shown, the follow-ups per unit goal, links
to the round's pages) and hands the follow-ups to ``selectors.scorecard_detail``. The higher
layer calls down; nothing here knows reporting's models or URLs.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from governance import scope
from governance.concurrency import StaleWrite
from governance.models import Period
from governance.scope import Action
from governance.selectors import political_goal_list
from scorecards import selectors, services
from scorecards.evaluation import evaluate, index_targets, resolve_target
from scorecards.forms.scorecard import (
    DEFINITION_FIELDS, IndicatorForm, MeasurementRowForm, PeriodChoiceForm, ScorecardGoalForm, apply_service_errors,
    format_number,
)
from scorecards.models import (
    Indicator, Mandate, Measurement, Scorecard, ScorecardGoal, ScorecardIndicator, Target,
)

# --- the hook for the reporting layer ---------------------------------------------------------


@dataclass
class ReportingPanel:
    """What the reporting layer adds to a scorecard page.

    ``follow_ups`` maps a scorecard goal id to its follow-ups; the template reads ``org_unit``,
    ``state``, ``get_state_display``, ``self_assessment``, ``get_self_assessment_display``,
    ``what_we_did``, ``review_comment`` from each. ``links`` are (label, url) pairs.
    """

    title: str
    follow_ups: dict = field(default_factory=dict)
    links: list = field(default_factory=list)
    summary: str = ""


_reporting_providers = []


def provide_reporting(provider):
    """Register ``provider(*, user, scorecard) -> ReportingPanel | None`` (usable as a decorator)."""
    if provider not in _reporting_providers:
        _reporting_providers.append(provider)
    return provider


def reporting_panel(*, user, scorecard):
    for provider in _reporting_providers:
        panel = provider(user=user, scorecard=scorecard)
        if panel is not None:
            return panel
    return None


# --- helpers ----------------------------------------------------------------------------------


def _scorecard_or_404(user, pk):
    try:
        return selectors.scorecard_get(user=user, pk=pk)
    except Scorecard.DoesNotExist:
        raise Http404(_("No such scorecard.")) from None


def _allowed(check, *args):
    """Whether a service's own permission check lets the user through (to show or hide a form)."""
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


def _scorecard_url(scorecard, anchor=""):
    url = reverse("scorecards:scorecard", args=[scorecard.pk])
    return f"{url}#{anchor}" if anchor else url


def _goals_of(scorecard):
    return scorecard.goals.select_related("perspective").order_by("perspective__order", "order", "pk")


# --- landing and the scorecard page -----------------------------------------------------------


@login_required
def my_scorecard(request):
    """Land on the scorecard of the user's unit for this year; with several units or no scorecard
    for this year, choose one."""
    units = selectors.units_for(user=request.user)
    scorecards = list(Scorecard.objects.filter(unit__in=units).select_related("unit", "year")
                      .order_by("unit__path", "-year__year"))
    year = selectors.current_year()
    unit_ids = {s.unit_id for s in scorecards}
    if len(unit_ids) == 1:
        this_year = [s for s in scorecards if year and s.year_id == year.pk]
        if this_year or len(scorecards) == 1:
            return redirect(_scorecard_url((this_year or scorecards)[0]))
    return render(request, "scorecards/scorecard/choose.html", {"scorecards": scorecards, "current_year": year})


@login_required
def scorecard_page(request, pk):
    user = request.user
    scorecard = _scorecard_or_404(user, pk)
    panel = reporting_panel(user=user, scorecard=scorecard)
    detail = selectors.scorecard_detail(user=user, scorecard=scorecard,
                                        follow_ups=panel.follow_ups if panel else None)
    lines = [line for block in detail.perspectives for goal in block.goals for line in goal.indicators]
    lines += detail.unplaced_indicators
    kinds = {line.indicator.period_kind for line in lines}
    can_enter = scope.can(user, Action.ENTER_MEASUREMENTS, scorecard.unit)
    period_form = None
    if can_enter and kinds:
        periods = [p for p in Period.objects.filter(year=scorecard.year_id).order_by("start", "-end") if p.kind in kinds]
        default = detail.as_of if detail.as_of and detail.as_of.kind in kinds else None
        default = default or next((p for p in reversed(periods) if p.start <= datetime.date.today()), None)
        period_form = PeriodChoiceForm(periods=periods, initial={"period": default.pk if default else None})
    other_years = (Scorecard.objects.filter(unit=scorecard.unit_id).exclude(pk=scorecard.pk)
                   .select_related("year").order_by("-year__year"))
    return render(request, "scorecards/scorecard/detail.html", {
        "scorecard": scorecard,
        "detail": detail,
        "panel": panel,
        "can_edit": scope.can(user, Action.EDIT_SCORECARD, scorecard.unit),
        "can_enter": can_enter,
        "period_form": period_form,
        "other_years": other_years,
    })


# --- unit goals -------------------------------------------------------------------------------


def _goal_form_page(request, scorecard, goal=None):
    user = request.user
    scope.require(user, Action.EDIT_SCORECARD, scorecard.unit)
    political_goals = political_goal_list(user=user, board=scorecard.unit.board, year=scorecard.year.year)
    if goal is None:
        initial = {"order": (scorecard.goals.count() + 1) * 10}
    else:
        initial = {"perspective": goal.perspective_id, "title": goal.title, "description": goal.description,
                   "political_goals": list(goal.political_goals.all()), "order": goal.order, "version": goal.version}
    form = ScorecardGoalForm(request.POST or None, initial=initial, political_goals=political_goals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"perspective": data["perspective"], "title": data["title"], "description": data["description"],
                  "order": data["order"]}
        try:
            if goal is None:
                goal = services.scorecard_goal_create(user=user, scorecard=scorecard,
                                                      political_goals=data["political_goals"], **fields)
                messages.success(request, _("The unit goal “%(goal)s” was added.") % {"goal": goal.title})
            else:
                goal = services.scorecard_goal_update(user=user, goal=goal, expected_version=data["version"],
                                                      political_goals=data["political_goals"], **fields)
                messages.success(request, _("The unit goal “%(goal)s” was saved.") % {"goal": goal.title})
            return redirect(_scorecard_url(scorecard, f"goal-{goal.pk}"))
        except ValidationError as error:
            apply_service_errors(form, error)
        except StaleWrite as error:
            form.add_error(None, error.message)
    return render(request, "scorecards/scorecard/goal_form.html",
                  {"scorecard": scorecard, "goal": goal, "form": form})


@login_required
def goal_create(request, pk):
    return _goal_form_page(request, _scorecard_or_404(request.user, pk))


@login_required
def goal_edit(request, pk, goal_pk):
    scorecard = _scorecard_or_404(request.user, pk)
    goal = ScorecardGoal.objects.filter(scorecard=scorecard, pk=goal_pk).first()
    if goal is None:
        raise Http404(_("No such unit goal."))
    return _goal_form_page(request, scorecard, goal)


# --- indicators -------------------------------------------------------------------------------


def _target_of(link, scorecard):
    """The target row that applies to this unit (its own override, else the default)."""
    targets = index_targets(Target.objects.filter(indicator=link.indicator_id, year=scorecard.year_id))
    return resolve_target(targets, indicator_id=link.indicator_id, year_id=scorecard.year_id, unit_id=scorecard.unit_id)


def _target_initial(target):
    if target is None:
        return {}
    return {"target_value": format_number(target.target_value), "target_max": format_number(target.target_max),
            "yellow_threshold": format_number(target.yellow_threshold),
            "tolerance_percent": format_number(target.tolerance_percent), "target_comment": target.comment,
            "target_version": target.version}


def _set_target(user, form, indicator, scorecard, target):
    """Write the target part of ``form`` when the user changed it."""
    data = form.cleaned_data
    changed = set(form.changed_data) & {"target_value", "target_max", "yellow_threshold", "tolerance_percent",
                                        "target_comment"}
    if not changed:
        return
    if indicator.is_mandated:
        # A mandated indicator's default is for every unit: from here only this unit's override.
        unit = scorecard.unit
    else:
        unit = target.unit if target is not None else None
    same_row = target is not None and target.unit_id == (unit.pk if unit else None)
    services.target_set(
        user=user, indicator=indicator, year=scorecard.year, unit=unit,
        target_value=data["target_value"], target_max=data["target_max"] or None,
        yellow_threshold=data["yellow_threshold"] or None, tolerance_percent=data["tolerance_percent"] or None,
        comment=data["target_comment"],
        # 0 means "there was no target": one created meanwhile by someone else is not overwritten.
        expected_version=data.get("target_version") if same_row else 0,
    )


@login_required
def indicator_create(request, pk):
    user = request.user
    scorecard = _scorecard_or_404(user, pk)
    scope.require(user, Action.EDIT_SCORECARD, scorecard.unit)
    # Ask the service's rule whether this user sets targets of the unit's own indicators.
    may_set_target = _allowed(services.require_target_edit, user,
                              Indicator(owner=scorecard.unit, mandate=Mandate.OWN), None)
    initial = {"goal": request.GET.get("mal")} if request.GET.get("mal", "").isdigit() else {}
    form = IndicatorForm(request.POST or None, initial=initial, goals=_goals_of(scorecard), target=may_set_target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The indicator and its target are one change for the user: both or neither.
            with transaction.atomic():
                link = services.own_indicator_create(
                    user=user, scorecard=scorecard, goal=data["goal"], analysis=data["analysis"],
                    **{name: data[name] for name in DEFINITION_FIELDS},
                )
                if may_set_target:
                    _set_target(user, form, link.indicator, scorecard, None)
            messages.success(request, _("The indicator “%(name)s” was added.") % {"name": link.indicator.name})
            return redirect(_scorecard_url(scorecard, f"indicator-{link.pk}"))
        except ValidationError as error:
            apply_service_errors(form, error, {"target": "target_value", "comment": "target_comment"})
        except StaleWrite as error:
            form.add_error(None, error.message)
    return render(request, "scorecards/scorecard/indicator_form.html",
                  {"scorecard": scorecard, "form": form, "link": None, "indicator": None})


@login_required
def indicator_edit(request, pk, link_pk):
    user = request.user
    scorecard = _scorecard_or_404(user, pk)
    link = (ScorecardIndicator.objects.filter(scorecard=scorecard, pk=link_pk)
            .select_related("indicator", "indicator__owner", "goal").first())
    if link is None:
        raise Http404(_("No such indicator in this scorecard."))
    indicator = link.indicator
    scope.require(user, Action.EDIT_SCORECARD, scorecard.unit)  # the placement and the analysis
    may_define = _allowed(services.require_indicator_edit, user, indicator)
    may_set_target = _allowed(services.require_target_edit, user, indicator, scorecard.unit)
    target = _target_of(link, scorecard)
    initial = {"goal": link.goal_id, "analysis": link.analysis, "link_version": link.version, **_target_initial(target)}
    if may_define:
        initial.update({name: getattr(indicator, name) for name in DEFINITION_FIELDS})
        initial["indicator_version"] = indicator.version
    form = IndicatorForm(request.POST or None, initial=initial, goals=_goals_of(scorecard),
                         definition=may_define, target=may_set_target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = set(form.changed_data)
        try:
            with transaction.atomic():
                definition = {name: data[name] for name in DEFINITION_FIELDS if name in changed}
                if definition:
                    services.indicator_update(user=user, indicator=indicator,
                                              expected_version=data["indicator_version"], **definition)
                placement = {name: data[name] for name in ("goal", "analysis") if name in changed}
                if placement:
                    services.scorecard_indicator_update(user=user, link=link, expected_version=data["link_version"],
                                                        **placement)
                if may_set_target:
                    _set_target(user, form, indicator, scorecard, target)
            messages.success(request, _("The indicator “%(name)s” was saved.") % {"name": indicator.name})
            return redirect(_scorecard_url(scorecard, f"indicator-{link.pk}"))
        except ValidationError as error:
            apply_service_errors(form, error, {"target": "target_value", "comment": "target_comment"})
        except StaleWrite as error:
            form.add_error(None, error.message)
    return render(request, "scorecards/scorecard/indicator_form.html",
                  {"scorecard": scorecard, "form": form, "link": link, "indicator": indicator, "target": target})


# --- the grid of values for one period --------------------------------------------------------


@dataclass
class GridRow:
    link: ScorecardIndicator
    measurement: Measurement | None
    evaluation: object
    form: MeasurementRowForm

    @property
    def indicator(self):
        return self.link.indicator

    @property
    def key(self):
        return str(self.link.indicator_id)


def _grid_rows(scorecard, period, data=None):
    """One row per indicator of the scorecard reported for ``period``'s kind, with its target,
    its current value and status: a fixed number of queries whatever the size of the scorecard."""
    links = [link for link in scorecard.indicator_links.select_related("indicator", "indicator__owner", "goal")
             .order_by("goal__perspective__order", "goal__order", "goal_id", "order", "pk")
             if link.indicator.period_kind == period.kind]
    indicator_ids = [link.indicator_id for link in links]
    targets = index_targets(Target.objects.filter(indicator_id__in=indicator_ids, year=scorecard.year_id).order_by())
    measurements = {m.indicator_id: m for m in Measurement.objects.filter(
        indicator_id__in=indicator_ids, unit=scorecard.unit_id, period=period).order_by()}
    rows = []
    for link in links:
        measurement = measurements.get(link.indicator_id)
        target = resolve_target(targets, indicator_id=link.indicator_id, year_id=scorecard.year_id,
                                unit_id=scorecard.unit_id)
        initial = {"value": format_number(measurement.value) if measurement else "",
                   "comment": measurement.comment if measurement else "",
                   "version": measurement.version if measurement else 0}
        form = MeasurementRowForm(data, initial=initial, prefix=f"row-{link.indicator_id}")
        rows.append(GridRow(link=link, measurement=measurement, form=form,
                            evaluation=evaluate(indicator=link.indicator, target=target, measurement=measurement,
                                                period=period)))
    return rows


def _mark_row_invalid(row):
    row.form.fields["value"].widget.attrs.update({"aria-invalid": "true",
                                                  "aria-describedby": f"row-{row.key}-errors"})


@login_required
def grid_choose(request, pk):
    """The period chooser of the scorecard page posts here (GET) and is sent on to the grid."""
    scorecard = _scorecard_or_404(request.user, pk)
    period_pk = request.GET.get("period", "")
    if period_pk.isdigit() and Period.objects.filter(pk=period_pk, year=scorecard.year_id).exists():
        return redirect("scorecards:grid", pk=scorecard.pk, period_pk=int(period_pk))
    messages.error(request, _("Choose a period of %(year)s.") % {"year": scorecard.year})
    return redirect(_scorecard_url(scorecard))


@login_required
def grid(request, pk, period_pk):
    user = request.user
    scorecard = _scorecard_or_404(user, pk)
    period = Period.objects.filter(pk=period_pk, year=scorecard.year_id).first()
    if period is None:
        raise Http404(_("No such period in this scorecard's year."))
    scope.require(user, Action.ENTER_MEASUREMENTS, scorecard.unit)
    rows = _grid_rows(scorecard, period, request.POST if request.method == "POST" else None)
    errors = []
    if request.method == "POST":
        if all(row.form.is_valid() for row in rows):
            changed = [row for row in rows if {"value", "comment"} & set(row.form.changed_data)]
            try:
                saved = services.measurements_record_for_period(user=user, unit=scorecard.unit, period=period, rows=[
                    {"indicator": row.indicator, "value": row.form.cleaned_data["value"],
                     "comment": row.form.cleaned_data["comment"],
                     "expected_version": row.form.cleaned_data["version"] or 0}
                    for row in changed
                ])
            except ValidationError as error:
                by_row = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
                for row in rows:
                    for message in by_row.pop(row.key, []):
                        row.form.add_error(None, message)
                errors = [message for messages_ in by_row.values() for message in messages_]
            else:
                if saved:
                    messages.success(request, _("%(count)s value(s) for %(period)s were saved.")
                                     % {"count": len(saved), "period": period.label})
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect(_scorecard_url(scorecard))
        for row in rows:
            if row.form.errors:
                _mark_row_invalid(row)
    other_periods = [p for p in Period.objects.filter(year=scorecard.year_id, kind=period.kind).order_by("start")]
    return render(request, "scorecards/scorecard/grid.html", {
        "scorecard": scorecard, "period": period, "rows": rows, "errors": errors,
        "rows_with_errors": [row for row in rows if row.form.errors],
        "other_periods": other_periods,
    }, status=200)


urlpatterns = [
    path("styrkort/", my_scorecard, name="my-scorecard"),
    path("styrkort/<int:pk>/", scorecard_page, name="scorecard"),
    path("styrkort/<int:pk>/mal/nytt/", goal_create, name="goal-create"),
    path("styrkort/<int:pk>/mal/<int:goal_pk>/", goal_edit, name="goal-edit"),
    path("styrkort/<int:pk>/indikatorer/ny/", indicator_create, name="indicator-create"),
    path("styrkort/<int:pk>/indikatorer/<int:link_pk>/", indicator_edit, name="indicator-edit"),
    path("styrkort/<int:pk>/utfall/", grid_choose, name="grid-choose"),
    path("styrkort/<int:pk>/utfall/<int:period_pk>/", grid, name="grid"),
]
