"""Writes of the reporting round: rounds, follow-ups and their review, the unit's report.

Keyword-only, one transaction each, permission checked inside through ``governance.scope``;
versioned records refuse a write based on an old version (StaleWrite).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from governance import privacy, scope
from governance.concurrency import check_version, locked, save_created, save_new_version, set_author
from governance.models import OrgUnitKind, PeriodKind
from governance.scope import Action
from reporting import locks
from reporting.models import (
    FOLLOW_UP_LOCKED_MESSAGE, REPORTING_KINDS, BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport,
)

FOLLOW_UP_TEXT_FIELDS = ("what_we_did", "effect_for_citizens", "learning", "next_step")


# --- rounds -----------------------------------------------------------------------------------

@transaction.atomic
def round_create(*, user, board, period, name, deadline):
    scope.require(user, Action.MANAGE_ROUNDS, board)
    if period.kind == PeriodKind.MONTH:
        raise ValidationError({"period": _("A round reports on a tertial or a whole year.")})
    reporting_round = ReportingRound(board=board, period=period, name=name, deadline=deadline)
    return save_created(reporting_round, user=user)


@transaction.atomic
def round_open(*, user, reporting_round, expected_version=None):
    scope.require(user, Action.MANAGE_ROUNDS, reporting_round.board)
    current = locked(reporting_round)
    check_version(current, expected_version)
    if current.state == ReportingRound.State.OPEN:
        return current
    # An adopted board report froze what the round reported: the round opens again only when a
    # correction (a new version of that report) has been started, by every route.
    if BoardReport.objects.filter(round=current, state=BoardReport.State.ADOPTED, correction__isnull=True).exists():
        raise ValidationError(_("The board has adopted the report of this round; start a correction of the "
                                "report (a new version) before the round is opened again."))
    current.state, current.opened_at, current.closed_at = ReportingRound.State.OPEN, timezone.now(), None
    return save_new_version(current, user=user)


@transaction.atomic
def round_close(*, user, reporting_round, expected_version=None):
    scope.require(user, Action.MANAGE_ROUNDS, reporting_round.board)
    current = locked(reporting_round)
    check_version(current, expected_version)
    if current.state != ReportingRound.State.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    current.state, current.closed_at = ReportingRound.State.CLOSED, timezone.now()
    return save_new_version(current, user=user)


def _require_open(reporting_round):
    # Ask the database: the caller's copy of the round may have been read before it was closed.
    state = ReportingRound.objects.filter(pk=reporting_round.pk).values_list("state", flat=True).first()
    if state != ReportingRound.State.OPEN:
        raise ValidationError(_("The round %(round)s is not open for reporting.") % {"round": reporting_round.name})


def _require_in_board(unit, reporting_round):
    """A round belongs to one board; only that board's units report in it."""
    if not unit.path.startswith(reporting_round.board.path):
        raise ValidationError(_("%(unit)s does not report to the board of the round %(round)s.")
                              % {"unit": unit, "round": reporting_round.name})


# --- follow-ups -------------------------------------------------------------------------------

def _check_goal_belongs(org_unit, scorecard_goal, political_goal, reporting_round):
    if scorecard_goal is not None:
        unit_id = scorecard_goal.scorecard.unit_id
        if unit_id not in (org_unit.pk, org_unit.parent_id):
            raise ValidationError({"scorecard_goal": _("The goal belongs to another unit's scorecard.")})
        if scorecard_goal.scorecard.year_id != reporting_round.period.year_id:
            raise ValidationError({"scorecard_goal": _("The goal belongs to another year's scorecard.")})
    if political_goal is not None and political_goal.board_id != reporting_round.board_id:
        raise ValidationError({"political_goal": _("The goal belongs to another board.")})


@transaction.atomic
def follow_up_save(*, user, reporting_round, org_unit, scorecard_goal=None, political_goal=None, expected_version=None,
                   **texts):
    """Create or update the draft follow-up of ``org_unit`` for one goal in an open round.

    A returned follow-up goes back to draft when edited; a submitted or approved one is
    no longer the writer's to change.
    """
    scope.require(user, Action.WRITE_FOLLOW_UP, org_unit)
    _require_open(reporting_round)
    unknown = set(texts) - set(FOLLOW_UP_TEXT_FIELDS) - {"self_assessment"}
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))} here.")
    if org_unit.kind not in (OrgUnitKind.UNIT, OrgUnitKind.TEAM, OrgUnitKind.DEPARTMENT):
        raise ValidationError(_("Follow-ups are written by units and teams."))
    _require_in_board(org_unit, reporting_round)
    _check_goal_belongs(org_unit, scorecard_goal, political_goal, reporting_round)
    # Follow-ups reach the board's public report; stop personal data already in the draft.
    privacy.require_no_personal_data(**{k: v for k, v in texts.items() if k in FOLLOW_UP_TEXT_FIELDS})
    existing = (FollowUp.objects.select_for_update(of=("self",))
                .filter(round=reporting_round, org_unit=org_unit, scorecard_goal=scorecard_goal,
                        political_goal=political_goal).first())
    if existing is None:
        follow_up = FollowUp(round=reporting_round, org_unit=org_unit, scorecard_goal=scorecard_goal,
                             political_goal=political_goal, author=user, **texts)
        return save_created(follow_up, user=user)
    check_version(existing, expected_version)
    _require_not_locked(existing)
    if existing.state in (FollowUp.State.SUBMITTED, FollowUp.State.APPROVED):
        raise ValidationError(_("The follow-up has been submitted and can no longer be changed here."))
    for field, value in texts.items():
        setattr(existing, field, value)
    existing.state, existing.author = FollowUp.State.DRAFT, user
    existing.submitted_at = None
    return save_new_version(existing, user=user)


def _require_not_locked(follow_up):
    """An approved follow-up shown in an adopted board report is frozen (reporting.locks)."""
    if follow_up.locked:
        raise ValidationError(FOLLOW_UP_LOCKED_MESSAGE, code="locked")


@transaction.atomic
def follow_up_submit(*, user, follow_up, expected_version=None):
    scope.require(user, Action.WRITE_FOLLOW_UP, follow_up.org_unit)
    current = locked(follow_up)
    check_version(current, expected_version)
    _require_not_locked(current)
    _require_open(current.round)
    if current.state not in (FollowUp.State.DRAFT, FollowUp.State.RETURNED):
        raise ValidationError(_("Only a draft or a returned follow-up can be submitted."))
    missing = {}
    if not current.what_we_did.strip():
        missing["what_we_did"] = [_("Say what you did before you submit.")]
    if not current.self_assessment:
        missing["self_assessment"] = [_("Give your own assessment before you submit.")]
    if missing:
        raise ValidationError(missing)
    privacy.require_no_personal_data(**{field: getattr(current, field) for field in FOLLOW_UP_TEXT_FIELDS})
    current.state, current.submitted_at = FollowUp.State.SUBMITTED, timezone.now()
    return save_new_version(current, user=user)


def _review(user, follow_up, expected_version, state, comment):
    scope.require(user, Action.REVIEW_FOLLOW_UPS, follow_up.org_unit)
    privacy.require_no_personal_data(review_comment=comment)
    if state == FollowUp.State.RETURNED and not (comment or "").strip():
        raise ValidationError({"review_comment": [_("Say what should be changed when you return a follow-up.")]})
    current = locked(follow_up)
    check_version(current, expected_version)
    _require_not_locked(current)
    _require_open(current.round)
    if current.state != FollowUp.State.SUBMITTED:
        raise ValidationError(_("Only a submitted follow-up can be approved or returned."))
    current.state, current.review_comment = state, comment
    current.reviewed_by, current.reviewed_at = user, timezone.now()
    return save_new_version(current, user=user)


@transaction.atomic
def follow_up_approve(*, user, follow_up, comment="", expected_version=None):
    return _review(user, follow_up, expected_version, FollowUp.State.APPROVED, comment)


@transaction.atomic
def follow_up_return(*, user, follow_up, comment, expected_version=None):
    return _review(user, follow_up, expected_version, FollowUp.State.RETURNED, comment)


# --- the unit's report ------------------------------------------------------------------------

@transaction.atomic
def unit_report_submit(*, user, reporting_round, unit, summary="", reporting_hours=None, expected_version=None):
    """Submit the unit's part of the round. Follow-ups still waiting for the manager's review
    must be approved or returned first; drafts that were never submitted stay visible as such."""
    scope.require(user, Action.SUBMIT_UNIT_REPORT, unit)
    if unit.kind not in REPORTING_KINDS:
        raise ValidationError({"unit": _("Only a unit or a department submits its part of the round, not %(unit)s.")
                                       % {"unit": unit}})
    _require_open(reporting_round)
    _require_in_board(unit, reporting_round)
    privacy.require_no_personal_data(summary=summary)
    waiting = FollowUp.objects.filter(round=reporting_round, org_unit__path__startswith=unit.path,
                                      state=FollowUp.State.SUBMITTED).count()
    if waiting:
        raise ValidationError(_("%(count)s follow-up(s) are waiting for your review. Approve or return them first.")
                              % {"count": waiting})
    report = UnitReport.objects.select_for_update(of=("self",)).filter(round=reporting_round, unit=unit).first()
    if report is not None:
        check_version(report, expected_version)
    else:
        # A first submission is version 1, like every other created record.
        report = UnitReport(round=reporting_round, unit=unit, version=0)
    report.summary, report.reporting_hours = summary, reporting_hours
    report.state, report.submitted_by, report.submitted_at = UnitReport.State.SUBMITTED, user, timezone.now()
    return save_new_version(report, user=user)


# --- the board report -------------------------------------------------------------------------
#
# draft → ready → adopted. The controller compiles (summary and an assessment per political
# goal) and marks it ready; the board's decision is recorded with its date and minute
# paragraph, and adoption stores a snapshot of everything the report shows. An adopted report
# is never changed again: a correction is a new version that points at it.


def _require_editable(report):
    if report.state == BoardReport.State.ADOPTED:
        raise ValidationError(_("The board has adopted this report; it can no longer be changed. "
                                "Make a correction (a new version) instead."))


def _back_to_draft(report):
    """Editing a report that was marked ready makes it a draft again, so the board never gets
    a report that changed after it was declared ready."""
    if report.state == BoardReport.State.READY:
        report.state = BoardReport.State.DRAFT


@transaction.atomic
def board_report_start(*, user, reporting_round):
    """The round's current board report, created as a draft when there is none yet."""
    scope.require(user, Action.COMPILE_BOARD_REPORT, reporting_round.board)
    report = (BoardReport.objects.select_for_update(of=("self",)).filter(round=reporting_round)
              .order_by("-version_number").first())
    if report is None:
        report = BoardReport(board=reporting_round.board, round=reporting_round)
        set_author(report, user)
        report.save()
    return report


@transaction.atomic
def board_report_update(*, user, report, summary, expected_version=None):
    scope.require(user, Action.COMPILE_BOARD_REPORT, report.board)
    privacy.require_no_personal_data(summary=summary)
    current = locked(report)
    check_version(current, expected_version)
    _require_editable(current)
    current.summary = summary
    _back_to_draft(current)
    return save_new_version(current, user=user)


@transaction.atomic
def goal_assessment_set(*, user, report, political_goal, assessment, text="", expected_version=None):
    """The controller's overall assessment of one political goal: a human judgement."""
    scope.require(user, Action.COMPILE_BOARD_REPORT, report.board)
    privacy.require_no_personal_data(text=text)
    current = locked(report)
    _require_editable(current)
    year = current.round.period.year.year
    if political_goal.board_id != current.board_id or not political_goal.is_valid_in(year):
        raise ValidationError({"political_goal": _("“%(goal)s” is not one of the board's goals for %(year)s.")
                               % {"goal": political_goal, "year": year}})
    goal_assessment = GoalAssessment.objects.select_for_update(of=("self",)).filter(report=current, political_goal=political_goal).first()
    if goal_assessment is None:
        goal_assessment = GoalAssessment(report=current, political_goal=political_goal, assessment=assessment, text=text)
        save_created(goal_assessment, user=user)
    else:
        check_version(goal_assessment, expected_version)
        goal_assessment.assessment, goal_assessment.text = assessment, text
        save_new_version(goal_assessment, user=user)
    if current.state == BoardReport.State.READY:
        _back_to_draft(current)
        save_new_version(current, user=user)
    return goal_assessment


@transaction.atomic
def board_report_mark_ready(*, user, report, expected_version=None):
    """Declare the report ready for the board. Every political goal of the year needs the
    controller's assessment first."""
    scope.require(user, Action.COMPILE_BOARD_REPORT, report.board)
    current = locked(report)
    check_version(current, expected_version)
    _require_editable(current)
    year = current.round.period.year.year
    assessed = set(current.goal_assessments.exclude(assessment="").values_list("political_goal_id", flat=True))
    missing = [g for g in current.board.political_goals.filter(valid_from__lte=year, valid_to__gte=year)
               .order_by("order", "code") if g.pk not in assessed]
    if missing:
        raise ValidationError(_("Give an assessment of every political goal first. Missing: %(goals)s.")
                              % {"goals": "; ".join(str(g) for g in missing)})
    current.state = BoardReport.State.READY
    return save_new_version(current, user=user)


@transaction.atomic
def board_report_adopt(*, user, report, adopted_on, minute_paragraph, expected_version=None, today=None):
    """Record the board's decision and freeze the report: everything it shows is stored in
    ``snapshot``, and from now on the report is shown and exported from that alone."""
    from reporting.balance import trust_balance
    from reporting.snapshot import build_snapshot

    scope.require(user, Action.RECORD_BOARD_DECISION, report.board)
    current = locked(report)
    check_version(current, expected_version)
    _require_editable(current)
    if current.state != BoardReport.State.READY:
        raise ValidationError(_("Only a report that is ready for the board can be adopted."))
    errors = {}
    if adopted_on is None:
        errors["adopted_on"] = [_("Give the date of the board's decision.")]
    if not (minute_paragraph or "").strip():
        errors["minute_paragraph"] = [_("Give the paragraph of the minutes, e.g. § 45.")]
    if errors:
        raise ValidationError(errors)
    latest = BoardReport.objects.filter(round=current.round).order_by("-version_number").first()
    if latest.pk != current.pk:
        raise ValidationError(_("A newer version of this report exists; adopt that one."))
    snapshot = build_snapshot(user=user, reporting_round=current.round, today=today,
                              balance=trust_balance(user=user, reporting_round=current.round))
    current.state, current.adopted_on = BoardReport.State.ADOPTED, adopted_on
    current.minute_paragraph, current.adopted_recorded_by = minute_paragraph.strip(), user
    snapshot["report"].update({"state": BoardReport.State.ADOPTED.value, "state_label": str(BoardReport.State.ADOPTED.label),
                               "adopted_on": adopted_on.isoformat(), "minute_paragraph": current.minute_paragraph})
    current.store_snapshot(snapshot)
    save_new_version(current, user=user)
    # What the snapshot shows is frozen from now on, by every route (reporting.locks).
    locks.freeze(current)
    return current


@transaction.atomic
def board_report_correct(*, user, report):
    """Start a correction of an adopted report: a new draft version that points at it, with
    the summary and assessments copied. The adopted version stays as it was."""
    scope.require(user, Action.COMPILE_BOARD_REPORT, report.board)
    current = locked(report)
    if current.state != BoardReport.State.ADOPTED:
        raise ValidationError(_("Only an adopted report is corrected with a new version; edit this one directly."))
    if BoardReport.objects.filter(previous=current).exists():
        raise ValidationError(_("A correction of this report has already been started."))
    correction = BoardReport(
        board=current.board, round=current.round, version_number=current.version_number + 1, previous=current,
        summary=current.summary,
    )
    set_author(correction, user)
    correction.save()
    bulk_create_with_history([
        GoalAssessment(report=correction, political_goal_id=a.political_goal_id, assessment=a.assessment, text=a.text)
        for a in current.goal_assessments.all()
    ], GoalAssessment, default_user=user)
    # The corrected version keeps its snapshot; what it froze may be put right for the new
    # version, and is frozen again when the board adopts that (reporting.locks).
    locks.release(current)
    return correction
