"""Constraints and validation of scorecards, indicators, targets, measurements and activities."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.models import Period
from scorecards.models import (
    Activity, Indicator, Mandate, Measurement, Perspective, Scorecard, ScorecardGoal, ScorecardIndicator, Target,
)


@pytest.fixture
def scorecard(org, year_2026):
    return Scorecard.objects.create(unit=org.family, year=year_2026)


@pytest.fixture
def perspective(db):
    return Perspective.objects.create(name="Invånare/brukare", order=1)


@pytest.fixture
def indicator(org):
    return Indicator.objects.create(name="Andel nöjda föräldrar", owner=org.family, mandate=Mandate.OWN,
                                    direction="increase", measure_unit="percent", frequency="monthly",
                                    external_code="FAM-NOJD")


def test_one_scorecard_per_unit_and_year(scorecard, org, year_2026):
    with pytest.raises(IntegrityError), transaction.atomic():
        Scorecard.objects.create(unit=org.family, year=year_2026)


def test_scorecards_are_kept_by_units_not_teams(org, year_2026):
    with pytest.raises(ValidationError):
        Scorecard(unit=org.north, year=year_2026).full_clean()


def test_one_measurement_per_indicator_unit_and_period(indicator, org, year_2026):
    january = Period.objects.get(year=year_2026, kind="month", number=1)
    Measurement.objects.create(indicator=indicator, unit=org.family, period=january, value=Decimal("81.5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(indicator=indicator, unit=org.family, period=january, value=Decimal("82"))
    # The same indicator for another unit in the same period is a different measurement.
    Measurement.objects.create(indicator=indicator, unit=org.investigation, period=january, value=Decimal("70"))


def test_a_monthly_indicator_is_not_measured_per_tertial(indicator, org, year_2026):
    tertial = Period.objects.get(year=year_2026, kind="tertial", number=1)
    with pytest.raises(ValidationError) as error:
        Measurement(indicator=indicator, unit=org.family, period=tertial, value=1).full_clean()
    assert "period" in error.value.message_dict


def test_a_missing_value_is_allowed_with_a_comment(indicator, org, year_2026):
    january = Period.objects.get(year=year_2026, kind="month", number=1)
    m = Measurement(indicator=indicator, unit=org.family, period=january, value=None, comment="Systembyte, uppgift saknas")
    m.full_clean()


def test_mandated_indicators_belong_to_the_board_or_administration(org):
    with pytest.raises(ValidationError):
        Indicator(name="X", owner=org.family, mandate=Mandate.REGULATOR).full_clean()
    Indicator(name="X", owner=org.administration, mandate=Mandate.REGULATOR).full_clean()
    with pytest.raises(ValidationError):
        Indicator(name="Y", owner=org.board, mandate=Mandate.OWN).full_clean()


def test_mandate_is_known_to_the_indicator(org):
    assert Indicator(name="X", owner=org.administration, mandate=Mandate.ADMINISTRATION).is_mandated
    assert not Indicator(name="X", owner=org.family, mandate=Mandate.OWN).is_mandated


def test_indicator_external_codes_are_unique_when_given(indicator, org):
    Indicator.objects.create(name="Utan kod", owner=org.family)
    Indicator.objects.create(name="Utan kod 2", owner=org.family)
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(name="Dubblett", owner=org.family, external_code="FAM-NOJD")


def test_one_default_target_and_one_per_unit_per_year(indicator, org, year_2026):
    Target.objects.create(indicator=indicator, year=year_2026, target_value=80)
    Target.objects.create(indicator=indicator, year=year_2026, unit=org.family, target_value=85)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=indicator, year=year_2026, target_value=75)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=indicator, year=year_2026, unit=org.family, target_value=90)


def test_target_validation_uses_the_status_rules(indicator, year_2026):
    target = Target(indicator=indicator, year=year_2026, target_value=80, yellow_threshold=90)
    with pytest.raises(ValidationError):
        target.full_clean()
    Target(indicator=indicator, year=year_2026, target_value=80, yellow_threshold=70).full_clean()


def test_tolerance_outside_0_to_100_is_refused_by_the_database(indicator, year_2026):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=indicator, year=year_2026, target_value=80, tolerance_percent=150)


def test_scorecard_indicator_goal_must_belong_to_the_same_scorecard(scorecard, perspective, indicator, org, year_2026):
    other = Scorecard.objects.create(unit=org.investigation, year=year_2026)
    foreign_goal = ScorecardGoal.objects.create(scorecard=other, perspective=perspective, title="Annat mål")
    with pytest.raises(ValidationError):
        ScorecardIndicator(scorecard=scorecard, indicator=indicator, goal=foreign_goal).full_clean()


def test_an_indicator_appears_once_per_scorecard(scorecard, indicator):
    ScorecardIndicator.objects.create(scorecard=scorecard, indicator=indicator)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScorecardIndicator.objects.create(scorecard=scorecard, indicator=indicator)


def test_activities_belong_to_teams(org):
    with pytest.raises(ValidationError):
        Activity(team=org.family, title="Fel nivå").full_clean()


def test_an_activity_cannot_end_before_it_starts(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(team=org.north, title="Baklänges", start_date=datetime.date(2026, 5, 1),
                                end_date=datetime.date(2026, 4, 1))
