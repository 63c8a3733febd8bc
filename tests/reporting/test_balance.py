"""The trust balance (reporting.balance): the figures and their arithmetic without the ORM, then
the rows gathered for a round: counts against a hand-built organisation, shares, the total row,
the trend over two years, scope, and a number of queries that does not grow with the data."""

import datetime
import json
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from governance.models import Membership, Period, PoliticalGoal, Role, User
from reporting.balance import (
    TOTAL_LABEL, VALUES_PER_YEAR, UnitBalanceFigures, active_in_year, format_decimal, format_share, share, sum_hours,
    total, trust_balance, values_due_per_year,
)
from reporting.models import FollowUp, ReportingRound, UnitReport
from scorecards.models import Activity, Frequency, Indicator, Scorecard, ScorecardIndicator
from tests.conftest import make_unit, make_year

FIGURE_KEYS = ["mandated_indicators", "own_indicators", "values_due_per_year", "follow_ups", "follow_ups_with_text",
               "share_follow_ups_with_text", "activities", "activities_by_teams", "share_activities_by_teams",
               "reporting_hours"]
ROW_KEYS = ["unit", "unit_id", "is_total", *FIGURE_KEYS, "trend"]


# === the figures, without the ORM ===================================================================

@pytest.mark.parametrize("frequencies,expected", [
    ([], 0),
    (["monthly"], 12),
    (["tertial"], 3),
    (["yearly"], 1),
    (["monthly", "tertial", "yearly"], 16),
    (["monthly"] * 10, 120),
    ([Frequency.MONTHLY, Frequency.TERTIAL], 15),
    (iter(["yearly", "yearly"]), 2),
])
def test_values_due_per_year_add_twelve_three_or_one_per_indicator(frequencies, expected):
    assert values_due_per_year(frequencies) == expected


@pytest.mark.parametrize("frequency", ["weekly", "", "Monthly", None])
def test_an_unknown_frequency_is_refused(frequency):
    with pytest.raises(ValueError):
        values_due_per_year(["monthly", frequency])


def test_every_frequency_an_indicator_can_have_has_a_number_of_values():
    assert set(VALUES_PER_YEAR) == set(Frequency.values)


@pytest.mark.parametrize("part,whole,expected", [
    (0, 0, None), (3, 0, None), (0, 4, Fraction(0)), (3, 4, Fraction(3, 4)), (2, 3, Fraction(2, 3)),
    (5, 5, Fraction(1)),
])
def test_a_share_is_exact_and_none_of_nothing(part, whole, expected):
    assert share(part, whole) == expected


def test_shares_are_none_when_there_is_nothing_to_share():
    figures = UnitBalanceFigures()
    assert figures.share_follow_ups_with_text is None
    assert figures.share_activities_by_teams is None
    assert figures.share_own_indicators is None


def test_shares_are_exact_fractions():
    figures = UnitBalanceFigures(mandated_indicators=3, own_indicators=1, follow_ups=3, follow_ups_with_text=2,
                                 activities=4, activities_by_teams=3)
    assert figures.share_follow_ups_with_text == Fraction(2, 3)
    assert figures.share_activities_by_teams == Fraction(3, 4)
    assert figures.share_own_indicators == Fraction(1, 4)
    assert figures.indicators == 4


def test_only_own_indicators_give_a_share_of_one():
    assert UnitBalanceFigures(own_indicators=2).share_own_indicators == 1
    assert UnitBalanceFigures(mandated_indicators=2).share_own_indicators == 0


@pytest.mark.parametrize("changes", [
    {"mandated_indicators": -1},
    {"own_indicators": 1.5},
    {"values_due_per_year": True},
    {"follow_ups": "3"},
    {"follow_ups": 1, "follow_ups_with_text": 2},
    {"activities": 0, "activities_by_teams": 1},
    {"reporting_hours": Decimal("-0.5")},
    {"reporting_hours": 3.5},
    {"reporting_hours": Decimal("NaN")},
])
def test_impossible_figures_are_refused(changes):
    with pytest.raises(ValueError):
        UnitBalanceFigures(**changes)


def test_the_figures_as_a_dict_are_json_with_shares_and_hours_as_strings():
    figures = UnitBalanceFigures(mandated_indicators=2, own_indicators=1, values_due_per_year=16, follow_ups=4,
                                 follow_ups_with_text=3, activities=3, activities_by_teams=1,
                                 reporting_hours=Decimal("12.5"))
    data = figures.as_dict()
    assert list(data) == FIGURE_KEYS
    assert data == {"mandated_indicators": 2, "own_indicators": 1, "values_due_per_year": 16, "follow_ups": 4,
                    "follow_ups_with_text": 3, "share_follow_ups_with_text": "0.75", "activities": 3,
                    "activities_by_teams": 1, "share_activities_by_teams": "0.3333", "reporting_hours": "12.5"}
    assert json.loads(json.dumps(data)) == data


def test_empty_figures_as_a_dict_have_no_shares_and_no_hours():
    data = UnitBalanceFigures().as_dict()
    assert data["share_follow_ups_with_text"] is None and data["share_activities_by_teams"] is None
    assert data["reporting_hours"] is None


def test_the_total_of_nothing_is_zero_without_hours():
    assert total([]) == UnitBalanceFigures()


def test_the_total_adds_every_count():
    a = UnitBalanceFigures(1, 2, 27, 3, 2, 4, 1, Decimal("2.5"))
    b = UnitBalanceFigures(2, 0, 24, 1, 1, 2, 2, Decimal("10"))
    assert total([a, b]) == UnitBalanceFigures(3, 2, 51, 4, 3, 6, 3, Decimal("12.5"))
    assert total(iter([a, b])) == total([a, b])


@pytest.mark.parametrize("hours,expected", [
    ([None, None], None),
    ([None, Decimal("4.0")], Decimal("4.0")),
    ([Decimal("0"), None], Decimal("0")),
    ([Decimal("1.5"), Decimal("2.5"), None], Decimal("4.0")),
])
def test_the_total_sums_the_hours_that_were_given(hours, expected):
    result = total(UnitBalanceFigures(reporting_hours=h) for h in hours)
    assert result.reporting_hours == expected
    assert sum_hours(hours) == expected


counts = st.integers(min_value=0, max_value=500)


@st.composite
def some_figures(draw):
    follow_ups, activities = draw(counts), draw(counts)
    hours = draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=10_000, places=1)))
    return UnitBalanceFigures(
        mandated_indicators=draw(counts), own_indicators=draw(counts), values_due_per_year=draw(counts),
        follow_ups=follow_ups, follow_ups_with_text=draw(st.integers(0, follow_ups)),
        activities=activities, activities_by_teams=draw(st.integers(0, activities)), reporting_hours=hours)


@given(st.lists(some_figures(), max_size=6), st.lists(some_figures(), max_size=6))
def test_a_total_of_totals_is_the_total_of_all(first, second):
    assert total([total(first), total(second)]) == total(first + second)


@given(st.lists(some_figures(), max_size=6))
def test_shares_of_a_total_lie_between_nought_and_one(figures):
    result = total(figures)
    for value in (result.share_follow_ups_with_text, result.share_activities_by_teams, result.share_own_indicators):
        assert value is None or 0 <= value <= 1
    assert json.loads(json.dumps(result.as_dict())) == result.as_dict()


@pytest.mark.parametrize("value,expected", [
    (None, None), (Fraction(0), "0"), (Fraction(1), "1"), (Fraction(3, 4), "0.75"), (Fraction(1, 2), "0.5"),
    (Fraction(2, 3), "0.6667"), (Fraction(1, 3), "0.3333"), (Fraction(1, 8), "0.125"), (Fraction(1, 20000), "0.0001"),
    (Fraction(1, 30000), "0"), (Fraction(9999, 10000), "0.9999"), (Fraction(99999, 100000), "1"),
])
def test_a_share_is_written_with_at_most_four_decimals(value, expected):
    assert format_share(value) == expected


@pytest.mark.parametrize("value,expected", [
    (None, None), (Decimal("12.5"), "12.5"), (Decimal("20.0"), "20"), (Decimal("0.0"), "0"), (Decimal("1E+2"), "100"),
    (Decimal("0.10"), "0.1"), (Decimal("1234.5"), "1234.5"),
])
def test_a_decimal_is_written_without_trailing_zeros(value, expected):
    assert format_decimal(value) == expected


D = datetime.date


@pytest.mark.parametrize("start,end,created,active_years", [
    (None, None, None, {2024, 2025, 2026}),             # no dates, no creation day: always
    (D(2025, 3, 1), None, None, {2025, 2026}),            # open-ended
    (None, D(2025, 3, 1), None, {2024, 2025}),            # ended, start unknown
    (D(2025, 12, 31), D(2026, 1, 1), None, {2025, 2026}),  # one day in each year
    (D(2025, 1, 1), D(2025, 12, 31), None, {2025}),
    (D(2023, 1, 1), D(2024, 6, 30), None, {2024}),
    (D(2027, 1, 1), None, None, set()),
    (None, None, D(2025, 6, 1), {2025, 2026}),            # no dates: since it was created
    (None, D(2025, 9, 1), D(2026, 2, 1), {2025}),          # ended before it was entered: the end decides
    (D(2024, 1, 1), None, D(2026, 2, 1), {2024, 2025, 2026}),  # a start date beats the creation day
])
def test_an_activity_is_active_in_the_years_its_dates_overlap(start, end, created, active_years):
    assert {y for y in (2024, 2025, 2026) if active_in_year(y, start=start, end=end, created=created)} == active_years


# === gathering ===================================================================================

def period(year, kind, number):
    return Period.objects.get(year=year, kind=kind, number=number)


def make_round(board, year, number, name, kind="tertial"):
    p = period(year, kind, number)
    return ReportingRound.objects.create(board=board, period=p, name=name, deadline=p.end)


def write(reporting_round, org_unit, goal, **texts):
    return FollowUp.objects.create(round=reporting_round, org_unit=org_unit, political_goal=goal, **texts)


def activity(team, title, *, by=None, start=None, end=None, created=None):
    made = Activity.objects.create(team=team, title=title, start_date=start, end_date=end, created_by=by)
    if created is not None:
        Activity.objects.filter(pk=made.pk).update(
            created_at=datetime.datetime.combine(created, datetime.time(10), tzinfo=datetime.UTC))
    return made


def scorecard(unit, year, *indicators):
    card = Scorecard.objects.create(unit=unit, year=year)
    for order, indicator in enumerate(indicators):
        ScorecardIndicator.objects.create(scorecard=card, indicator=indicator, order=order)
    return card


def member(username, *memberships):
    """A user who never logs in here, made without hashing a password (that takes a second)."""
    user = User.objects.create(username=username)
    for unit, role in memberships:
        Membership.objects.create(user=user, org_unit=unit, role=role)
    return user


def indicator(name, owner, mandate, frequency):
    return Indicator.objects.create(name=name, owner=owner, mandate=mandate, frequency=frequency)


@pytest.fixture
def world(org, year_2026, unit_manager, team_member):
    """Socialnämnden in 2025 and 2026, seen from its T2 2026 round.

    Familjebehandling keeps scorecards both years, Barnutredning only in 2026, Ekonomiskt
    bistånd only in 2025, Hemtjänst (another board) in 2026. Follow-ups and hours are spread
    over T1 and T3 2025, T1 and T2 2026, and a later T3 2026 that must not count yet.
    """
    w = SimpleNamespace(org=org, y2026=year_2026, y2025=make_year(2025))
    w.goal = PoliticalGoal.objects.create(board=org.board, code="1", title="Invånare får rätt stöd i rätt tid",
                                          short_title="Rätt stöd", valid_from=2023, valid_to=2026)
    w.t1_2025 = make_round(org.board, w.y2025, 1, "T1 2025")
    w.t3_2025 = make_round(org.board, w.y2025, 3, "T3 2025")
    w.t1_2026 = make_round(org.board, w.y2026, 1, "T1 2026")
    w.round = make_round(org.board, w.y2026, 2, "Delårsrapport T2 2026")
    w.t3_2026 = make_round(org.board, w.y2026, 3, "T3 2026")

    waiting = indicator("Andel utredningar inom fyra månader", org.administration, "regulator", "monthly")
    budget = indicator("Budgetavvikelse", org.board, "board", "tertial")
    sick_leave = indicator("Sjukfrånvaro", org.administration, "administration", "yearly")
    family_yearly = indicator("Upplevd nytta, föräldrar", org.family, "own", "yearly")
    family_monthly = indicator("Antal kvällssamtal", org.family, "own", "monthly")
    investigation_own = indicator("Väntetid till första samtal", org.investigation, "own", "tertial")

    scorecard(org.family, w.y2026, waiting, budget, family_yearly)                  # 2 mandated, 1 own, 16 values
    scorecard(org.family, w.y2025, waiting, family_monthly, family_yearly)          # 1 mandated, 2 own, 25 values
    scorecard(org.investigation, w.y2026, waiting, investigation_own)               # 1 mandated, 1 own, 15 values
    scorecard(org.income, w.y2025, waiting, sick_leave)
    scorecard(org.home_care, w.y2026, family_yearly)

    text = "Vi införde kvällstider för föräldrasamtal."
    write(w.round, org.family, w.goal, what_we_did=text)
    write(w.round, org.north, w.goal, learning="Kvällstider passar fler.")
    write(w.round, org.south, w.goal, what_we_did="   \n\t", next_step=" ")               # no real text
    write(w.round, org.investigation_team, w.goal, effect_for_citizens="Kortare väntan.")
    write(w.round, org.income, w.goal, what_we_did=text)                                 # no 2026 scorecard
    write(w.t1_2026, org.north, w.goal, what_we_did=text)
    write(w.t3_2026, org.family, w.goal, what_we_did=text)                                # after this round
    write(w.t1_2025, org.family, w.goal)
    write(w.t3_2025, org.north, w.goal, next_step="Fortsätta.")

    UnitReport.objects.create(round=w.round, unit=org.family, reporting_hours=Decimal("12.5"))
    UnitReport.objects.create(round=w.t1_2026, unit=org.family, reporting_hours=Decimal("4.0"))
    UnitReport.objects.create(round=w.t3_2026, unit=org.family, reporting_hours=Decimal("99"))
    UnitReport.objects.create(round=w.t3_2025, unit=org.family, reporting_hours=Decimal("10"))
    UnitReport.objects.create(round=w.t1_2026, unit=org.investigation, reporting_hours=None)

    former = member("tidigare")
    Membership.objects.create(user=former, org_unit=org.south, role=Role.TEAM_MEMBER, valid_to=D(2025, 12, 31))
    w.investigator = member("utredare", (org.investigation_team, Role.TEAM_MEMBER))
    # Familjebehandling 2026: six activities, two defined by their own team; 2025: two, both.
    activity(org.north, "Kvällsmottagning", by=team_member, start=D(2026, 2, 1))
    activity(org.south, "Föräldragrupp", by=unit_manager, start=D(2026, 3, 1), end=D(2026, 6, 30))
    activity(org.north, "Samtalsrum", by=team_member, created=D(2025, 6, 1))
    activity(org.north, "Sommarträffar", by=team_member, start=D(2025, 6, 1), end=D(2025, 8, 31))
    activity(org.north, "Gammal rutin", by=team_member, start=D(2024, 1, 1), end=D(2024, 12, 31))
    activity(org.north, "Nästa års plan", by=team_member, start=D(2027, 1, 1))
    activity(org.south, "Ny rutin", by=former, created=D(2026, 2, 1))             # had left the team by then
    activity(org.south, "Utan skapare", start=D(2026, 1, 1))
    activity(org.south, "Lånad idé", by=team_member, start=D(2026, 5, 1))          # a member of another team
    activity(org.investigation_team, "Snabbare första samtal", by=w.investigator, start=D(2026, 1, 1))
    return w


def rows_by_unit(rows):
    return {row["unit"]: row for row in rows}


def figures_of(row):
    return {key: row[key] for key in FIGURE_KEYS}


def test_there_is_one_row_per_unit_with_a_scorecard_in_the_rounds_year_then_the_total(world, board_member):
    rows = trust_balance(user=board_member, reporting_round=world.round)
    assert [r["unit"] for r in rows] == ["Familjebehandling", "Barnutredning", TOTAL_LABEL]
    assert [r["unit_id"] for r in rows] == [world.org.family.pk, world.org.investigation.pk, None]
    assert [r["is_total"] for r in rows] == [False, False, True]


def test_every_row_has_exactly_the_documented_shape_and_is_json(world, controller):
    rows = trust_balance(user=controller, reporting_round=world.round)
    for row in rows:
        assert list(row) == ROW_KEYS
        for entry in row["trend"]:
            assert list(entry) == ["year", *FIGURE_KEYS]
    assert json.loads(json.dumps(rows)) == rows


def test_indicators_are_counted_by_mandate_and_values_due_by_frequency(world, board_member):
    rows = rows_by_unit(trust_balance(user=board_member, reporting_round=world.round))
    family, investigation = rows["Familjebehandling"], rows["Barnutredning"]
    assert (family["mandated_indicators"], family["own_indicators"], family["values_due_per_year"]) == (2, 1, 16)
    assert (investigation["mandated_indicators"], investigation["own_indicators"],
            investigation["values_due_per_year"]) == (1, 1, 15)


def test_follow_ups_of_the_unit_and_its_teams_in_the_round_count_and_blank_ones_have_no_text(world, board_member):
    rows = rows_by_unit(trust_balance(user=board_member, reporting_round=world.round))
    family, investigation = rows["Familjebehandling"], rows["Barnutredning"]
    assert (family["follow_ups"], family["follow_ups_with_text"],
            family["share_follow_ups_with_text"]) == (3, 2, "0.6667")
    assert (investigation["follow_ups"], investigation["follow_ups_with_text"],
            investigation["share_follow_ups_with_text"]) == (1, 1, "1")


def test_activities_of_the_units_teams_active_in_the_year_and_those_their_team_defined(world, board_member):
    family = rows_by_unit(trust_balance(user=board_member, reporting_round=world.round))["Familjebehandling"]
    assert (family["activities"], family["activities_by_teams"],
            family["share_activities_by_teams"]) == (6, 2, "0.3333")


def test_an_activity_created_while_its_creator_was_in_the_team_counts_as_the_teams(world, board_member):
    former = User.objects.get(username="tidigare")
    Membership.objects.filter(user=former).update(valid_to=D(2026, 12, 31))
    family = rows_by_unit(trust_balance(user=board_member, reporting_round=world.round))["Familjebehandling"]
    assert (family["activities"], family["activities_by_teams"]) == (6, 3)


def test_reporting_hours_come_from_the_units_report_of_the_round(world, board_member):
    rows = rows_by_unit(trust_balance(user=board_member, reporting_round=world.round))
    assert rows["Familjebehandling"]["reporting_hours"] == "12.5"
    assert rows["Barnutredning"]["reporting_hours"] is None  # no report in this round
    assert rows[TOTAL_LABEL]["reporting_hours"] == "12.5"


def test_the_total_row_adds_up_the_units(world, board_member):
    total_row = trust_balance(user=board_member, reporting_round=world.round)[-1]
    assert figures_of(total_row) == {
        "mandated_indicators": 3, "own_indicators": 2, "values_due_per_year": 31,
        "follow_ups": 4, "follow_ups_with_text": 3, "share_follow_ups_with_text": "0.75",
        "activities": 7, "activities_by_teams": 3, "share_activities_by_teams": "0.4286",
        "reporting_hours": "12.5",
    }


def test_the_trend_covers_each_year_with_a_scorecard_summing_that_years_rounds_up_to_this_one(world, board_member):
    rows = rows_by_unit(trust_balance(user=board_member, reporting_round=world.round))
    assert rows["Familjebehandling"]["trend"] == [
        {"year": 2025, "mandated_indicators": 1, "own_indicators": 2, "values_due_per_year": 25,
         "follow_ups": 2, "follow_ups_with_text": 1, "share_follow_ups_with_text": "0.5",
         "activities": 2, "activities_by_teams": 2, "share_activities_by_teams": "1", "reporting_hours": "10"},
        {"year": 2026, "mandated_indicators": 2, "own_indicators": 1, "values_due_per_year": 16,
         "follow_ups": 4, "follow_ups_with_text": 3, "share_follow_ups_with_text": "0.75",
         "activities": 6, "activities_by_teams": 2, "share_activities_by_teams": "0.3333", "reporting_hours": "16.5"},
    ]
    assert [entry["year"] for entry in rows["Barnutredning"]["trend"]] == [2026]
    assert rows["Barnutredning"]["trend"][0]["reporting_hours"] is None  # a report without hours is not zero


def test_the_total_trend_adds_up_the_units_year_by_year(world, board_member):
    trend = trust_balance(user=board_member, reporting_round=world.round)[-1]["trend"]
    assert [entry["year"] for entry in trend] == [2025, 2026]
    assert trend[0] == rows_by_unit(trust_balance(user=board_member, reporting_round=world.round))[
        "Familjebehandling"]["trend"][0]
    assert trend[1] == {"year": 2026, "mandated_indicators": 3, "own_indicators": 2, "values_due_per_year": 31,
                        "follow_ups": 5, "follow_ups_with_text": 4, "share_follow_ups_with_text": "0.8",
                        "activities": 7, "activities_by_teams": 3, "share_activities_by_teams": "0.4286",
                        "reporting_hours": "16.5"}


def test_years_limits_the_trend_to_the_most_recent_years(world, board_member):
    rows = trust_balance(user=board_member, reporting_round=world.round, years=1)
    assert [[e["year"] for e in row["trend"]] for row in rows] == [[2026], [2026], [2026]]
    assert figures_of(rows[0]) == figures_of(trust_balance(user=board_member, reporting_round=world.round)[0])


@pytest.mark.parametrize("years", [0, -1, 1.5, "2", True])
def test_years_must_be_a_positive_whole_number_and_is_checked_before_anything_is_read(years):
    with pytest.raises(ValueError):
        trust_balance(user=None, reporting_round=None, years=years)


def test_an_earlier_round_shows_the_units_of_its_own_year(world, board_member):
    rows = trust_balance(user=board_member, reporting_round=world.t3_2025)
    assert [r["unit"] for r in rows] == ["Familjebehandling", "Ekonomiskt bistånd", TOTAL_LABEL]
    family = rows[0]
    assert (family["mandated_indicators"], family["own_indicators"], family["values_due_per_year"]) == (1, 2, 25)
    assert (family["follow_ups"], family["follow_ups_with_text"], family["reporting_hours"]) == (1, 1, "10")
    assert [e["year"] for e in family["trend"]] == [2025]
    assert family["trend"][0]["follow_ups"] == 2  # T1 and T3 2025
    assert (family["activities"], family["activities_by_teams"]) == (2, 2)


def test_a_department_keeping_a_scorecard_gets_its_own_row(world, board_member):
    scorecard(world.org.children, world.y2026, Indicator.objects.get(name="Budgetavvikelse"))
    write(world.round, world.org.children, world.goal, what_we_did="Avdelningen samordnade mottagningen.")
    rows = trust_balance(user=board_member, reporting_round=world.round)
    assert [r["unit"] for r in rows] == ["Barn och familj", "Familjebehandling", "Barnutredning", TOTAL_LABEL]
    assert (rows[0]["mandated_indicators"], rows[0]["values_due_per_year"], rows[0]["follow_ups"]) == (1, 3, 1)
    assert rows[1]["follow_ups"] == 3
    assert rows[-1]["follow_ups"] == 5


def test_a_board_without_scorecards_has_only_an_empty_total(db, superuser, year_2026):
    board = make_unit("Kulturnämnden", "board")
    reporting_round = make_round(board, year_2026, 1, "T1 2026")
    assert trust_balance(user=superuser, reporting_round=reporting_round) == [
        {"unit": TOTAL_LABEL, "unit_id": None, "is_total": True, **UnitBalanceFigures().as_dict(), "trend": []}]


# --- scope ---------------------------------------------------------------------------------------------

def test_a_unit_manager_sees_their_unit_and_a_total_of_it(world, unit_manager):
    rows = trust_balance(user=unit_manager, reporting_round=world.round)
    assert [r["unit"] for r in rows] == ["Familjebehandling", TOTAL_LABEL]
    assert figures_of(rows[1]) == figures_of(rows[0])
    assert rows[1]["trend"] == rows[0]["trend"]


def test_a_team_member_sees_their_unit_without_the_sibling_teams_texts_and_activities(world, team_member):
    rows = trust_balance(user=team_member, reporting_round=world.round)
    assert [r["unit"] for r in rows] == ["Familjebehandling", TOTAL_LABEL]
    family = rows[0]
    assert (family["mandated_indicators"], family["own_indicators"]) == (2, 1)  # the scorecard is read in full
    assert (family["follow_ups"], family["follow_ups_with_text"]) == (2, 2)     # the unit's and Team Norr's
    assert (family["activities"], family["activities_by_teams"]) == (2, 2)      # Team Norr's only


def test_an_outsider_gets_no_balance(world, outsider):
    with pytest.raises(PermissionDenied):
        trust_balance(user=outsider, reporting_round=world.round)


def test_a_board_member_of_another_board_gets_no_balance(world, org):
    other = member("aldreledamot", (org.elderly_board, Role.BOARD_MEMBER))
    with pytest.raises(PermissionDenied):
        trust_balance(user=other, reporting_round=world.round)


# --- queries ---------------------------------------------------------------------------------------------

def grow(w, count):
    """``count`` more units, each with two teams, scorecards both years, follow-ups, hours and
    activities by members, to show that the number of queries does not grow with the data."""
    org = w.org
    indicators = list(Indicator.objects.all())
    for n in range(count):
        unit = make_unit(f"Enhet {n}", "unit", org.children, f"EXTRA-{n}")
        teams = [make_unit(f"Team {n}{suffix}", "team", unit) for suffix in ("A", "B")]
        creator = member(f"medlem{n}", (teams[0], Role.TEAM_MEMBER))
        scorecard(unit, w.y2026, *indicators[:3])
        scorecard(unit, w.y2025, *indicators[2:])
        for reporting_round in (w.t1_2025, w.t3_2025, w.t1_2026, w.round):
            write(reporting_round, unit, w.goal, what_we_did="Text.")
            write(reporting_round, teams[1], w.goal)
            UnitReport.objects.create(round=reporting_round, unit=unit, reporting_hours=Decimal(n))
        activity(teams[0], f"Aktivitet {n}", by=creator, start=D(2025, 3, 1))
        activity(teams[1], f"Odaterad {n}", by=creator, created=D(2025, 3, 1))


def test_the_number_of_queries_does_not_grow_with_the_organisation(world, board_member, django_assert_max_num_queries):
    def gather():
        # Fresh objects each time, so that nothing cached on them by an earlier call is left out.
        user = type(board_member).objects.get(pk=board_member.pk)
        reporting_round = ReportingRound.objects.get(pk=world.round.pk)
        with django_assert_max_num_queries(11), CaptureQueriesContext(connection) as queries:
            rows = trust_balance(user=user, reporting_round=reporting_round)
        return len(queries), rows

    small, small_rows = gather()
    grow(world, 8)
    large, large_rows = gather()
    assert large == small
    assert len(large_rows) == len(small_rows) + 8
    new = rows_by_unit(large_rows)["Enhet 7"]
    assert (new["follow_ups"], new["follow_ups_with_text"], new["reporting_hours"]) == (2, 1, "7")
    assert (new["activities"], new["activities_by_teams"]) == (2, 1)
    assert [e["follow_ups"] for e in new["trend"]] == [4, 4]
