"""The write services of scorecards: who may write what, what is refused, and that a refused
write leaves the database as it was."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.concurrency import StaleWrite
from governance.models import Period, PoliticalGoal, Role
from scorecards.models import (
    Activity, ActivityUpdate, Indicator, Mandate, Measurement, Perspective, Scorecard, ScorecardGoal,
    ScorecardIndicator, Target,
)
from scorecards.services import (
    activity_create, activity_log_update, activity_update, indicator_update, mandated_indicator_assign,
    measurement_record, measurements_record_for_period, own_indicator_create, parse_decimal, scorecard_goal_create,
    scorecard_goal_update, scorecard_indicator_update, target_set,
)
from tests.conftest import make_user, make_year

# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def other_unit_manager(org):
    """Manager of Barnutredning: a sibling of Familjebehandling, so no rights there."""
    return make_user("chef-utredning", (org.investigation, Role.UNIT_MANAGER))


@pytest.fixture
def perspective(db):
    return Perspective.objects.create(name="Invånare/brukare", order=1)


@pytest.fixture
def expired_political_goal(org):
    return PoliticalGoal.objects.create(board=org.board, code="1", title="Fler barn får stöd tidigt",
                                        short_title="Tidigt stöd", valid_from=2019, valid_to=2022)


@pytest.fixture
def goal(scorecard, perspective, political_goal):
    goal = ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective,
                                        title="Familjer får stöd inom två veckor")
    goal.political_goals.set([political_goal])
    return goal


@pytest.fixture
def other_unit_goal(org, year_2026, perspective):
    other = Scorecard.objects.create(unit=org.investigation, year=year_2026)
    return ScorecardGoal.objects.create(scorecard=other, perspective=perspective, title="Utredningar i tid")


@pytest.fixture
def own_indicator(org):
    return Indicator.objects.create(name="Andel nöjda föräldrar", owner=org.family, mandate=Mandate.OWN,
                                    direction="increase", measure_unit="percent", frequency="monthly")


@pytest.fixture
def second_own_indicator(org):
    return Indicator.objects.create(name="Väntetid till första samtal", owner=org.family, mandate=Mandate.OWN,
                                    direction="decrease", measure_unit="days", frequency="monthly")


@pytest.fixture
def mandated_indicator(org):
    return Indicator.objects.create(name="Andel barnutredningar inom fyra månader", owner=org.administration,
                                    mandate=Mandate.REGULATOR, mandate_source="SoL 11 kap. 2 §", direction="increase",
                                    measure_unit="percent", frequency="tertial")


@pytest.fixture
def own_link(scorecard, own_indicator, goal):
    return ScorecardIndicator.objects.create(scorecard=scorecard, indicator=own_indicator, goal=goal)


@pytest.fixture
def second_own_link(scorecard, second_own_indicator, goal):
    return ScorecardIndicator.objects.create(scorecard=scorecard, indicator=second_own_indicator, goal=goal)


@pytest.fixture
def mandated_link(scorecard, mandated_indicator, goal):
    return ScorecardIndicator.objects.create(scorecard=scorecard, indicator=mandated_indicator, goal=goal)


@pytest.fixture
def january(year_2026):
    return Period.objects.get(year=year_2026, kind="month", number=1)


@pytest.fixture
def tertial_1(year_2026):
    return Period.objects.get(year=year_2026, kind="tertial", number=1)


@pytest.fixture
def north_activity(org, goal):
    activity = Activity.objects.create(team=org.north, title="Öppet hus för föräldrar")
    activity.goals.set([goal])
    return activity


@pytest.fixture
def south_activity(org, goal):
    activity = Activity.objects.create(team=org.south, title="Unchanged")
    activity.goals.set([goal])
    return activity


def refused_roles(*names):
    return pytest.mark.parametrize("who", names)


NOT_THE_UNIT = refused_roles("board_member", "controller", "team_member", "outsider", "other_unit_manager")

# --- scorecard goals --------------------------------------------------------------------------


def test_unit_manager_adds_a_goal_that_serves_a_political_goal(unit_manager, scorecard, perspective, political_goal):
    goal = scorecard_goal_create(user=unit_manager, scorecard=scorecard, perspective=perspective,
                                 title="Fler familjer avslutar insatsen enligt plan", political_goals=[political_goal])
    goal.refresh_from_db()
    assert goal.scorecard == scorecard and goal.version == 1
    assert list(goal.political_goals.all()) == [political_goal]


@NOT_THE_UNIT
def test_only_the_units_manager_adds_goals_to_its_scorecard(request, who, scorecard, perspective, political_goal):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        scorecard_goal_create(user=user, scorecard=scorecard, perspective=perspective, title="Obehörigt mål",
                              political_goals=[political_goal])
    assert not ScorecardGoal.objects.exists()


def test_a_political_goal_of_another_board_is_refused(unit_manager, scorecard, perspective, elderly_political_goal):
    with pytest.raises(ValidationError) as error:
        scorecard_goal_create(user=unit_manager, scorecard=scorecard, perspective=perspective, title="Fel nämnd",
                              political_goals=[elderly_political_goal])
    assert "political_goals" in error.value.message_dict
    assert not ScorecardGoal.objects.exists()


def test_a_political_goal_outside_its_validity_years_is_refused(unit_manager, scorecard, perspective,
                                                                  expired_political_goal):
    with pytest.raises(ValidationError) as error:
        scorecard_goal_create(user=unit_manager, scorecard=scorecard, perspective=perspective, title="Gammalt mål",
                              political_goals=[expired_political_goal])
    assert "political_goals" in error.value.message_dict
    assert not ScorecardGoal.objects.exists()


def test_unit_manager_updates_a_goal_and_its_version_goes_up_by_one(unit_manager, goal):
    updated = scorecard_goal_update(user=unit_manager, goal=goal, expected_version=1, title="Stöd inom tio dagar")
    goal.refresh_from_db()
    assert goal.title == "Stöd inom tio dagar" and goal.version == 2 == updated.version


def test_updating_a_goal_from_an_old_version_is_stale_and_changes_nothing(unit_manager, goal):
    scorecard_goal_update(user=unit_manager, goal=goal, expected_version=1, title="Första ändringen")
    with pytest.raises(StaleWrite):
        scorecard_goal_update(user=unit_manager, goal=goal, expected_version=1, title="Andra ändringen")
    goal.refresh_from_db()
    assert goal.title == "Första ändringen" and goal.version == 2


def test_updating_a_goal_with_an_expired_political_goal_changes_nothing(unit_manager, goal, political_goal,
                                                                         expired_political_goal):
    with pytest.raises(ValidationError):
        scorecard_goal_update(user=unit_manager, goal=goal, expected_version=1, title="Nytt namn",
                              political_goals=[expired_political_goal])
    goal.refresh_from_db()
    assert goal.title == "Familjer får stöd inom två veckor" and goal.version == 1
    assert list(goal.political_goals.all()) == [political_goal]


@NOT_THE_UNIT
def test_only_the_units_manager_updates_its_goals(request, who, goal):
    with pytest.raises(PermissionDenied):
        scorecard_goal_update(user=request.getfixturevalue(who), goal=goal, expected_version=1, title="Obehörigt")
    goal.refresh_from_db()
    assert goal.title == "Familjer får stöd inom två veckor" and goal.version == 1


# --- indicators -------------------------------------------------------------------------------


def test_unit_manager_creates_an_own_indicator_placed_in_the_scorecard(org, unit_manager, scorecard, goal):
    link = own_indicator_create(user=unit_manager, scorecard=scorecard, goal=goal, analysis="Nytt för i år",
                                name="Antal föräldragrupper", measure_unit="count", frequency="tertial")
    indicator = Indicator.objects.get(name="Antal föräldragrupper")
    assert indicator.owner == org.family and indicator.mandate == Mandate.OWN
    assert link.scorecard == scorecard and link.indicator == indicator and link.goal == goal


@NOT_THE_UNIT
def test_only_the_units_manager_creates_own_indicators(request, who, scorecard):
    with pytest.raises(PermissionDenied):
        own_indicator_create(user=request.getfixturevalue(who), scorecard=scorecard, name="Obehörigt mätetal")
    assert not Indicator.objects.exists() and not ScorecardIndicator.objects.exists()


def test_an_own_indicator_under_another_units_goal_is_refused_and_not_created(unit_manager, scorecard,
                                                                               other_unit_goal):
    with pytest.raises(ValidationError) as error:
        own_indicator_create(user=unit_manager, scorecard=scorecard, goal=other_unit_goal, name="Felplacerat")
    assert "goal" in error.value.message_dict
    assert not Indicator.objects.filter(name="Felplacerat").exists()


def test_unit_manager_renames_an_own_indicator(unit_manager, own_indicator):
    indicator_update(user=unit_manager, indicator=own_indicator, expected_version=1, name="Andel nöjda vårdnadshavare")
    own_indicator.refresh_from_db()
    assert own_indicator.name == "Andel nöjda vårdnadshavare" and own_indicator.version == 2


def test_unit_manager_cannot_rename_a_mandated_indicator(unit_manager, mandated_indicator, mandated_link):
    with pytest.raises(PermissionDenied):
        indicator_update(user=unit_manager, indicator=mandated_indicator, expected_version=1, name="Eget namn")
    mandated_indicator.refresh_from_db()
    assert mandated_indicator.name == "Andel barnutredningar inom fyra månader" and mandated_indicator.version == 1


def test_controller_renames_a_mandated_indicator(controller, mandated_indicator):
    indicator_update(user=controller, indicator=mandated_indicator, expected_version=1,
                     name="Andel barnutredningar klara inom fyra månader")
    mandated_indicator.refresh_from_db()
    assert mandated_indicator.name == "Andel barnutredningar klara inom fyra månader"
    assert mandated_indicator.version == 2


def test_controller_cannot_edit_another_boards_mandated_indicator(org, controller):
    elderly = Indicator.objects.create(name="Andel nöjda brukare i hemtjänst", owner=org.elderly_admin,
                                       mandate=Mandate.BOARD, frequency="yearly")
    with pytest.raises(PermissionDenied):
        indicator_update(user=controller, indicator=elderly, expected_version=1, name="Kapad")
    elderly.refresh_from_db()
    assert elderly.name == "Andel nöjda brukare i hemtjänst"


@pytest.mark.parametrize("who", ["board_member", "controller", "team_member", "outsider", "other_unit_manager"])
def test_an_own_indicator_is_only_the_units_to_change(request, who, own_indicator):
    with pytest.raises(PermissionDenied):
        indicator_update(user=request.getfixturevalue(who), indicator=own_indicator, expected_version=1, name="Ändrat")
    own_indicator.refresh_from_db()
    assert own_indicator.name == "Andel nöjda föräldrar" and own_indicator.version == 1


def test_renaming_an_indicator_from_an_old_version_is_stale_and_changes_nothing(controller, mandated_indicator):
    indicator_update(user=controller, indicator=mandated_indicator, expected_version=1, description="Första")
    with pytest.raises(StaleWrite):
        indicator_update(user=controller, indicator=mandated_indicator, expected_version=1, name="Andra")
    mandated_indicator.refresh_from_db()
    assert mandated_indicator.name == "Andel barnutredningar inom fyra månader" and mandated_indicator.version == 2


def test_unit_manager_writes_the_analysis_of_a_mandated_indicator_in_its_scorecard(unit_manager, mandated_link):
    scorecard_indicator_update(user=unit_manager, link=mandated_link, expected_version=1,
                               analysis="Sjukskrivningar under våren förklarar nedgången.")
    mandated_link.refresh_from_db()
    assert mandated_link.analysis == "Sjukskrivningar under våren förklarar nedgången."
    assert mandated_link.version == 2


@NOT_THE_UNIT
def test_only_the_units_manager_writes_the_analysis(request, who, mandated_link):
    with pytest.raises(PermissionDenied):
        scorecard_indicator_update(user=request.getfixturevalue(who), link=mandated_link, expected_version=1,
                                   analysis="Obehörig analys")
    mandated_link.refresh_from_db()
    assert mandated_link.analysis == "" and mandated_link.version == 1


def test_an_indicator_cannot_be_placed_under_another_scorecards_goal(unit_manager, own_link, goal, other_unit_goal):
    with pytest.raises(ValidationError):
        scorecard_indicator_update(user=unit_manager, link=own_link, expected_version=1, goal=other_unit_goal)
    own_link.refresh_from_db()
    assert own_link.goal == goal and own_link.version == 1


def test_controller_assigns_a_mandated_indicator_to_a_units_scorecard(controller, scorecard, goal, mandated_indicator):
    link = mandated_indicator_assign(user=controller, indicator=mandated_indicator, scorecard=scorecard, goal=goal)
    assert link.scorecard == scorecard and link.goal == goal
    # Assigning twice keeps the one link.
    assert mandated_indicator_assign(user=controller, indicator=mandated_indicator, scorecard=scorecard) == link
    assert ScorecardIndicator.objects.count() == 1


@pytest.mark.parametrize("who", ["board_member", "unit_manager", "team_member", "outsider"])
def test_only_controllers_assign_mandated_indicators(request, who, scorecard, mandated_indicator):
    with pytest.raises(PermissionDenied):
        mandated_indicator_assign(user=request.getfixturevalue(who), indicator=mandated_indicator, scorecard=scorecard)
    assert not ScorecardIndicator.objects.exists()


def test_an_own_indicator_is_not_assigned_centrally(controller, scorecard, org):
    theirs = Indicator.objects.create(name="Barnutredningens eget", owner=org.investigation, mandate=Mandate.OWN)
    with pytest.raises(ValidationError):
        mandated_indicator_assign(user=controller, indicator=theirs, scorecard=scorecard)
    assert not ScorecardIndicator.objects.exists()


def test_controller_cannot_assign_to_a_scorecard_of_another_board(org, controller, year_2026, mandated_indicator):
    home_care = Scorecard.objects.create(unit=org.home_care, year=year_2026)
    with pytest.raises(PermissionDenied):
        mandated_indicator_assign(user=controller, indicator=mandated_indicator, scorecard=home_care)
    assert not ScorecardIndicator.objects.exists()


def test_controller_cannot_assign_another_boards_indicator_to_its_units(org, controller, scorecard):
    elderly = Indicator.objects.create(name="Äldrenämndens mätetal", owner=org.elderly_admin, mandate=Mandate.BOARD)
    with pytest.raises(PermissionDenied):
        mandated_indicator_assign(user=controller, indicator=elderly, scorecard=scorecard)
    assert not ScorecardIndicator.objects.exists()


def test_assigning_under_another_scorecards_goal_is_refused(controller, scorecard, mandated_indicator, other_unit_goal):
    with pytest.raises(ValidationError):
        mandated_indicator_assign(user=controller, indicator=mandated_indicator, scorecard=scorecard,
                                  goal=other_unit_goal)
    assert not ScorecardIndicator.objects.exists()


# --- targets ----------------------------------------------------------------------------------


def test_unit_manager_sets_the_target_of_an_own_indicator(unit_manager, own_indicator, year_2026):
    target = target_set(user=unit_manager, indicator=own_indicator, year=year_2026, target_value="80,5",
                        yellow_threshold="75", tolerance_percent=None)
    target.refresh_from_db()
    assert target.target_value == Decimal("80.5") and target.yellow_threshold == Decimal("75")
    assert target.unit is None and target.version == 1


@pytest.mark.parametrize("unit_name", [None, "family"])
def test_unit_manager_cannot_set_targets_of_a_mandated_indicator(org, unit_manager, mandated_indicator, mandated_link,
                                                                  year_2026, unit_name):
    unit = getattr(org, unit_name) if unit_name else None
    with pytest.raises(PermissionDenied):
        target_set(user=unit_manager, indicator=mandated_indicator, year=year_2026, unit=unit, target_value=100)
    assert not Target.objects.exists()


def test_a_manager_over_the_whole_administration_still_cannot_set_mandated_targets(org, mandated_indicator,
                                                                                   year_2026):
    head = make_user("forvaltningschef", (org.administration, Role.UNIT_MANAGER))
    with pytest.raises(PermissionDenied):
        target_set(user=head, indicator=mandated_indicator, year=year_2026, target_value=100)
    assert not Target.objects.exists()


def test_controller_sets_a_default_target_and_a_units_own_override(org, controller, mandated_indicator, year_2026):
    target_set(user=controller, indicator=mandated_indicator, year=year_2026, target_value=90)
    target_set(user=controller, indicator=mandated_indicator, year=year_2026, unit=org.family, target_value=85)
    assert Target.objects.get(unit=None).target_value == 90
    assert Target.objects.get(unit=org.family).target_value == 85


def test_controller_cannot_set_targets_in_another_board(org, controller, mandated_indicator, year_2026):
    elderly = Indicator.objects.create(name="Äldrenämndens mätetal", owner=org.elderly_admin, mandate=Mandate.BOARD)
    with pytest.raises(PermissionDenied):
        target_set(user=controller, indicator=mandated_indicator, year=year_2026, unit=org.home_care, target_value=1)
    # Nor through an override for one of its own units: the indicator is the other board's.
    with pytest.raises(PermissionDenied):
        target_set(user=controller, indicator=elderly, year=year_2026, unit=org.family, target_value=1)
    assert not Target.objects.exists()


@pytest.mark.parametrize("who", ["board_member", "team_member", "outsider", "other_unit_manager"])
def test_others_cannot_set_the_target_of_a_units_own_indicator(request, who, own_indicator, year_2026):
    with pytest.raises(PermissionDenied):
        target_set(user=request.getfixturevalue(who), indicator=own_indicator, year=year_2026, target_value=1)
    assert not Target.objects.exists()


def test_unit_manager_cannot_set_an_override_for_another_unit(org, unit_manager, own_indicator, year_2026):
    with pytest.raises(PermissionDenied):
        target_set(user=unit_manager, indicator=own_indicator, year=year_2026, unit=org.investigation, target_value=1)
    assert not Target.objects.exists()


@pytest.mark.parametrize("direction,values", [
    ("increase", {"target_value": 80, "yellow_threshold": 85}),   # yellow above target, higher is better
    ("decrease", {"target_value": 14, "yellow_threshold": 10}),   # yellow below target, lower is better
    ("target", {"target_value": 50, "yellow_threshold": 45}),     # two-sided: use the tolerance
    ("increase", {"target_value": 80, "target_max": 90}),         # upper target only for 'closer to target'
    ("target", {"target_value": 50, "target_max": 40}),           # upper below lower
    ("increase", {"target_value": 80, "tolerance_percent": 150}),
])
def test_inconsistent_thresholds_are_refused_and_nothing_is_saved(unit_manager, own_indicator, year_2026, direction,
                                                                   values):
    Indicator.objects.filter(pk=own_indicator.pk).update(direction=direction)
    own_indicator.refresh_from_db()
    with pytest.raises(ValidationError):
        target_set(user=unit_manager, indicator=own_indicator, year=year_2026, **values)
    assert not Target.objects.exists()


def test_a_target_that_is_not_a_number_is_a_field_error(unit_manager, own_indicator, year_2026):
    with pytest.raises(ValidationError) as error:
        target_set(user=unit_manager, indicator=own_indicator, year=year_2026, target_value="åttio",
                   yellow_threshold="1,2,3")
    assert set(error.value.message_dict) == {"target_value", "yellow_threshold"}
    assert not Target.objects.exists()


def test_a_target_is_required(unit_manager, own_indicator, year_2026):
    with pytest.raises(ValidationError) as error:
        target_set(user=unit_manager, indicator=own_indicator, year=year_2026, target_value="")
    assert "target_value" in error.value.message_dict
    assert not Target.objects.exists()


def test_changing_a_target_from_the_current_version_bumps_it(unit_manager, own_indicator, year_2026):
    target_set(user=unit_manager, indicator=own_indicator, year=year_2026, target_value=80)
    target = target_set(user=unit_manager, indicator=own_indicator, year=year_2026, target_value=85, expected_version=1)
    assert target.version == 2 and Target.objects.get().target_value == 85


def test_changing_a_target_from_an_old_version_is_stale_and_changes_nothing(unit_manager, own_indicator, year_2026):
    target_set(user=unit_manager, indicator=own_indicator, year=year_2026, target_value=80)
    target_set(user=unit_manager, indicator=own_indicator, year=year_2026, target_value=85, expected_version=1)
    with pytest.raises(StaleWrite):
        target_set(user=unit_manager, indicator=own_indicator, year=year_2026, target_value=99, expected_version=1)
    target = Target.objects.get()
    assert target.target_value == 85 and target.version == 2


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw,expected", [
    ("78,5", Decimal("78.5")),
    ("78.5", Decimal("78.5")),
    ("1 234,5", Decimal("1234.5")),
    ("1\u00a0234,5", Decimal("1234.5")),     # no-break space, as Excel writes thousands
    ("1.234,5", Decimal("1234.5")),
    ("1,234.5", Decimal("1234.5")),
    ("−3", Decimal("-3")),                   # the typographic minus sign
    ("-3", Decimal("-3")),
    ("12 %", Decimal("12")),
    ("12,5%", Decimal("12.5")),
    ("  7 ", Decimal("7")),
    ("0", Decimal("0")),
    (42, Decimal("42")),
    (0.1, Decimal("0.1")),
    (Decimal("3.25"), Decimal("3.25")),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_numbers_are_read_as_swedes_write_them(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "1.2.3", "NaN", "Infinity", "12 st", "--3"])
def test_what_is_not_a_number_is_refused(raw):
    with pytest.raises(ValidationError):
        parse_decimal(raw)


# --- measurements -----------------------------------------------------------------------------


def test_unit_manager_records_a_value_written_with_a_decimal_comma(org, unit_manager, own_link, own_indicator, january):
    measurement = measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january,
                                     value="78,5", comment="Enkät i januari")
    measurement.refresh_from_db()
    assert measurement.value == Decimal("78.5") and measurement.author == unit_manager and measurement.version == 1


def test_controller_records_a_mandated_value_on_behalf_of_a_unit(org, controller, mandated_link, mandated_indicator,
                                                                  tertial_1):
    measurement_record(user=controller, indicator=mandated_indicator, unit=org.family, period=tertial_1, value="92",
                       source=Measurement.Source.IMPORT)
    assert Measurement.objects.get().source == Measurement.Source.IMPORT


@pytest.mark.parametrize("who", ["board_member", "team_member", "outsider", "other_unit_manager"])
def test_only_the_unit_and_the_controller_record_values(request, who, org, own_link, own_indicator, january):
    with pytest.raises(PermissionDenied):
        measurement_record(user=request.getfixturevalue(who), indicator=own_indicator, unit=org.family,
                           period=january, value="80")
    assert not Measurement.objects.exists()


def test_controller_cannot_record_values_for_another_boards_unit(org, controller, year_2026, january):
    elderly = Indicator.objects.create(name="Hemtjänstens mätetal", owner=org.home_care, mandate=Mandate.OWN)
    with pytest.raises(PermissionDenied):
        measurement_record(user=controller, indicator=elderly, unit=org.home_care, period=january, value="1")
    assert not Measurement.objects.exists()


def test_a_monthly_indicator_is_not_recorded_for_a_tertial(org, unit_manager, own_link, own_indicator, tertial_1):
    with pytest.raises(ValidationError) as error:
        measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=tertial_1, value="80")
    assert "period" in error.value.message_dict
    assert not Measurement.objects.exists()


def test_a_tertial_indicator_is_not_recorded_for_a_month(org, unit_manager, mandated_link, mandated_indicator, january):
    with pytest.raises(ValidationError) as error:
        measurement_record(user=unit_manager, indicator=mandated_indicator, unit=org.family, period=january, value="8")
    assert "period" in error.value.message_dict
    assert not Measurement.objects.exists()


def test_a_mandated_indicator_not_in_the_units_scorecard_is_refused(org, unit_manager, scorecard, mandated_indicator,
                                                                    tertial_1):
    with pytest.raises(ValidationError) as error:
        measurement_record(user=unit_manager, indicator=mandated_indicator, unit=org.family, period=tertial_1,
                           value="90")
    assert "indicator" in error.value.message_dict
    assert not Measurement.objects.exists()


def test_another_units_own_indicator_is_refused(org, controller, scorecard, january):
    theirs = Indicator.objects.create(name="Barnutredningens eget", owner=org.investigation, mandate=Mandate.OWN)
    with pytest.raises(ValidationError) as error:
        measurement_record(user=controller, indicator=theirs, unit=org.family, period=january, value="1")
    assert "indicator" in error.value.message_dict
    assert not Measurement.objects.exists()


def test_a_mandated_indicator_assigned_for_one_year_is_not_reported_in_the_next(org, unit_manager, mandated_link,
                                                                                mandated_indicator):
    next_year = make_year(2027)
    t1_2027 = Period.objects.get(year=next_year, kind="tertial", number=1)
    with pytest.raises(ValidationError):
        measurement_record(user=unit_manager, indicator=mandated_indicator, unit=org.family, period=t1_2027, value="1")
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "78,12345"])
def test_a_bad_number_is_refused_and_nothing_is_saved(org, unit_manager, own_link, own_indicator, january, raw):
    with pytest.raises(ValidationError):
        measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value=raw)
    assert not Measurement.objects.exists()


def test_a_known_missing_value_is_recorded_empty_with_its_reason(org, unit_manager, own_link, own_indicator, january):
    measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value="",
                       comment="Enkäten skickades inte ut i januari.")
    assert Measurement.objects.get().value is None


def test_correcting_a_value_from_the_current_version_bumps_it_by_one(org, unit_manager, own_link, own_indicator,
                                                                       january):
    first = measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value="78")
    second = measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january,
                                value="79,5", expected_version=first.version)
    measurement = Measurement.objects.get()
    assert second.version == measurement.version == 2 and measurement.value == Decimal("79.5")


def test_correcting_a_value_from_an_old_version_is_stale_and_changes_nothing(org, unit_manager, controller, own_link,
                                                                             own_indicator, january):
    measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value="78")
    measurement_record(user=controller, indicator=own_indicator, unit=org.family, period=january, value="80",
                       expected_version=1)
    with pytest.raises(StaleWrite):
        measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value="70",
                           expected_version=1)
    measurement = Measurement.objects.get()
    assert measurement.value == 80 and measurement.version == 2 and measurement.author == controller


def test_recording_the_same_value_and_comment_again_changes_nothing(org, unit_manager, controller, own_link,
                                                                     own_indicator, january):
    measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value="78,5",
                       comment="Enkät")
    again = measurement_record(user=controller, indicator=own_indicator, unit=org.family, period=january,
                               value="78,50", comment="Enkät", expected_version=1)
    measurement = Measurement.objects.get()
    assert again.version == measurement.version == 1 and measurement.author == unit_manager


def test_a_new_comment_on_the_same_value_is_a_new_version(org, unit_manager, own_link, own_indicator, january):
    measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value="78,5")
    measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value="78,5",
                       comment="Rättat efter kontroll", expected_version=1)
    measurement = Measurement.objects.get()
    assert measurement.version == 2 and measurement.comment == "Rättat efter kontroll"


# --- the grid: one period, many indicators, all or nothing --------------------------------------


def test_the_grid_saves_every_row(org, unit_manager, own_link, second_own_link, own_indicator, second_own_indicator,
                                  january):
    saved = measurements_record_for_period(user=unit_manager, unit=org.family, period=january, rows=[
        {"indicator": own_indicator, "value": "81,5", "comment": ""},
        {"indicator": second_own_indicator, "value": "12", "comment": "Två sjukskrivna"},
    ])
    assert len(saved) == 2
    assert Measurement.objects.get(indicator=own_indicator).value == Decimal("81.5")
    assert Measurement.objects.get(indicator=second_own_indicator).value == 12


def test_one_bad_number_in_the_grid_saves_no_row(org, unit_manager, own_link, second_own_link, own_indicator,
                                                 second_own_indicator, january):
    with pytest.raises(ValidationError) as error:
        measurements_record_for_period(user=unit_manager, unit=org.family, period=january, rows=[
            {"indicator": own_indicator, "value": "81,5"},
            {"indicator": second_own_indicator, "value": "tolv"},
        ])
    assert set(error.value.message_dict) == {str(second_own_indicator.pk)}
    assert not Measurement.objects.exists()


def test_one_stale_row_in_the_grid_saves_no_row_and_keeps_the_newer_value(org, unit_manager, controller, own_link,
                                                                           second_own_link, own_indicator,
                                                                           second_own_indicator, january):
    measurement_record(user=unit_manager, indicator=second_own_indicator, unit=org.family, period=january, value="12")
    measurement_record(user=controller, indicator=second_own_indicator, unit=org.family, period=january, value="13",
                       expected_version=1)
    with pytest.raises(ValidationError) as error:
        measurements_record_for_period(user=unit_manager, unit=org.family, period=january, rows=[
            {"indicator": own_indicator, "value": "81,5", "expected_version": None},
            {"indicator": second_own_indicator, "value": "11", "expected_version": 1},
        ])
    assert set(error.value.message_dict) == {str(second_own_indicator.pk)}
    assert not Measurement.objects.filter(indicator=own_indicator).exists()
    stale_row = Measurement.objects.get(indicator=second_own_indicator)
    assert stale_row.value == 13 and stale_row.version == 2


def test_the_grid_reports_every_bad_row_at_once(org, unit_manager, own_link, mandated_link, second_own_link,
                                                own_indicator, mandated_indicator, second_own_indicator, january):
    with pytest.raises(ValidationError) as error:
        measurements_record_for_period(user=unit_manager, unit=org.family, period=january, rows=[
            {"indicator": own_indicator, "value": "1,2,3"},
            {"indicator": mandated_indicator, "value": "90"},          # reported per tertial
            {"indicator": second_own_indicator, "value": "7"},
        ])
    assert set(error.value.message_dict) == {str(own_indicator.pk), str(mandated_indicator.pk)}
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("who", ["board_member", "team_member", "outsider", "other_unit_manager"])
def test_only_the_unit_and_the_controller_use_the_grid(request, who, org, own_link, own_indicator, january):
    with pytest.raises(PermissionDenied):
        measurements_record_for_period(user=request.getfixturevalue(who), unit=org.family, period=january,
                                       rows=[{"indicator": own_indicator, "value": "80"}])
    assert not Measurement.objects.exists()


# --- activities -------------------------------------------------------------------------------


def test_team_member_defines_an_activity_for_their_team(org, team_member, goal):
    activity = activity_create(user=team_member, team=org.north, goals=[goal], title="Föräldracafé",
                               expected_citizen_value="Föräldrar möter andra i samma situation")
    activity.refresh_from_db()
    assert activity.team == org.north and activity.created_by == team_member and activity.version == 1
    assert list(activity.goals.all()) == [goal]


def test_team_member_cannot_define_an_activity_for_another_team(org, team_member, goal):
    with pytest.raises(PermissionDenied):
        activity_create(user=team_member, team=org.south, goals=[goal], title="Föräldracafé")
    assert not Activity.objects.exists()


def test_unit_manager_may_step_in_for_any_of_the_units_teams(org, unit_manager, goal):
    activity = activity_create(user=unit_manager, team=org.south, goals=[goal], title="Hembesök")
    assert activity.team == org.south


@pytest.mark.parametrize("who", ["board_member", "controller", "outsider", "other_unit_manager"])
def test_others_cannot_define_a_teams_activities(request, who, org, goal):
    with pytest.raises(PermissionDenied):
        activity_create(user=request.getfixturevalue(who), team=org.north, goals=[goal], title="Obehörig")
    assert not Activity.objects.exists()


def test_an_activity_without_goals_is_refused(org, team_member):
    with pytest.raises(ValidationError) as error:
        activity_create(user=team_member, team=org.north, goals=[], title="Utan mål")
    assert "goals" in error.value.message_dict
    assert not Activity.objects.exists()


def test_an_activity_for_another_units_goal_is_refused(org, team_member, other_unit_goal):
    with pytest.raises(ValidationError) as error:
        activity_create(user=team_member, team=org.north, goals=[other_unit_goal], title="Fel enhets mål")
    assert "goals" in error.value.message_dict
    assert not Activity.objects.exists()


def test_an_activity_belongs_to_a_team_not_a_unit(org, unit_manager, goal):
    with pytest.raises(ValidationError) as error:
        activity_create(user=unit_manager, team=org.family, goals=[goal], title="På enheten")
    assert "team" in error.value.message_dict
    assert not Activity.objects.exists()


def test_team_member_updates_their_teams_activity_and_its_version_goes_up(team_member, north_activity):
    activity_update(user=team_member, activity=north_activity, expected_version=1, status="ongoing")
    north_activity.refresh_from_db()
    assert north_activity.status == "ongoing" and north_activity.version == 2


def test_team_member_cannot_edit_another_teams_activity(team_member, south_activity):
    with pytest.raises(PermissionDenied):
        activity_update(user=team_member, activity=south_activity, expected_version=1, title="Kapad")
    south_activity.refresh_from_db()
    assert south_activity.title == "Unchanged" and south_activity.version == 1


def test_updating_an_activity_from_an_old_version_is_stale_and_changes_nothing(team_member, unit_manager,
                                                                               north_activity):
    activity_update(user=unit_manager, activity=north_activity, expected_version=1, title="Chefens rubrik")
    with pytest.raises(StaleWrite):
        activity_update(user=team_member, activity=north_activity, expected_version=1, title="Teamets rubrik")
    north_activity.refresh_from_db()
    assert north_activity.title == "Chefens rubrik" and north_activity.version == 2


def test_removing_every_goal_of_an_activity_is_refused_and_changes_nothing(team_member, north_activity, goal):
    with pytest.raises(ValidationError):
        activity_update(user=team_member, activity=north_activity, expected_version=1, title="Ny rubrik", goals=[])
    north_activity.refresh_from_db()
    assert north_activity.title == "Öppet hus för föräldrar" and north_activity.version == 1
    assert list(north_activity.goals.all()) == [goal]


def test_logging_progress_with_a_new_status_changes_the_activity(team_member, north_activity):
    update = activity_log_update(user=team_member, activity=north_activity, date=datetime.date(2026, 2, 10),
                                 text="Första träffen hölls med åtta föräldrar.", status_after="ongoing")
    north_activity.refresh_from_db()
    assert north_activity.status == "ongoing" and north_activity.version == 2
    assert update.author == team_member and north_activity.updates.get() == update


def test_logging_progress_without_a_status_leaves_the_activity_as_it_was(team_member, north_activity):
    activity_log_update(user=team_member, activity=north_activity, date=datetime.date(2026, 2, 10), text="Planering.")
    north_activity.refresh_from_db()
    assert north_activity.status == "planned" and north_activity.version == 1
    assert ActivityUpdate.objects.count() == 1


def test_logging_a_status_the_activity_already_has_is_not_a_new_version(team_member, north_activity):
    activity_log_update(user=team_member, activity=north_activity, date=datetime.date(2026, 2, 10), text="Fortsatt.",
                        status_after="planned")
    north_activity.refresh_from_db()
    assert north_activity.version == 1


def test_logging_a_status_with_an_out_of_date_copy_still_sets_it(team_member, unit_manager, north_activity):
    old_copy = Activity.objects.get(pk=north_activity.pk)
    old_copy.status = "ongoing"  # the writer's page said "ongoing"…
    activity_update(user=unit_manager, activity=north_activity, expected_version=1, status="paused")  # …then paused
    activity_log_update(user=team_member, activity=old_copy, date=datetime.date(2026, 3, 1), text="Igång igen.",
                        status_after="ongoing")
    north_activity.refresh_from_db()
    assert north_activity.status == "ongoing" and north_activity.version == 3


@pytest.mark.parametrize("who", ["board_member", "controller", "outsider", "other_unit_manager"])
def test_others_cannot_log_a_teams_progress(request, who, north_activity):
    with pytest.raises(PermissionDenied):
        activity_log_update(user=request.getfixturevalue(who), activity=north_activity,
                            date=datetime.date(2026, 2, 10), text="Obehörig", status_after="done")
    north_activity.refresh_from_db()
    assert north_activity.status == "planned" and not ActivityUpdate.objects.exists()


def test_team_member_cannot_log_another_teams_progress(team_member, south_activity):
    with pytest.raises(PermissionDenied):
        activity_log_update(user=team_member, activity=south_activity, date=datetime.date(2026, 2, 10),
                            text="Obehörig", status_after="cancelled")
    south_activity.refresh_from_db()
    assert south_activity.status == "planned" and not ActivityUpdate.objects.exists()


@pytest.mark.parametrize("text,status_after", [("", ""), ("Klart.", "finished")])
def test_an_empty_note_or_an_unknown_status_is_refused(team_member, north_activity, text, status_after):
    with pytest.raises(ValidationError):
        activity_log_update(user=team_member, activity=north_activity, date=datetime.date(2026, 2, 10), text=text,
                            status_after=status_after)
    north_activity.refresh_from_db()
    assert north_activity.status == "planned" and north_activity.version == 1
    assert not ActivityUpdate.objects.exists()
