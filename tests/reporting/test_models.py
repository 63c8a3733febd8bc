"""Constraints of rounds, follow-ups, unit reports and board reports."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import Period, PoliticalGoal
from reporting.models import BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport
from reporting.rules import Assessment
from scorecards.models import Perspective, Scorecard, ScorecardGoal


@pytest.fixture
def round_t1(org, year_2026):
    return ReportingRound.objects.create(board=org.board, name="T1 2026", deadline=datetime.date(2026, 5, 15),
                                         period=Period.objects.get(year=year_2026, kind="tertial", number=1))


@pytest.fixture
def goal(org, year_2026):
    scorecard = Scorecard.objects.create(unit=org.family, year=year_2026)
    return ScorecardGoal.objects.create(scorecard=scorecard, perspective=Perspective.objects.create(name="Brukare"),
                                        title="Fler familjer får stöd inom två veckor")


@pytest.fixture
def political_goal(org):
    return PoliticalGoal.objects.create(board=org.board, code="1", title="Rätt stöd i rätt tid", short_title="Rätt stöd",
                                        valid_from=2023, valid_to=2026)


def test_one_round_per_board_and_period(round_t1, org):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingRound.objects.create(board=org.board, name="T1 igen", deadline=datetime.date(2026, 5, 20),
                                      period=round_t1.period)


def test_an_open_round_records_when_it_opened(round_t1):
    round_t1.state = ReportingRound.State.OPEN
    with pytest.raises(IntegrityError), transaction.atomic():
        round_t1.save()
    round_t1.opened_at = timezone.now()
    round_t1.save()


def test_a_follow_up_is_about_exactly_one_goal(round_t1, org, goal, political_goal):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(round=round_t1, org_unit=org.north)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(round=round_t1, org_unit=org.north, scorecard_goal=goal, political_goal=political_goal)
    FollowUp.objects.create(round=round_t1, org_unit=org.north, scorecard_goal=goal)
    FollowUp.objects.create(round=round_t1, org_unit=org.family, political_goal=political_goal)


def test_one_follow_up_per_team_goal_and_round(round_t1, org, goal):
    FollowUp.objects.create(round=round_t1, org_unit=org.north, scorecard_goal=goal)
    FollowUp.objects.create(round=round_t1, org_unit=org.south, scorecard_goal=goal)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(round=round_t1, org_unit=org.north, scorecard_goal=goal)


def test_a_submitted_follow_up_records_when(round_t1, org, goal):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(round=round_t1, org_unit=org.north, scorecard_goal=goal, state=FollowUp.State.SUBMITTED)


def test_has_text_ignores_blank_fields(round_t1, org, goal):
    follow_up = FollowUp(round=round_t1, org_unit=org.north, scorecard_goal=goal, what_we_did="  ",
                         self_assessment=Assessment.ATTAINED)
    assert not follow_up.has_text
    follow_up.learning = "Kvällstider passar fler föräldrar."
    assert follow_up.has_text


def test_unit_report_once_per_round_and_hours_not_negative(round_t1, org):
    UnitReport.objects.create(round=round_t1, unit=org.family)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitReport.objects.create(round=round_t1, unit=org.family)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitReport.objects.create(round=round_t1, unit=org.income, reporting_hours=-1)


def test_an_adopted_report_has_date_paragraph_and_snapshot(round_t1, org):
    report = BoardReport.objects.create(board=org.board, round=round_t1)
    report.state = BoardReport.State.ADOPTED
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()
    report.adopted_on, report.minute_paragraph = datetime.date(2026, 6, 10), "§ 45"
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()
    report.snapshot = {"goals": []}
    report.save()
    assert report.is_adopted


def test_a_correction_is_a_new_version_pointing_at_the_old(round_t1, org):
    first = BoardReport.objects.create(board=org.board, round=round_t1)
    second = BoardReport.objects.create(board=org.board, round=round_t1, version_number=2, previous=first)
    assert first.correction == second
    assert str(second).endswith("v2")
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardReport.objects.create(board=org.board, round=round_t1, version_number=2)


def test_one_assessment_per_goal_in_a_report(round_t1, org, political_goal):
    report = BoardReport.objects.create(board=org.board, round=round_t1)
    GoalAssessment.objects.create(report=report, political_goal=political_goal, assessment=Assessment.PARTLY)
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalAssessment.objects.create(report=report, political_goal=political_goal)
