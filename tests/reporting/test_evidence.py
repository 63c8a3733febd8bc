"""The evidence per political goal that the goal report, its drill-down and the workbook show
(reporting.evidence.board_report_data): counts, divergence, the controller's assessment, scope,
and a number of queries that does not grow with the organisation.

The builders here (``report_world``, ``add_contribution``, ``grow``) are shared by the goal report,
chart and round page tests.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Period, PoliticalGoal
from reporting.evidence import board_report_data
from reporting.models import BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport
from reporting.rules import Assessment, DivergenceKind
from scorecards.models import (
    Activity, ActivityUpdate, Indicator, Measurement, Perspective, Scorecard, ScorecardGoal, ScorecardIndicator, Target,
)
from scorecards.status import Status
from tests.conftest import make_unit

TODAY = datetime.date(2026, 9, 15)  # T2 2026 has ended, T3 has not


def period(year, kind, number):
    return Period.objects.get(year=year, kind=kind, number=number)


def add_contribution(world, unit, teams, *, monthly, own_value, assessments, goal_title=None):
    """A unit's scorecard goal serving the first political goal, with the mandated indicator
    (``monthly``: {month: value}), an own indicator (T2 value), one follow-up per team
    (``assessments``: [(assessment, state)]) and one activity with an update."""
    scorecard = Scorecard.objects.create(unit=unit, year=world.year)
    goal = ScorecardGoal.objects.create(scorecard=scorecard, perspective=world.perspective,
                                        title=goal_title or f"{unit.name}: stöd inom två veckor")
    goal.political_goals.add(world.goal_support)
    mandated_link = ScorecardIndicator.objects.create(scorecard=scorecard, indicator=world.mandated, goal=goal, order=1)
    own = Indicator.objects.create(name=f"Väntetid till första samtal, {unit.name}", owner=unit, mandate="own",
                                   direction="decrease", measure_unit="days", frequency="tertial", decimals=0)
    Target.objects.create(indicator=own, year=world.year, target_value=14)
    own_link = ScorecardIndicator.objects.create(scorecard=scorecard, indicator=own, goal=goal, order=2)
    for month, value in monthly.items():
        Measurement.objects.create(indicator=world.mandated, unit=unit, period=period(world.year, "month", month), value=value)
    Measurement.objects.create(indicator=own, unit=unit, period=period(world.year, "tertial", 2), value=own_value)
    follow_ups = []
    for team, (assessment, state) in zip(teams, assessments):
        follow_ups.append(FollowUp.objects.create(
            round=world.round, org_unit=team, scorecard_goal=goal, state=state, self_assessment=assessment,
            what_we_did=f"{team.name} införde kvällstider för föräldrasamtal.",
            effect_for_citizens="Fler föräldrar kunde komma utan att ta ledigt.",
            learning="Kvällstider passar fler.", next_step="Utvärdera i T3.",
            submitted_at=None if state == FollowUp.State.DRAFT else timezone.now()))
    activity = Activity.objects.create(team=teams[0], title=f"Kvällsmottagning {teams[0].name}", status="ongoing",
                                       expected_citizen_value="Kortare väntan för familjer.")
    activity.goals.add(goal)
    ActivityUpdate.objects.create(activity=activity, date=datetime.date(2026, 6, 1), text="Första kvällen hölls.")
    return SimpleNamespace(scorecard=scorecard, goal=goal, mandated_link=mandated_link, own=own, own_link=own_link,
                           follow_ups=follow_ups, activity=activity)


@pytest.fixture
def report_world(org, year_2026):
    """Socialnämnden's T2 2026 round with two goals; Familjebehandling's numbers are red while
    its team says "attained" (a divergence); Barnutredning is green and says "partly";
    Ekonomiskt bistånd speaks to the political goal directly and says "not attained"."""
    world = SimpleNamespace(org=org, year=year_2026)
    world.perspective = Perspective.objects.create(name="Brukare", order=1)
    world.goal_support = PoliticalGoal.objects.create(
        board=org.board, code="1", title="Invånare får rätt stöd i rätt tid", short_title="Rätt stöd i rätt tid",
        valid_from=2023, valid_to=2026, order=1)
    world.goal_children = PoliticalGoal.objects.create(
        board=org.board, code="2", title="Barn och unga växer upp under trygga förhållanden", short_title="Trygga barn",
        valid_from=2023, valid_to=2026, order=2)
    world.goal_old = PoliticalGoal.objects.create(
        board=org.board, code="9", title="Ett mål från förra mandatperioden", short_title="Gammalt mål",
        valid_from=2019, valid_to=2022, order=0)
    world.mandated = Indicator.objects.create(
        name="Andel barnavårdsutredningar klara inom fyra månader", owner=org.administration, mandate="regulator",
        mandate_source="SoL 11 kap. 2 §", direction="increase", measure_unit="percent", frequency="monthly", decimals=1)
    Target.objects.create(indicator=world.mandated, year=year_2026, target_value=90)
    world.round = ReportingRound.objects.create(
        board=org.board, period=period(year_2026, "tertial", 2), name="Delårsrapport T2 2026",
        deadline=datetime.date(2026, 9, 15), state=ReportingRound.State.OPEN, opened_at=timezone.now())
    approved, draft = FollowUp.State.APPROVED, FollowUp.State.DRAFT
    world.family = add_contribution(world, org.family, [org.north, org.south], monthly={5: 70, 6: 65, 7: 62, 8: 60},
                                    own_value=20, assessments=[(Assessment.ATTAINED, approved),
                                                               (Assessment.NOT_ATTAINED, draft)])
    world.investigation = add_contribution(world, org.investigation, [org.investigation_team],
                                           monthly={5: 92, 6: 94, 8: 95}, own_value=12,
                                           assessments=[(Assessment.PARTLY, approved)])
    world.income_follow_up = FollowUp.objects.create(
        round=world.round, org_unit=org.income, political_goal=world.goal_support, state=approved,
        self_assessment=Assessment.NOT_ATTAINED, what_we_did="Handläggningstiden ökade under sommaren.",
        submitted_at=timezone.now())
    world.report = BoardReport.objects.create(board=org.board, round=world.round)
    world.assessment = GoalAssessment.objects.create(report=world.report, political_goal=world.goal_support,
                                                     assessment=Assessment.PARTLY,
                                                     text="Väntetiderna har minskat men utredningstiderna brister.")
    return world


def grow(world, count):
    """``count`` more units (each with two teams and a full contribution), to show that the
    number of queries does not grow with the organisation."""
    org = world.org
    for n in range(count):
        unit = make_unit(f"Enhet {n}", "unit", org.children, f"EXTRA-{n}")
        teams = [make_unit(f"Team {n}{suffix}", "team", unit) for suffix in ("A", "B")]
        contribution = add_contribution(world, unit, teams, monthly={5: 80, 8: 85}, own_value=15,
                                        assessments=[(Assessment.PARTLY, FollowUp.State.APPROVED),
                                                     (Assessment.ATTAINED, FollowUp.State.SUBMITTED)])
        UnitReport.objects.create(round=world.round, unit=unit, state=UnitReport.State.SUBMITTED,
                                  submitted_at=timezone.now())
        activity = Activity.objects.create(team=teams[1], title=f"Gruppträffar {n}", status="planned")
        activity.goals.add(contribution.goal)


def goal_row(data, goal):
    return next(row for row in data.goals if row.political_goal == goal)


# --- counts ----------------------------------------------------------------------------------------

def test_the_report_has_one_row_per_political_goal_valid_in_the_rounds_year(report_world, board_member):
    data = board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY)
    assert [row.political_goal for row in data.goals] == [report_world.goal_support, report_world.goal_children]
    assert data.board == report_world.org.board and data.round == report_world.round


def test_mandated_and_own_indicators_are_counted_apart(report_world, board_member):
    row = goal_row(board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY),
                   report_world.goal_support)
    assert row.evidence.mandated[Status.MET] == 1 and row.evidence.mandated[Status.NOT_MET] == 1
    assert row.evidence.mandated.total == 2
    assert row.evidence.own[Status.MET] == 1 and row.evidence.own[Status.NOT_MET] == 1
    assert {r.indicator.name for r in row.mandated_indicators} == {report_world.mandated.name}


def test_monthly_indicators_are_judged_on_the_last_month_of_the_round(report_world, board_member):
    row = goal_row(board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY),
                   report_world.goal_support)
    family_mandated = next(r for r in row.mandated_indicators if r.unit == report_world.org.family)
    assert family_mandated.evaluation.period.label == "aug 2026"
    assert family_mandated.evaluation.value == 60 and family_mandated.evaluation.status == Status.NOT_MET


def test_only_approved_follow_ups_count_as_self_assessments(report_world, board_member):
    row = goal_row(board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY),
                   report_world.goal_support)
    counts = row.evidence.self_assessments
    assert (counts[Assessment.ATTAINED], counts[Assessment.PARTLY], counts[Assessment.NOT_ATTAINED]) == (1, 1, 1)
    assert counts.total == 3  # Team Söder's draft is progress, not evidence
    assert len(row.follow_ups) == 4  # but the draft is still listed for the drill-down


def test_a_goal_without_contributions_has_empty_evidence(report_world, board_member):
    row = goal_row(board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY),
                   report_world.goal_children)
    assert row.evidence.mandated.total == 0 and row.evidence.self_assessments.total == 0
    assert row.units == [] and not row.evidence.has_divergence and row.assessment is None


def test_the_controllers_assessment_comes_from_the_latest_board_report(report_world, board_member):
    newer = BoardReport.objects.create(board=report_world.org.board, round=report_world.round, version_number=2)
    GoalAssessment.objects.create(report=newer, political_goal=report_world.goal_support,
                                  assessment=Assessment.NOT_ATTAINED, text="Rättad bedömning.")
    data = board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY)
    assert data.report == newer
    assert goal_row(data, report_world.goal_support).assessment.text == "Rättad bedömning."


# --- divergence --------------------------------------------------------------------------------------

def test_red_numbers_with_the_words_attained_are_a_divergence_for_that_unit(report_world, board_member):
    row = goal_row(board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY),
                   report_world.goal_support)
    assert [(d.unit_id, d.kind) for d in row.evidence.divergences] == [
        (report_world.org.family.pk, DivergenceKind.NUMBERS_WORSE)]


def test_agreeing_numbers_and_words_give_no_divergence(report_world, board_member):
    FollowUp.objects.filter(org_unit=report_world.org.north).update(self_assessment=Assessment.NOT_ATTAINED)
    row = goal_row(board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY),
                   report_world.goal_support)
    assert not row.evidence.has_divergence


# --- scope -------------------------------------------------------------------------------------------

def test_a_unit_manager_sees_only_their_own_units_contributions(report_world, unit_manager):
    data = board_report_data(user=unit_manager, reporting_round=report_world.round, today=TODAY)
    row = goal_row(data, report_world.goal_support)
    assert [c.unit for c in row.units] == [report_world.org.family]
    assert {r.unit for r in row.indicators} == {report_world.org.family}
    assert row.evidence.mandated.total == 1 and row.evidence.mandated[Status.NOT_MET] == 1
    assert row.evidence.self_assessments.total == 1  # not Barnutredning's, not Ekonomiskt bistånd's
    # Seen alone, the unit's red numbers and "attained" disagree for the goal as a whole too.
    assert {d.unit_id for d in row.evidence.divergences} == {None, report_world.org.family.pk}


def test_a_team_member_sees_only_their_teams_texts_and_activities(report_world, team_member):
    data = board_report_data(user=team_member, reporting_round=report_world.round, today=TODAY, with_details=True)
    row = goal_row(data, report_world.goal_support)
    assert {f.org_unit for f in row.follow_ups} == {report_world.org.north}
    assert [a.team for c in row.units for a in c.activities] == [report_world.org.north]


def test_an_outsider_gets_no_evidence_at_all(report_world, outsider):
    with pytest.raises(PermissionDenied):
        board_report_data(user=outsider, reporting_round=report_world.round, today=TODAY)


def test_a_board_member_of_another_board_gets_no_evidence(report_world, org):
    from governance.models import Role
    from tests.conftest import make_user

    other = make_user("aldreledamot", (org.elderly_board, Role.BOARD_MEMBER))
    with pytest.raises(PermissionDenied):
        board_report_data(user=other, reporting_round=report_world.round, today=TODAY)


# --- details -------------------------------------------------------------------------------------------

def test_details_give_the_value_series_through_the_rounds_period(report_world, board_member):
    data = board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY,
                             with_details=True, only_goal=report_world.goal_support)
    assert [row.political_goal for row in data.goals] == [report_world.goal_support]
    row = data.goals[0]
    investigation = next(r for r in row.mandated_indicators if r.unit == report_world.org.investigation)
    assert [p.label for p, _ in investigation.series][-4:] == ["maj 2026", "jun 2026", "jul 2026", "aug 2026"]
    assert [v for _, v in investigation.series][-4:] == [92, 94, None, 95]
    assert len(investigation.series) == 8  # January to August, nothing after the round
    assert {a.title for c in row.units for a in c.activities} == {
        report_world.family.activity.title, report_world.investigation.activity.title}


def add_yearly_indicator(world):
    """A yearly own indicator of Familjebehandling with a (preliminary) value for 2026."""
    yearly = Indicator.objects.create(name="Nöjda familjer", owner=world.org.family, mandate="own",
                                      direction="increase", measure_unit="percent", frequency="yearly")
    Target.objects.create(indicator=yearly, year=world.year, target_value=80)
    link = ScorecardIndicator.objects.create(scorecard=world.family.scorecard, indicator=yearly,
                                             goal=world.family.goal, order=3)
    Measurement.objects.create(indicator=yearly, unit=world.org.family, period=period(world.year, "year", 1), value=84)
    return link


def test_a_yearly_indicator_shows_its_year_even_in_a_tertial_round(report_world, board_member):
    link = add_yearly_indicator(report_world)
    data = board_report_data(user=board_member, reporting_round=report_world.round, today=TODAY, with_details=True,
                             only_goal=report_world.goal_support)
    row = next(r for r in data.goals[0].indicators if r.link == link)
    assert row.evaluation.period.label == "2026" and row.evaluation.status == Status.MET
    assert [(p.label, v) for p, v in row.series] == [("2026", 84)]


# --- queries -------------------------------------------------------------------------------------------

def count_queries(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


@pytest.mark.parametrize("with_details", [False, True])
def test_the_number_of_queries_does_not_grow_with_the_organisation(report_world, board_member, with_details,
                                                                   django_assert_max_num_queries):
    def gather():
        # Fresh objects each time, so that nothing cached on them by an earlier call is left out.
        user = type(board_member).objects.get(pk=board_member.pk)
        reporting_round = ReportingRound.objects.get(pk=report_world.round.pk)
        data = board_report_data(user=user, reporting_round=reporting_round, today=TODAY, with_details=with_details)
        # Touch everything a page shows, so that a lazy relation would be counted too.
        for row in data.goals:
            for contribution in row.units:
                [(g.perspective.name, g.title) for g in contribution.scorecard_goals]
                [(r.indicator.name, r.unit.name, r.evaluation.target) for r in contribution.indicators]
                [(f.org_unit.name, f.goal) for f in contribution.follow_ups]
                [(a.team.name, list(a.updates.all())) for a in contribution.activities]

    limit = 20 if with_details else 16
    with django_assert_max_num_queries(limit):
        small = count_queries(gather)
    grow(report_world, 6)
    with django_assert_max_num_queries(limit):
        large = count_queries(gather)
    assert large == small
