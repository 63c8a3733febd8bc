"""The controller compiles the board report of a round and records the board's decision
(docs/architecture.md §5 steps 3 and 4): ``/malrapport/<round>/sammanstall/``.

One page shows, per political goal, the evidence (counts per status, self-assessments,
divergence), the system's suggested assessment labelled as a suggestion, and a form for the
controller's own assessment, which starts from what the controller saved and never from the
suggestion. Below come the report's summary, "mark ready", the board's decision (date and
minute paragraph) on a ready report, and, once adopted, the frozen report with a button that
starts a correction (a new version pointing at the adopted one).

Every write goes through ``reporting.services``, which check permission, validate and refuse a
write based on an old version; this module only puts their errors back on the form that was
sent, keeping what the user typed. The page is for those who compile the board's report: a
round outside the user's boards is a 404, a reader who may not compile (a board member, a unit
manager) gets a 403 and nothing changes.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from governance import scope
from governance.concurrency import StaleWrite
from governance.scope import Action
from reporting import selectors, services
from reporting.evidence import board_report_overview, latest_board_report
from reporting.forms.compile import CorrectionForm, DecisionForm, GoalAssessmentForm, MarkReadyForm, ReportSummaryForm
from reporting.models import BoardReport, ReportingRound
from reporting.snapshot_index import frozen_overview
from reporting.views.board import GoalSummary, readable_round_or_404, summary_from_row, summary_from_snapshot
from scorecards.forms.scorecard import apply_service_errors


# --- reads ---------------------------------------------------------------------------------------

def compiled_round_or_404(user, pk):
    """A round the user may read (else 404) and whose board report they compile (else 403)."""
    reporting_round = readable_round_or_404(user, pk)
    scope.require(user, Action.COMPILE_BOARD_REPORT, reporting_round.board)
    return reporting_round


@dataclass
class GoalBlock:
    summary: GoalSummary
    form: GoalAssessmentForm | None = None

    @property
    def key(self):
        return goal_key(self.summary.goal_id)


def goal_key(goal_id):
    return f"goal-{goal_id}"


def _compile_url(reporting_round, anchor=""):
    url = reverse("reporting:board-report-compile", args=[reporting_round.pk])
    return f"{url}#{anchor}" if anchor else url


# --- the page ------------------------------------------------------------------------------------

def _page(request, reporting_round, bound=None):
    """The compile page. ``bound`` maps a form's key to the bound form of a failed write, which is
    shown again with its errors and with what the user typed."""
    user = request.user
    bound = bound or {}
    report = latest_board_report(reporting_round)
    frozen = bool(report is not None and report.is_adopted)
    if frozen:
        # The adopted report says what it said on the day of the decision: its snapshot alone
        # (the goals' overviews, read without the rows: reporting.snapshot_index).
        overview, report_part = frozen_overview(report)
        goals = [GoalBlock(summary_from_snapshot(goal)) for goal in overview]
        summary_text = report_part.get("summary", "")
    else:
        data = board_report_overview(user=user, reporting_round=reporting_round)
        report = data.report
        goals = [GoalBlock(summary_from_row(row), bound.get(goal_key(row.political_goal.pk)) or GoalAssessmentForm(
            prefix=goal_key(row.political_goal.pk), assessment=row.assessment, report=report)) for row in data.goals]
        summary_text = report.summary if report else ""
    state = report.state if report else None
    board = reporting_round.board
    context = {
        "reporting_round": reporting_round,
        "report": report,
        "frozen": frozen,
        "goals": goals,
        "summary_text": summary_text,
        "assessed_count": sum(1 for g in goals if g.summary.assessment_code),
        "summary_form": None if frozen else bound.get("summary") or ReportSummaryForm(prefix="summary", report=report),
        "ready_form": (bound.get("ready") or MarkReadyForm(prefix="ready", report=report)
                       if state in (None, BoardReport.State.DRAFT) else None),
        "decision_form": (bound.get("decision") or DecisionForm(prefix="decision", report=report)
                          if state == BoardReport.State.READY and scope.can(user, Action.RECORD_BOARD_DECISION, board)
                          else None),
        "correction_form": (bound.get("correction") or CorrectionForm(prefix="correction", report=report)
                            if frozen else None),
        "recorded_by": report.adopted_recorded_by if frozen else None,
        "round_is_open": reporting_round.state == ReportingRound.State.OPEN,
        "can_manage_round": scope.can(user, Action.MANAGE_ROUNDS, board),
    }
    shown = {id(g.form) for g in goals} | {id(context[name]) for name in
                                           ("summary_form", "ready_form", "decision_form", "correction_form")}
    for form in bound.values():
        if id(form) not in shown:
            # The form is no longer on the page (e.g. the report stopped being ready meanwhile):
            # say above the page why nothing was saved.
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return render(request, "reporting/compile/page.html", context)


@login_required
@require_safe
def compile_page(request, round_pk):
    return _page(request, compiled_round_or_404(request.user, round_pk))


# --- writes --------------------------------------------------------------------------------------

def _report_to_edit(user, reporting_round, form):
    """The round's current report (a draft is started when there is none), refused as stale
    when the page showed another report (e.g. a correction was started meanwhile)."""
    report = services.board_report_start(user=user, reporting_round=reporting_round)
    _check_same_report(form, report)
    return report


def _check_same_report(form, report):
    shown = form.shown_report_id()
    if shown is not None and (report is None or shown != report.pk):
        raise StaleWrite(report)


def _attempt(form, write):
    """Run ``write`` (the service calls) as one transaction and put what the services refuse on
    ``form``. True when it was saved. PermissionDenied is not caught: it is a 403."""
    try:
        with transaction.atomic():
            write()
    except ValidationError as error:
        apply_service_errors(form, error)
    except StaleWrite as error:
        form.add_error(None, error.message)
    else:
        return True
    return False


@login_required
@require_POST
def assess_goal(request, round_pk, goal_pk):
    user = request.user
    reporting_round = compiled_round_or_404(user, round_pk)
    goal = selectors.round_political_goal(reporting_round=reporting_round, pk=goal_pk)
    if goal is None:
        raise Http404(_("No such political goal."))
    form = GoalAssessmentForm(request.POST, prefix=goal_key(goal.pk))

    def write():
        report = _report_to_edit(user, reporting_round, form)
        # No version means the page showed no assessment yet: if one was saved meanwhile, the
        # write is stale (version 0 never matches) rather than a silent overwrite.
        services.goal_assessment_set(user=user, report=report, political_goal=goal,
                                     assessment=form.cleaned_data["assessment"], text=form.cleaned_data["text"],
                                     expected_version=form.cleaned_data["version"] or 0)

    if form.is_valid() and _attempt(form, write):
        messages.success(request, _("Your assessment of “%(goal)s” was saved.") % {"goal": goal.title})
        return redirect(_compile_url(reporting_round, goal_key(goal.pk)))
    return _page(request, reporting_round, bound={goal_key(goal.pk): form})


@login_required
@require_POST
def save_summary(request, round_pk):
    user = request.user
    reporting_round = compiled_round_or_404(user, round_pk)
    form = ReportSummaryForm(request.POST, prefix="summary")

    def write():
        report = _report_to_edit(user, reporting_round, form)
        services.board_report_update(user=user, report=report, summary=form.cleaned_data["summary"],
                                     expected_version=form.cleaned_data["version"])

    if form.is_valid() and _attempt(form, write):
        messages.success(request, _("The summary of the report was saved."))
        return redirect(_compile_url(reporting_round, "summary-heading"))
    return _page(request, reporting_round, bound={"summary": form})


@login_required
@require_POST
def mark_ready(request, round_pk):
    user = request.user
    reporting_round = compiled_round_or_404(user, round_pk)
    form = MarkReadyForm(request.POST, prefix="ready")

    def write():
        report = _report_to_edit(user, reporting_round, form)
        services.board_report_mark_ready(user=user, report=report, expected_version=form.cleaned_data["version"])

    if form.is_valid() and _attempt(form, write):
        messages.success(request, _("The report is ready for the board. Record the board's decision when it has "
                                    "been taken."))
        return redirect(_compile_url(reporting_round, "decision-heading"))
    return _page(request, reporting_round, bound={"ready": form})


@login_required
@require_POST
def record_decision(request, round_pk):
    user = request.user
    reporting_round = compiled_round_or_404(user, round_pk)
    form = DecisionForm(request.POST, prefix="decision")

    def write():
        report = latest_board_report(reporting_round)
        if report is None:
            raise ValidationError(_("There is no board report for this round yet."))
        _check_same_report(form, report)
        services.board_report_adopt(user=user, report=report, adopted_on=form.cleaned_data["adopted_on"],
                                    minute_paragraph=form.cleaned_data["minute_paragraph"],
                                    expected_version=form.cleaned_data["version"])

    if form.is_valid() and _attempt(form, write):
        messages.success(request, _("The board's decision was recorded. The report is adopted and frozen."))
        return redirect(_compile_url(reporting_round))
    return _page(request, reporting_round, bound={"decision": form})


@login_required
@require_POST
def start_correction(request, round_pk):
    user = request.user
    reporting_round = compiled_round_or_404(user, round_pk)
    form = CorrectionForm(request.POST, prefix="correction")
    started = []

    def write():
        report = latest_board_report(reporting_round)
        if report is None:
            raise ValidationError(_("There is no board report for this round yet."))
        _check_same_report(form, report)
        started.append(services.board_report_correct(user=user, report=report))

    if form.is_valid() and _attempt(form, write):
        correction = started[0]
        messages.success(request, _("Version %(new)s was started as a correction of version %(old)s. The adopted "
                                    "version stays as it is.")
                         % {"new": correction.version_number, "old": correction.previous.version_number})
        return redirect(_compile_url(reporting_round))
    # The page may no longer show this report (a correction was started meanwhile): say why
    # nothing happened above the page as it is now.
    for error in form.non_field_errors() or [_("The correction could not be started.")]:
        messages.error(request, error)
    return redirect(_compile_url(reporting_round))


urlpatterns = [
    path("malrapport/<int:round_pk>/sammanstall/", compile_page, name="board-report-compile"),
    path("malrapport/<int:round_pk>/sammanstall/mal/<int:goal_pk>/", assess_goal, name="board-report-assess"),
    path("malrapport/<int:round_pk>/sammanstall/sammanfattning/", save_summary, name="board-report-summary"),
    path("malrapport/<int:round_pk>/sammanstall/klar/", mark_ready, name="board-report-ready"),
    path("malrapport/<int:round_pk>/sammanstall/beslut/", record_decision, name="board-report-adopt"),
    path("malrapport/<int:round_pk>/sammanstall/rattelse/", start_correction, name="board-report-correct"),
]
