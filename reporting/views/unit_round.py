"""The unit manager's part of a reporting round: progress per team, the review of the unit's and
its teams' follow-ups, and submitting the unit's report.

This module also gives "Mitt styrkort" its follow-ups. The scorecard page lives in the
scorecards app, which must not import reporting (docs/architecture.md §10), so reporting calls down:
:func:`scorecard_reporting` is registered with ``scorecards.views.scorecard.provide_reporting``
when this module is imported (by ``reporting.urls``, so before any request is served).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import scope
from governance.concurrency import StaleWrite
from governance.models import OrgUnit
from governance.scope import Action
from reporting import services
from reporting.forms.review import ReviewForm, UnitReportForm
from reporting.models import REPORTING_KINDS, FollowUp, ReportingRound
from reporting.progress import round_progress
from scorecards import selectors as scorecard_selectors
from scorecards.forms.scorecard import apply_service_errors
from scorecards.views.scorecard import ReportingPanel, provide_reporting

# --- reads, scoped to the user ----------------------------------------------------------------
# (Small and used only by these pages; they move to a reporting/selectors.py when one exists.)


def _board_id(unit):
    """The board a unit answers to, read off its materialised path (no query)."""
    ids = unit.ancestor_ids()
    return ids[0] if ids else unit.pk


def _rounds_of(unit):
    """The rounds of the unit's board. A unit the user may read has its board readable too
    (reading reaches up the tree), so the rounds need no further scope filter."""
    return (ReportingRound.objects.filter(board_id=_board_id(unit))
            .select_related("board", "period", "period__year").order_by("-period__start", "-period__end"))


def _round_for_year(unit, year):
    """The round a scorecard page shows: the open one of the year, else the latest started."""
    rounds = [r for r in _rounds_of(unit).filter(period__year=year) if r.state != ReportingRound.State.PLANNED]
    rounds.sort(key=lambda r: (r.state == ReportingRound.State.OPEN, r.period.end), reverse=True)
    return rounds[0] if rounds else None


def _follow_ups(user, reporting_round, unit):
    """The follow-ups of ``unit`` and its teams in the round that the user may read (drafts only
    their writers and their manager: ``FollowUp.objects.readable_by``)."""
    return (FollowUp.objects.readable_by(user).filter(round=reporting_round, org_unit__path__startswith=unit.path)
            .select_related("org_unit", "scorecard_goal", "political_goal", "author", "reviewed_by")
            .order_by("org_unit__path", "scorecard_goal__order", "scorecard_goal_id", "political_goal__order", "pk"))


def _unit_and_round(user, unit_pk, round_pk):
    """The unit (a unit or department the user may read) and a round of its board, or 404."""
    try:
        unit = scorecard_selectors.unit_get(user=user, pk=unit_pk)
    except OrgUnit.DoesNotExist:
        raise Http404(_("No such unit.")) from None
    if unit.kind not in REPORTING_KINDS:
        raise Http404(_("No such unit."))
    reporting_round = _rounds_of(unit).filter(pk=round_pk).first()
    if reporting_round is None:
        raise Http404(_("No such round for this unit."))
    return unit, reporting_round


def _round_url(name, unit, reporting_round):
    return reverse(f"reporting:{name}", args=[unit.pk, reporting_round.pk])


# --- the hook into "Mitt styrkort" ------------------------------------------------------------


@provide_reporting
def scorecard_reporting(*, user, scorecard):
    """The round of the scorecard's year, its follow-ups per unit goal and links to the round's pages."""
    unit = scorecard.unit
    reporting_round = _round_for_year(unit, scorecard.year_id)
    if reporting_round is None:
        return None
    by_goal = {}
    waiting = 0
    for follow_up in _follow_ups(user, reporting_round, unit):
        waiting += follow_up.state == FollowUp.State.SUBMITTED
        if follow_up.scorecard_goal_id:
            by_goal.setdefault(follow_up.scorecard_goal_id, []).append(follow_up)
    links = [(_("Progress per team and the unit's report"), _round_url("unit-round", unit, reporting_round))]
    if scope.can(user, Action.REVIEW_FOLLOW_UPS, unit):
        links.insert(0, (_("Review follow-ups (%(count)s waiting)") % {"count": waiting},
                         _round_url("unit-review", unit, reporting_round)))
    summary = (_("Open until %(deadline)s.") % {"deadline": reporting_round.deadline.isoformat()}
               if reporting_round.state == ReportingRound.State.OPEN else reporting_round.get_state_display())
    return ReportingPanel(title=reporting_round.name, follow_ups=by_goal, links=links, summary=summary)


# --- progress and the unit's report -----------------------------------------------------------


@login_required
def unit_round(request, unit_pk, round_pk):
    user = request.user
    unit, reporting_round = _unit_and_round(user, unit_pk, round_pk)
    progress = next(iter(round_progress(user=user, reporting_round=reporting_round, units=[unit])), None)
    report = progress.report if progress else None
    initial = {"summary": report.summary, "reporting_hours": report.reporting_hours,
               "version": report.version} if report else {}
    form = UnitReportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.unit_report_submit(user=user, reporting_round=reporting_round, unit=unit,
                                            summary=data["summary"], reporting_hours=data["reporting_hours"],
                                            expected_version=data["version"] if report else None)
                messages.success(request, _("The part of %(unit)s in %(round)s was submitted.")
                                 % {"unit": unit, "round": reporting_round.name})
                return redirect(_round_url("unit-round", unit, reporting_round))
            except ValidationError as error:
                apply_service_errors(form, error)
            except StaleWrite as error:
                form.add_error(None, error.message)
    other_rounds = _rounds_of(unit).filter(period__year=reporting_round.period.year_id).exclude(pk=reporting_round.pk)
    scorecard = scorecard_selectors.scorecard_for_unit(user=user, unit=unit, year=reporting_round.period.year)
    return render(request, "reporting/unit_round/progress.html", {
        "unit": unit, "round": reporting_round, "progress": progress, "report": report, "form": form,
        "is_open": reporting_round.state == ReportingRound.State.OPEN,
        "can_submit": scope.can(user, Action.SUBMIT_UNIT_REPORT, unit),
        "can_review": scope.can(user, Action.REVIEW_FOLLOW_UPS, unit),
        "other_rounds": other_rounds, "scorecard": scorecard,
    })


# --- the review of follow-ups -----------------------------------------------------------------


def _review_page(request, unit, reporting_round, bound=None):
    """The review page; ``bound`` is (follow-up pk, form) when a decision failed and is shown again."""
    user = request.user
    follow_ups = list(_follow_ups(user, reporting_round, unit))
    forms = {}
    for follow_up in follow_ups:
        if follow_up.state == FollowUp.State.SUBMITTED:
            forms[follow_up.pk] = ReviewForm(initial={"version": follow_up.version}, prefix=f"fu-{follow_up.pk}")
    if bound is not None:
        if bound[0] in forms:
            forms[bound[0]] = bound[1]
        else:
            # Reviewed by someone else meanwhile: say why nothing happened, show it as it is now.
            for message in bound[1].non_field_errors() or [_("This follow-up is no longer waiting for review.")]:
                messages.error(request, message)
            bound = None
    waiting = [(f, forms[f.pk]) for f in follow_ups if f.pk in forms]
    others = [f for f in follow_ups if f.pk not in forms]
    return render(request, "reporting/unit_round/review.html", {
        "unit": unit, "round": reporting_round, "waiting": waiting, "others": others,
        "is_open": reporting_round.state == ReportingRound.State.OPEN,
        "can_review": scope.can(user, Action.REVIEW_FOLLOW_UPS, unit),
        "failed": bound[0] if bound else None,
        "scorecard": scorecard_selectors.scorecard_for_unit(user=user, unit=unit, year=reporting_round.period.year),
    })


@login_required
def review(request, unit_pk, round_pk):
    unit, reporting_round = _unit_and_round(request.user, unit_pk, round_pk)
    return _review_page(request, unit, reporting_round)


@login_required
@require_POST
def review_decide(request, unit_pk, round_pk, follow_up_pk):
    user = request.user
    unit, reporting_round = _unit_and_round(user, unit_pk, round_pk)
    follow_up = _follow_ups(user, reporting_round, unit).filter(pk=follow_up_pk).first()
    if follow_up is None:
        raise Http404(_("No such follow-up in this round."))
    form = ReviewForm(request.POST, prefix=f"fu-{follow_up.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == ReviewForm.APPROVE:
                services.follow_up_approve(user=user, follow_up=follow_up, comment=data["comment"],
                                           expected_version=data["version"])
                text = _("The follow-up of %(unit)s was approved.")
            else:
                services.follow_up_return(user=user, follow_up=follow_up, comment=data["comment"],
                                          expected_version=data["version"])
                text = _("The follow-up of %(unit)s was returned with your comment.")
            messages.success(request, text % {"unit": follow_up.org_unit})
            return redirect(_round_url("unit-review", unit, reporting_round))
        except ValidationError as error:
            apply_service_errors(form, error, {"review_comment": "comment"})
        except StaleWrite as error:
            form.add_error(None, error.message)
    return _review_page(request, unit, reporting_round, bound=(follow_up.pk, form))


urlpatterns = [
    path("enheter/<int:unit_pk>/omgangar/<int:round_pk>/", unit_round, name="unit-round"),
    path("enheter/<int:unit_pk>/omgangar/<int:round_pk>/granskning/", review, name="unit-review"),
    path("enheter/<int:unit_pk>/omgangar/<int:round_pk>/granskning/<int:follow_up_pk>/", review_decide,
         name="unit-review-decide"),
]
