"""The write services of the reporting round: rounds, follow-ups and their review, the unit's
report. Who may do what, in which state, and that a refused write leaves everything as it was."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.concurrency import StaleWrite
from governance.models import Period, Role
from reporting.models import FollowUp, ReportingRound, UnitReport
from reporting.services import (
    follow_up_approve, follow_up_return, follow_up_save, follow_up_submit, round_close, round_create, round_open,
    unit_report_submit,
)
from scorecards.models import Indicator, Mandate, Perspective, Scorecard, ScorecardGoal, ScorecardIndicator
from tests.conftest import make_user

DEADLINE = datetime.date(2026, 5, 15)

# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def other_unit_manager(org):
    """Manager of Barnutredning: a sibling of Familjebehandling, so no rights there."""
    return make_user("chef-utredning", (org.investigation, Role.UNIT_MANAGER))


@pytest.fixture
def south_member(org):
    return make_user("medarbetare-soder", (org.south, Role.TEAM_MEMBER))


@pytest.fixture
def goal(scorecard, political_goal):
    perspective = Perspective.objects.create(name="Invånare/brukare", order=1)
    goal = ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective,
                                        title="Familjer får stöd inom två veckor")
    goal.political_goals.set([political_goal])
    return goal


@pytest.fixture
def other_unit_goal(org, year_2026, goal):
    other = Scorecard.objects.create(unit=org.investigation, year=year_2026)
    return ScorecardGoal.objects.create(scorecard=other, perspective=goal.perspective, title="Utredningar i tid")


@pytest.fixture
def indicators(org, scorecard, goal):
    """An own indicator of the unit and a mandated one, both in its scorecard (the round's context)."""
    own = Indicator.objects.create(name="Andel nöjda föräldrar", owner=org.family, mandate=Mandate.OWN,
                                   frequency="monthly", measure_unit="percent")
    mandated = Indicator.objects.create(name="Andel barnutredningar inom fyra månader", owner=org.administration,
                                        mandate=Mandate.REGULATOR, frequency="tertial", measure_unit="percent")
    for indicator in (own, mandated):
        ScorecardIndicator.objects.create(scorecard=scorecard, indicator=indicator, goal=goal)
    return own, mandated


@pytest.fixture
def tertial_1(year_2026):
    return Period.objects.get(year=year_2026, kind="tertial", number=1)


@pytest.fixture
def tertial_2(year_2026):
    return Period.objects.get(year=year_2026, kind="tertial", number=2)


@pytest.fixture
def round_t1(org, tertial_1, indicators):
    return ReportingRound.objects.create(board=org.board, period=tertial_1, name="T1 2026", deadline=DEADLINE,
                                         state=ReportingRound.State.OPEN, opened_at=timezone.now())


@pytest.fixture
def planned_round(org, tertial_2):
    return ReportingRound.objects.create(board=org.board, period=tertial_2, name="Delårsrapport 2026",
                                         deadline=datetime.date(2026, 9, 15))


@pytest.fixture
def elderly_round(org, tertial_1):
    return ReportingRound.objects.create(board=org.elderly_board, period=tertial_1, name="T1 2026 äldre",
                                         deadline=DEADLINE, state=ReportingRound.State.OPEN, opened_at=timezone.now())


@pytest.fixture
def draft(round_t1, org, goal, team_member):
    """Team Norr's draft follow-up of the unit's goal."""
    return follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.north, scorecard_goal=goal,
                          what_we_did="Vi startade ett föräldracafé varannan vecka.", self_assessment="partly")


@pytest.fixture
def submitted(draft, team_member):
    return follow_up_submit(user=team_member, follow_up=draft, expected_version=draft.version)


def fresh(instance):
    return type(instance).objects.get(pk=instance.pk)


def close(reporting_round):
    ReportingRound.objects.filter(pk=reporting_round.pk).update(state=ReportingRound.State.CLOSED,
                                                               closed_at=timezone.now())


# --- rounds -----------------------------------------------------------------------------------


def test_controller_creates_a_planned_round_for_a_tertial(org, controller, tertial_2):
    reporting_round = round_create(user=controller, board=org.board, period=tertial_2, name="Delårsrapport 2026",
                                   deadline=datetime.date(2026, 9, 15))
    reporting_round = fresh(reporting_round)
    assert reporting_round.state == ReportingRound.State.PLANNED and reporting_round.opened_at is None
    assert reporting_round.version == 1


def test_a_round_for_a_month_is_refused(org, controller, year_2026):
    march = Period.objects.get(year=year_2026, kind="month", number=3)
    with pytest.raises(ValidationError) as error:
        round_create(user=controller, board=org.board, period=march, name="Mars 2026", deadline=DEADLINE)
    assert "period" in error.value.message_dict
    assert not ReportingRound.objects.exists()


def test_a_second_round_for_the_same_board_and_period_is_refused(org, controller, round_t1, tertial_1):
    with pytest.raises(ValidationError):
        round_create(user=controller, board=org.board, period=tertial_1, name="T1 igen", deadline=DEADLINE)
    assert ReportingRound.objects.count() == 1


@pytest.mark.parametrize("who", ["board_member", "unit_manager", "team_member", "outsider"])
def test_only_controllers_create_rounds(request, who, org, tertial_2):
    with pytest.raises(PermissionDenied):
        round_create(user=request.getfixturevalue(who), board=org.board, period=tertial_2, name="T2",
                     deadline=DEADLINE)
    assert not ReportingRound.objects.exists()


def test_controller_cannot_create_a_round_for_another_board(org, controller, tertial_2):
    with pytest.raises(PermissionDenied):
        round_create(user=controller, board=org.elderly_board, period=tertial_2, name="T2", deadline=DEADLINE)
    assert not ReportingRound.objects.exists()


def test_controller_opens_a_planned_round(controller, planned_round):
    round_open(user=controller, reporting_round=planned_round, expected_version=1)
    opened = fresh(planned_round)
    assert opened.state == ReportingRound.State.OPEN and opened.opened_at is not None and opened.version == 2


def test_opening_an_open_round_again_changes_nothing(controller, round_t1):
    round_open(user=controller, reporting_round=round_t1)
    assert fresh(round_t1).version == 1


@pytest.mark.parametrize("who", ["board_member", "unit_manager", "team_member", "outsider"])
def test_only_controllers_open_and_close_rounds(request, who, planned_round, round_t1):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        round_open(user=user, reporting_round=planned_round)
    with pytest.raises(PermissionDenied):
        round_close(user=user, reporting_round=round_t1)
    assert fresh(planned_round).state == ReportingRound.State.PLANNED
    assert fresh(round_t1).state == ReportingRound.State.OPEN


def test_controller_cannot_open_or_close_another_boards_round(controller, elderly_round):
    with pytest.raises(PermissionDenied):
        round_close(user=controller, reporting_round=elderly_round)
    assert fresh(elderly_round).state == ReportingRound.State.OPEN


def test_controller_closes_an_open_round(controller, round_t1):
    round_close(user=controller, reporting_round=round_t1, expected_version=1)
    closed = fresh(round_t1)
    assert closed.state == ReportingRound.State.CLOSED and closed.closed_at is not None and closed.version == 2


def test_a_planned_round_cannot_be_closed(controller, planned_round):
    with pytest.raises(ValidationError):
        round_close(user=controller, reporting_round=planned_round)
    assert fresh(planned_round).state == ReportingRound.State.PLANNED


def test_a_closed_round_can_be_opened_again(controller, round_t1):
    closed = round_close(user=controller, reporting_round=round_t1)
    reopened = round_open(user=controller, reporting_round=closed, expected_version=closed.version)
    reopened = fresh(reopened)
    assert reopened.state == ReportingRound.State.OPEN and reopened.closed_at is None and reopened.version == 3


def test_opening_a_round_from_an_old_version_is_stale(controller, planned_round):
    ReportingRound.objects.filter(pk=planned_round.pk).update(deadline=datetime.date(2026, 9, 30), version=2)
    with pytest.raises(StaleWrite):
        round_open(user=controller, reporting_round=planned_round, expected_version=1)
    assert fresh(planned_round).state == ReportingRound.State.PLANNED


# --- writing follow-ups -----------------------------------------------------------------------


def test_team_member_saves_a_draft_follow_up_for_their_team(draft, org, team_member, goal):
    follow_up = fresh(draft)
    assert follow_up.state == FollowUp.State.DRAFT and follow_up.org_unit == org.north
    assert follow_up.scorecard_goal == goal and follow_up.author == team_member and follow_up.version == 1


def test_unit_manager_writes_the_units_own_follow_up_of_a_political_goal(org, unit_manager, round_t1, political_goal):
    follow_up = follow_up_save(user=unit_manager, reporting_round=round_t1, org_unit=org.family,
                               political_goal=political_goal, what_we_did="Samverkan med skolan.")
    assert fresh(follow_up).political_goal == political_goal


def test_saving_again_updates_the_same_follow_up_and_bumps_its_version(draft, round_t1, org, goal, team_member):
    follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.north, scorecard_goal=goal,
                   expected_version=1, learning="Föräldrar vill träffas på kvällstid.")
    follow_up = FollowUp.objects.get()
    assert follow_up.learning == "Föräldrar vill träffas på kvällstid." and follow_up.version == 2


def test_saving_a_follow_up_from_an_old_version_is_stale_and_changes_nothing(draft, round_t1, org, goal, team_member,
                                                                             unit_manager):
    follow_up_save(user=unit_manager, reporting_round=round_t1, org_unit=org.north, scorecard_goal=goal,
                   expected_version=1, next_step="Chefens förslag")
    with pytest.raises(StaleWrite):
        follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.north, scorecard_goal=goal,
                       expected_version=1, next_step="Teamets förslag")
    follow_up = FollowUp.objects.get()
    assert follow_up.next_step == "Chefens förslag" and follow_up.version == 2


@pytest.mark.parametrize("state", [ReportingRound.State.PLANNED, ReportingRound.State.CLOSED])
def test_follow_ups_are_written_only_in_an_open_round(org, team_member, goal, round_t1, state):
    ReportingRound.objects.filter(pk=round_t1.pk).update(state=state, closed_at=timezone.now())
    with pytest.raises(ValidationError):
        follow_up_save(user=team_member, reporting_round=fresh(round_t1), org_unit=org.north, scorecard_goal=goal,
                       what_we_did="För sent")
    assert not FollowUp.objects.exists()


def test_a_round_closed_after_the_page_was_read_refuses_the_follow_up(org, team_member, controller, goal, round_t1):
    page_copy = fresh(round_t1)
    round_close(user=controller, reporting_round=round_t1)
    with pytest.raises(ValidationError):
        follow_up_save(user=team_member, reporting_round=page_copy, org_unit=org.north, scorecard_goal=goal,
                       what_we_did="Sparat efter stängning")
    assert not FollowUp.objects.exists()


def test_team_member_cannot_write_another_teams_follow_up(org, team_member, round_t1, goal):
    with pytest.raises(PermissionDenied):
        follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.south, scorecard_goal=goal,
                       what_we_did="Obehörig")
    with pytest.raises(PermissionDenied):
        follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.family, scorecard_goal=goal,
                       what_we_did="Obehörig")
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("who", ["board_member", "controller", "outsider", "other_unit_manager"])
def test_others_cannot_write_a_units_follow_ups(request, who, org, round_t1, goal):
    with pytest.raises(PermissionDenied):
        follow_up_save(user=request.getfixturevalue(who), reporting_round=round_t1, org_unit=org.north,
                       scorecard_goal=goal, what_we_did="Obehörig")
    assert not FollowUp.objects.exists()


def test_a_follow_up_of_another_units_goal_is_refused(org, team_member, round_t1, other_unit_goal):
    with pytest.raises(ValidationError) as error:
        follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.north,
                       scorecard_goal=other_unit_goal, what_we_did="Fel mål")
    assert "scorecard_goal" in error.value.message_dict
    assert not FollowUp.objects.exists()


def test_a_follow_up_of_another_boards_political_goal_is_refused(org, unit_manager, round_t1, elderly_political_goal):
    with pytest.raises(ValidationError) as error:
        follow_up_save(user=unit_manager, reporting_round=round_t1, org_unit=org.family,
                       political_goal=elderly_political_goal, what_we_did="Fel nämnd")
    assert "political_goal" in error.value.message_dict
    assert not FollowUp.objects.exists()


def test_a_team_cannot_report_in_another_boards_round(org, team_member, elderly_round, elderly_political_goal):
    with pytest.raises(ValidationError):
        follow_up_save(user=team_member, reporting_round=elderly_round, org_unit=org.north,
                       political_goal=elderly_political_goal, what_we_did="Fel nämnds omgång")
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("goals", ["none", "both"])
def test_a_follow_up_is_about_exactly_one_goal(org, unit_manager, round_t1, goal, political_goal, goals):
    kwargs = {} if goals == "none" else {"scorecard_goal": goal, "political_goal": political_goal}
    with pytest.raises(ValidationError):
        follow_up_save(user=unit_manager, reporting_round=round_t1, org_unit=org.family, what_we_did="x", **kwargs)
    assert not FollowUp.objects.exists()


def test_an_unknown_self_assessment_is_refused(org, team_member, round_t1, goal):
    with pytest.raises(ValidationError) as error:
        follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.north, scorecard_goal=goal,
                       self_assessment="excellent")
    assert "self_assessment" in error.value.message_dict
    assert not FollowUp.objects.exists()


# --- submitting and reviewing follow-ups --------------------------------------------------------


def test_submitting_requires_what_we_did_and_a_self_assessment(org, team_member, round_t1, goal):
    empty = follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.north, scorecard_goal=goal,
                           what_we_did="   ", learning="Bara lärdomar hittills.")
    with pytest.raises(ValidationError) as error:
        follow_up_submit(user=team_member, follow_up=empty)
    assert set(error.value.message_dict) == {"what_we_did", "self_assessment"}
    follow_up = fresh(empty)
    assert follow_up.state == FollowUp.State.DRAFT and follow_up.version == 1


def test_team_member_submits_a_complete_draft(submitted):
    follow_up = fresh(submitted)
    assert follow_up.state == FollowUp.State.SUBMITTED and follow_up.submitted_at is not None
    assert follow_up.version == 2


def test_submitting_from_an_old_version_is_stale(draft, team_member, round_t1, org, goal):
    follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.north, scorecard_goal=goal,
                   expected_version=1, effect_for_citizens="Färre akuta ärenden.")
    with pytest.raises(StaleWrite):
        follow_up_submit(user=team_member, follow_up=draft, expected_version=1)
    assert fresh(draft).state == FollowUp.State.DRAFT


def test_another_team_cannot_submit_a_teams_follow_up(draft, south_member):
    with pytest.raises(PermissionDenied):
        follow_up_submit(user=south_member, follow_up=draft)
    assert fresh(draft).state == FollowUp.State.DRAFT


def test_a_follow_up_is_not_submitted_in_a_closed_round(draft, team_member, round_t1):
    close(round_t1)
    with pytest.raises(ValidationError):
        follow_up_submit(user=team_member, follow_up=draft)
    assert fresh(draft).state == FollowUp.State.DRAFT


@pytest.mark.parametrize("writer", ["team_member", "unit_manager"])
def test_a_submitted_follow_up_cannot_be_edited(request, submitted, round_t1, org, goal, writer):
    with pytest.raises(ValidationError):
        follow_up_save(user=request.getfixturevalue(writer), reporting_round=round_t1, org_unit=org.north,
                       scorecard_goal=goal, expected_version=submitted.version, what_we_did="Ändrat i efterhand")
    follow_up = fresh(submitted)
    assert follow_up.state == FollowUp.State.SUBMITTED
    assert follow_up.what_we_did == "Vi startade ett föräldracafé varannan vecka." and follow_up.version == 2


def test_unit_manager_approves_a_submitted_follow_up(submitted, unit_manager):
    follow_up_approve(user=unit_manager, follow_up=submitted, expected_version=2, comment="Bra beskrivet.")
    follow_up = fresh(submitted)
    assert follow_up.state == FollowUp.State.APPROVED and follow_up.reviewed_by == unit_manager
    assert follow_up.reviewed_at is not None and follow_up.version == 3


def test_an_approved_follow_up_cannot_be_edited_by_its_writer(submitted, unit_manager, team_member, round_t1, org,
                                                               goal):
    approved = follow_up_approve(user=unit_manager, follow_up=submitted)
    with pytest.raises(ValidationError):
        follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.north, scorecard_goal=goal,
                       expected_version=approved.version, what_we_did="Ändrat efter godkännande")
    follow_up = fresh(approved)
    assert follow_up.state == FollowUp.State.APPROVED and follow_up.version == approved.version


def test_an_approved_follow_up_is_not_submitted_again(submitted, unit_manager, team_member):
    approved = follow_up_approve(user=unit_manager, follow_up=submitted)
    with pytest.raises(ValidationError):
        follow_up_submit(user=team_member, follow_up=approved)
    assert fresh(approved).state == FollowUp.State.APPROVED


def test_unit_manager_returns_a_follow_up_with_a_comment(submitted, unit_manager):
    follow_up_return(user=unit_manager, follow_up=submitted, comment="Beskriv effekten för familjerna.")
    follow_up = fresh(submitted)
    assert follow_up.state == FollowUp.State.RETURNED
    assert follow_up.review_comment == "Beskriv effekten för familjerna." and follow_up.reviewed_by == unit_manager


@pytest.mark.parametrize("comment", ["", "   ", None])
def test_returning_without_a_comment_is_refused(submitted, unit_manager, comment):
    with pytest.raises(ValidationError) as error:
        follow_up_return(user=unit_manager, follow_up=submitted, comment=comment)
    assert "review_comment" in error.value.message_dict
    follow_up = fresh(submitted)
    assert follow_up.state == FollowUp.State.SUBMITTED and follow_up.version == 2


def test_a_returned_follow_up_edited_goes_back_to_draft_and_can_be_resubmitted(submitted, unit_manager, team_member,
                                                                               round_t1, org, goal):
    returned = follow_up_return(user=unit_manager, follow_up=submitted, comment="Beskriv effekten.")
    edited = follow_up_save(user=team_member, reporting_round=round_t1, org_unit=org.north, scorecard_goal=goal,
                            expected_version=returned.version, effect_for_citizens="Färre familjer i kris.")
    edited = fresh(edited)
    assert edited.state == FollowUp.State.DRAFT and edited.submitted_at is None
    assert edited.version == returned.version + 1
    follow_up_submit(user=team_member, follow_up=edited, expected_version=edited.version)
    assert fresh(edited).state == FollowUp.State.SUBMITTED


def test_a_returned_follow_up_can_be_resubmitted_as_it_is(submitted, unit_manager, team_member):
    returned = follow_up_return(user=unit_manager, follow_up=submitted, comment="Titta igen.")
    follow_up_submit(user=team_member, follow_up=returned, expected_version=returned.version)
    assert fresh(returned).state == FollowUp.State.SUBMITTED


def test_a_team_member_cannot_approve_or_return(submitted, team_member):
    with pytest.raises(PermissionDenied):
        follow_up_approve(user=team_member, follow_up=submitted)
    with pytest.raises(PermissionDenied):
        follow_up_return(user=team_member, follow_up=submitted, comment="Själv")
    assert fresh(submitted).state == FollowUp.State.SUBMITTED


@pytest.mark.parametrize("who", ["other_unit_manager", "controller", "board_member", "outsider"])
def test_only_the_units_manager_approves_or_returns(request, who, submitted):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        follow_up_approve(user=user, follow_up=submitted)
    with pytest.raises(PermissionDenied):
        follow_up_return(user=user, follow_up=submitted, comment="Obehörig")
    follow_up = fresh(submitted)
    assert follow_up.state == FollowUp.State.SUBMITTED and follow_up.reviewed_by is None


def test_someone_without_the_right_is_refused_before_being_told_to_write_a_comment(submitted, outsider):
    with pytest.raises(PermissionDenied):
        follow_up_return(user=outsider, follow_up=submitted, comment="")


def test_a_draft_cannot_be_approved(draft, unit_manager):
    with pytest.raises(ValidationError):
        follow_up_approve(user=unit_manager, follow_up=draft)
    assert fresh(draft).state == FollowUp.State.DRAFT


def test_an_approved_follow_up_is_not_reviewed_again(submitted, unit_manager):
    approved = follow_up_approve(user=unit_manager, follow_up=submitted, comment="Bra.")
    with pytest.raises(ValidationError):
        follow_up_return(user=unit_manager, follow_up=approved, comment="Ändrade mig.")
    with pytest.raises(ValidationError):
        follow_up_approve(user=unit_manager, follow_up=approved)
    follow_up = fresh(approved)
    assert follow_up.state == FollowUp.State.APPROVED and follow_up.review_comment == "Bra."
    assert follow_up.version == approved.version


def test_approving_from_an_old_version_is_stale(submitted, unit_manager):
    with pytest.raises(StaleWrite):
        follow_up_approve(user=unit_manager, follow_up=submitted, expected_version=1)
    assert fresh(submitted).state == FollowUp.State.SUBMITTED


def test_follow_ups_are_not_reviewed_in_a_closed_round(submitted, unit_manager, round_t1):
    close(round_t1)
    with pytest.raises(ValidationError):
        follow_up_approve(user=unit_manager, follow_up=submitted)
    assert fresh(submitted).state == FollowUp.State.SUBMITTED


# --- the unit's report ------------------------------------------------------------------------


def test_unit_manager_submits_the_units_report(org, unit_manager, round_t1):
    report = unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family,
                                summary="Ett stabilt tertial.", reporting_hours="6.5")
    report = fresh(report)
    assert report.state == UnitReport.State.SUBMITTED and report.submitted_by == unit_manager
    assert report.submitted_at is not None and report.version == 1


def test_a_team_does_not_submit_a_report_of_its_own(org, unit_manager, round_t1):
    with pytest.raises(ValidationError) as error:
        unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.north)
    assert "unit" in error.value.message_dict
    assert not UnitReport.objects.exists()


def test_the_report_waits_while_a_follow_up_waits_for_review(org, unit_manager, round_t1, submitted):
    with pytest.raises(ValidationError):
        unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family)
    assert not UnitReport.objects.exists()
    follow_up_approve(user=unit_manager, follow_up=submitted)
    report = unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family)
    assert fresh(report).state == UnitReport.State.SUBMITTED


def test_a_draft_that_was_never_submitted_does_not_hold_up_the_report(org, unit_manager, round_t1, draft):
    unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family)
    assert UnitReport.objects.get().state == UnitReport.State.SUBMITTED
    assert fresh(draft).state == FollowUp.State.DRAFT


@pytest.mark.parametrize("who", ["board_member", "controller", "team_member", "outsider", "other_unit_manager"])
def test_only_the_units_manager_submits_its_report(request, who, org, round_t1):
    with pytest.raises(PermissionDenied):
        unit_report_submit(user=request.getfixturevalue(who), reporting_round=round_t1, unit=org.family)
    assert not UnitReport.objects.exists()


def test_a_report_is_not_submitted_in_a_closed_round(org, unit_manager, round_t1):
    close(round_t1)
    with pytest.raises(ValidationError):
        unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family)
    assert not UnitReport.objects.exists()


def test_a_unit_does_not_report_in_another_boards_round(org, unit_manager, elderly_round):
    with pytest.raises(ValidationError):
        unit_report_submit(user=unit_manager, reporting_round=elderly_round, unit=org.family)
    assert not UnitReport.objects.exists()


def test_resubmitting_the_report_from_the_current_version_bumps_it(org, unit_manager, round_t1):
    first = unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family, summary="Första")
    unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family, summary="Andra",
                       expected_version=first.version)
    report = UnitReport.objects.get()
    assert report.summary == "Andra" and report.version == first.version + 1


def test_resubmitting_the_report_from_an_old_version_is_stale_and_changes_nothing(org, unit_manager, round_t1):
    first = unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family, summary="Första")
    unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family, summary="Andra",
                       expected_version=first.version)
    with pytest.raises(StaleWrite):
        unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family, summary="Tredje",
                           expected_version=first.version)
    assert UnitReport.objects.get().summary == "Andra"


def test_negative_reporting_hours_are_refused(org, unit_manager, round_t1):
    with pytest.raises(ValidationError):
        unit_report_submit(user=unit_manager, reporting_round=round_t1, unit=org.family, reporting_hours=-2)
    assert not UnitReport.objects.exists()
