"""The report's overview (reporting.evidence.board_report_overview) reads the evidence as plain
tuples instead of building the rows of ``board_report_data``. Both must give the same evidence
(counts, divergences, suggestion), the same assessments and the same unit names, for every role,
on hand-built data with every status and on a generated organisation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fixtures import large_org
from governance.models import PoliticalGoal
from reporting.evidence import board_report_data, board_report_overview
from reporting.models import FollowUp, ReportingRound
from reporting.rules import Assessment
from scorecards.models import Indicator, Measurement, ScorecardGoal, ScorecardIndicator, Target
from scorecards.status import Status
from tests.reporting.test_evidence import TODAY, grow, period, report_world  # noqa: F401 (report_world: a fixture)

ROLES = ("board_member", "controller", "unit_manager", "team_member")


def assert_same_evidence(user, reporting_round, today=TODAY):
    rows = board_report_data(user=user, reporting_round=reporting_round, today=today)
    overview = board_report_overview(user=user, reporting_round=reporting_round, today=today)
    assert [g.political_goal for g in overview.goals] == [g.political_goal for g in rows.goals]
    assert [g.evidence for g in overview.goals] == [g.evidence for g in rows.goals]
    assert [g.assessment for g in overview.goals] == [g.assessment for g in rows.goals]
    assert overview.report == rows.report
    for row, lean in zip(rows.goals, overview.goals):
        for divergence in row.evidence.divergences:
            if divergence.unit_id is not None:
                assert lean.unit_names[divergence.unit_id] == row.unit_names[divergence.unit_id]
    return overview


@pytest.fixture
def varied_world(report_world, org):
    """report_world plus what it lacks: a unit-specific target, an indicator without a target, a
    yearly indicator (its year has not ended), a missing value, a target-range indicator, and a
    scorecard goal serving both political goals (its rows count for each)."""
    world = report_world
    family = world.family
    Target.objects.create(indicator=world.mandated, year=world.year, unit=org.investigation, target_value=96,
                          yellow_threshold=93)
    both = ScorecardGoal.objects.create(scorecard=family.scorecard, perspective=world.perspective,
                                        title="Familjebehandling: trygga barn", order=2)
    both.political_goals.add(world.goal_support, world.goal_children)
    specs = [
        ("Utan målvärde", "increase", "tertial", {}, 5),
        ("Årsmått", "increase", "yearly", {"target_value": 10}, None),
        ("Saknat värde", "decrease", "tertial", {"target_value": 3}, None),
        ("Inom intervall", "target", "tertial", {"target_value": 40, "target_max": 50, "tolerance_percent": 20}, 55),
        ("Långt utanför", "target", "tertial", {"target_value": 40, "target_max": 50}, 80),
    ]
    for order, (name, direction, frequency, target, value) in enumerate(specs, start=10):
        indicator = Indicator.objects.create(name=name, owner=org.family, mandate="own", direction=direction,
                                             measure_unit="count", frequency=frequency, decimals=0)
        if target:
            Target.objects.create(indicator=indicator, year=world.year, **target)
        ScorecardIndicator.objects.create(scorecard=family.scorecard, indicator=indicator, goal=both, order=order)
        if value is not None:
            Measurement.objects.create(indicator=indicator, unit=org.family, period=period(world.year, "tertial", 2),
                                       value=value)
    FollowUp.objects.create(round=world.round, org_unit=org.north, scorecard_goal=both, state=FollowUp.State.APPROVED,
                            self_assessment=Assessment.NOT_ATTAINED, what_we_did="Vi prövade nytt arbetssätt.",
                            submitted_at=timezone.now())
    FollowUp.objects.create(round=world.round, org_unit=org.south, scorecard_goal=both, state=FollowUp.State.APPROVED,
                            self_assessment="", what_we_did="Inget att rapportera.", submitted_at=timezone.now())
    return world


@pytest.mark.parametrize("role", ROLES)
def test_the_overview_gives_the_same_evidence_as_the_rows_for_every_role(varied_world, role, request):
    assert_same_evidence(request.getfixturevalue(role), varied_world.round)


def test_the_overview_sees_every_status_of_the_varied_data(varied_world, board_member):
    overview = assert_same_evidence(board_member, varied_world.round)
    support = next(g for g in overview.goals if g.political_goal == varied_world.goal_support)
    counted = {status for counts in (support.evidence.mandated, support.evidence.own) for status in Status
               if counts[status]}
    assert counted == {Status.MET, Status.PARTLY, Status.NOT_MET, Status.MISSING, Status.NO_TARGET, Status.NOT_DUE}


def test_a_scorecard_goal_serving_two_political_goals_counts_for_both(varied_world, board_member):
    overview = assert_same_evidence(board_member, varied_world.round)
    children = next(g for g in overview.goals if g.political_goal == varied_world.goal_children)
    assert children.evidence.own.total == 5
    assert children.evidence.self_assessments.total == 2


def test_the_overview_agrees_before_the_period_has_ended(varied_world, board_member):
    # On the round's first day nothing has ended: no value is missing yet, values are preliminary.
    assert_same_evidence(board_member, varied_world.round, today=datetime.date(2026, 5, 1))


def test_the_overview_agrees_for_a_round_without_a_report_or_goals(report_world, board_member):
    report_world.report.goal_assessments.all().delete()
    report_world.report.delete()
    PoliticalGoal.objects.filter(board=report_world.org.board).update(valid_from=2019, valid_to=2022)  # none in 2026
    overview = assert_same_evidence(board_member, report_world.round)
    assert overview.goals == [] and overview.report is None


def test_the_overviews_query_count_does_not_grow_with_the_organisation(report_world, board_member):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            board_report_overview(user=board_member, reporting_round=report_world.round, today=TODAY)
        return len(captured.captured_queries)

    queries()  # warm: the user's scope is cached after the first call
    small = queries()
    grow(report_world, 4)
    assert queries() == small
    assert_same_evidence(board_member, report_world.round)


def test_the_overview_gives_the_same_evidence_as_the_rows_on_a_generated_organisation(db):
    org = large_org.generate_org(large_org.OrgSize(units=6, years=2, teams_per_unit=2, indicators_per_scorecard=6,
                                                   goals_per_scorecard=3, activities_per_team=1,
                                                   updates_per_activity=1, political_goals=4), prefix="EQ6")
    rounds = list(ReportingRound.objects.filter(board=org.board))
    assert rounds
    divergences = 0
    for reporting_round in rounds:
        for role in ("board_member", "controller", "unit_manager", "team_member"):
            for today in (datetime.date(2026, 12, 1), reporting_round.period.start):
                overview = assert_same_evidence(org.users[role], reporting_round, today=today)
                divergences += sum(len(g.evidence.divergences) for g in overview.goals)
                assert sum(g.evidence.mandated.total + g.evidence.own.total for g in overview.goals) > 0
