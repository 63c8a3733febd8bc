"""Writes of the reporting round: rounds, follow-ups and their review, the unit's report.

Keyword-only, one transaction each, permission checked inside through ``governance.scope``;
versioned records refuse a write based on an old version (StaleWrite).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import scope
from governance.concurrency import check_version, locked, save_new_version
from governance.models import OrgUnitKind, PeriodKind
from governance.scope import Action
from reporting.models import FollowUp, ReportingRound, UnitReport

FOLLOW_UP_TEXT_FIELDS = ("what_we_did", "effect_for_citizens", "learning", "next_step")


# --- rounds -----------------------------------------------------------------------------------

@transaction.atomic
def round_create(*, user, board, period, name, deadline):
    scope.require(user, Action.MANAGE_ROUNDS, board)
    if period.kind == PeriodKind.MONTH:
        raise ValidationError({"period": _("A round reports on a tertial or a whole year.")})
    reporting_round = ReportingRound(board=board, period=period, name=name, deadline=deadline)
    reporting_round.full_clean()
    reporting_round.save()
    return reporting_round


@transaction.atomic
def round_open(*, user, reporting_round, expected_version=None):
    scope.require(user, Action.MANAGE_ROUNDS, reporting_round.board)
    current = locked(reporting_round)
    check_version(current, expected_version)
    if current.state == ReportingRound.State.OPEN:
        return current
    current.state, current.opened_at, current.closed_at = ReportingRound.State.OPEN, timezone.now(), None
    return save_new_version(current)


@transaction.atomic
def round_close(*, user, reporting_round, expected_version=None):
    scope.require(user, Action.MANAGE_ROUNDS, reporting_round.board)
    current = locked(reporting_round)
    check_version(current, expected_version)
    if current.state != ReportingRound.State.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    current.state, current.closed_at = ReportingRound.State.CLOSED, timezone.now()
    return save_new_version(current)


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
    existing = (FollowUp.objects.select_for_update()
                .filter(round=reporting_round, org_unit=org_unit, scorecard_goal=scorecard_goal,
                        political_goal=political_goal).first())
    if existing is None:
        follow_up = FollowUp(round=reporting_round, org_unit=org_unit, scorecard_goal=scorecard_goal,
                             political_goal=political_goal, author=user, **texts)
        follow_up.full_clean()
        follow_up.save()
        return follow_up
    check_version(existing, expected_version)
    if existing.state in (FollowUp.State.SUBMITTED, FollowUp.State.APPROVED):
        raise ValidationError(_("The follow-up has been submitted and can no longer be changed here."))
    for field, value in texts.items():
        setattr(existing, field, value)
    existing.state, existing.author = FollowUp.State.DRAFT, user
    existing.submitted_at = None
    return save_new_version(existing)


@transaction.atomic
def follow_up_submit(*, user, follow_up, expected_version=None):
    scope.require(user, Action.WRITE_FOLLOW_UP, follow_up.org_unit)
    current = locked(follow_up)
    check_version(current, expected_version)
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
    current.state, current.submitted_at = FollowUp.State.SUBMITTED, timezone.now()
    return save_new_version(current)


def _review(user, follow_up, expected_version, state, comment):
    scope.require(user, Action.REVIEW_FOLLOW_UPS, follow_up.org_unit)
    if state == FollowUp.State.RETURNED and not (comment or "").strip():
        raise ValidationError({"review_comment": [_("Say what should be changed when you return a follow-up.")]})
    current = locked(follow_up)
    check_version(current, expected_version)
    _require_open(current.round)
    if current.state != FollowUp.State.SUBMITTED:
        raise ValidationError(_("Only a submitted follow-up can be approved or returned."))
    current.state, current.review_comment = state, comment
    current.reviewed_by, current.reviewed_at = user, timezone.now()
    return save_new_version(current)


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
    _require_open(reporting_round)
    _require_in_board(unit, reporting_round)
    waiting = FollowUp.objects.filter(round=reporting_round, org_unit__path__startswith=unit.path,
                                      state=FollowUp.State.SUBMITTED).count()
    if waiting:
        raise ValidationError(_("%(count)s follow-up(s) are waiting for your review. Approve or return them first.")
                              % {"count": waiting})
    report = UnitReport.objects.select_for_update().filter(round=reporting_round, unit=unit).first()
    if report is not None:
        check_version(report, expected_version)
    else:
        # A first submission is version 1, like every other created record.
        report = UnitReport(round=reporting_round, unit=unit, version=0)
    report.summary, report.reporting_hours = summary, reporting_hours
    report.state, report.submitted_by, report.submitted_at = UnitReport.State.SUBMITTED, user, timezone.now()
    return save_new_version(report)
