"""One bound for every stored number (|value| < 10^9, four decimals, finite), plausibility in the
indicator's unit, the repair migration, the backup naming an unreadable row, and bounded dates."""

import datetime
import importlib
from types import SimpleNamespace
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError, IntegrityError, connection, transaction
from django.forms import modelform_factory

from governance.models import Period
from scorecards.models import Activity, Measurement, Target, value_plausibility_issue
from scorecards.services import activity_create, activity_log_update, measurement_record, target_set
from tests.scorecards.test_services import (  # noqa: F401 (fixtures)
    goal, own_indicator, own_link, perspective, second_own_indicator,
)

repair_migration = importlib.import_module("scorecards.migrations.0004_bounded_values_and_dates")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite",
                                 reason="only SQLite can hold such a row (PostgreSQL's numeric(13,4) refuses it)")


@pytest.fixture
def january(year_2026):
    return Period.objects.get(year=year_2026, kind="month", number=1)


@pytest.fixture
def count_indicator(second_own_indicator):
    return second_own_indicator  # measured in days


@pytest.mark.parametrize("value", ["999999999999,9999", "1000000000", "-1000000000", "1E+400", "NaN", "inf",
                                   float("inf"), float("nan"), Decimal("Infinity")])
def test_a_value_outside_the_bound_is_refused_by_the_service(unit_manager, own_link, own_indicator, org, january,
                                                             value):
    with pytest.raises(ValidationError):
        measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value=value)
    assert not Measurement.objects.exists()


def test_the_largest_allowed_value_is_stored_and_read_back(unit_manager, own_link, count_indicator, org, january):
    measurement_record(user=unit_manager, indicator=count_indicator, unit=org.family, period=january,
                       value="999999999,9999")
    assert Measurement.objects.get().value == Decimal("999999999.9999")


def test_a_target_outside_the_bound_is_refused(controller, own_indicator, year_2026):
    with pytest.raises(ValidationError):
        target_set(user=controller, indicator=own_indicator, year=year_2026, target_value="999999999999,9999")
    assert not Target.objects.exists()


def test_the_model_form_of_the_admin_refuses_the_value():
    form_class = modelform_factory(Measurement, fields=["value"])
    form = form_class(data={"value": "999999999999.9999"})
    assert not form.is_valid() and "value" in form.errors


def test_a_drf_model_serializer_refuses_the_value():
    from rest_framework import serializers

    class MeasurementSerializer(serializers.ModelSerializer):
        class Meta:
            model = Measurement
            fields = ["value"]

    for value in ["999999999999.9999", "NaN", "Infinity"]:
        assert not MeasurementSerializer(data={"value": value}).is_valid()


def test_the_database_refuses_what_validation_would_have_refused(unit_manager, own_link, count_indicator, org,
                                                                  january):
    m = measurement_record(user=unit_manager, indicator=count_indicator, unit=org.family, period=january, value="1")
    # SQLite's CHECK constraint refuses it; on PostgreSQL numeric(13,4) itself does (a DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Measurement.objects.filter(pk=m.pk).update(value=Decimal("-1000000000"))


@pytest.mark.parametrize("unit,value,refused", [
    ("percent", Decimal("100.5"), True), ("percent", Decimal("-1"), True), ("percent", Decimal("100"), False),
    ("count", Decimal("-1"), True), ("days", Decimal("-0.5"), True), ("count", Decimal("0"), False),
    ("sek", Decimal("-500"), False), ("index", Decimal("-3"), False),
])
def test_value_plausibility_issue(unit, value, refused):
    assert bool(value_plausibility_issue(unit, value)) is refused


def test_a_percentage_over_100_is_refused_in_swedish(unit_manager, own_link, own_indicator, org, january):
    with pytest.raises(ValidationError) as caught, translation_sv():
        measurement_record(user=unit_manager, indicator=own_indicator, unit=org.family, period=january, value="150")
    assert "procent" in str(caught.value).lower()
    assert not Measurement.objects.exists()


def translation_sv():
    from django.utils import translation
    return translation.override("sv")


# --- repair of existing rows -----------------------------------------------------------------------

@sqlite_only
@pytest.mark.parametrize("raw", ["9e999", "-5000000000000"])
def test_the_migration_repairs_a_row_inserted_raw(unit_manager, own_link, count_indicator, org, january, raw):
    m = measurement_record(user=unit_manager, indicator=count_indicator, unit=org.family, period=january, value="1",
                           comment="Uppmätt")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            cursor.execute(f"UPDATE scorecards_measurement SET value = {raw} WHERE id = %s", [m.pk])
        finally:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    with pytest.raises(Exception):
        Measurement.objects.get(pk=m.pk)  # unreadable, as in the issue
    repairs = repair_migration.repair_out_of_bounds_values(apps, SimpleNamespace(connection=connection))
    assert [(r[0], r[1], r[2]) for r in repairs] == [("measurement", m.pk, "value")]
    repaired = Measurement.objects.get(pk=m.pk)
    assert repaired.value is None
    assert repaired.comment.startswith("Uppmätt") and "togs bort" in repaired.comment


@sqlite_only
def test_backup_export_names_the_unreadable_row(unit_manager, own_link, count_indicator, org, january, tmp_path):
    m = measurement_record(user=unit_manager, indicator=count_indicator, unit=org.family, period=january, value="1")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            cursor.execute("UPDATE scorecards_measurement SET value = 9e999 WHERE id = %s", [m.pk])
        finally:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    target = tmp_path / "tillit.jsonl.gz"
    with pytest.raises(CommandError) as caught:
        call_command("backup_export", "-o", str(target))
    assert "scorecards.Measurement" in str(caught.value) and f"pk={m.pk}" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's numeric holds NaN; SQLite's check above")
def test_postgresql_refuses_a_nan_written_past_the_services(unit_manager, own_link, count_indicator, org, january):
    # numeric(13,4) holds 'NaN' on PostgreSQL: the CHECK constraint is what keeps it out.
    m = measurement_record(user=unit_manager, indicator=count_indicator, unit=org.family, period=january, value="1")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE scorecards_measurement SET value = 'NaN' WHERE id = %s", [m.pk])
    assert Measurement.objects.get(pk=m.pk).value == Decimal("1")


# --- dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("start", [datetime.date(9999, 1, 1), datetime.date(1900, 1, 1)])
def test_an_activity_in_year_9999_or_1900_is_refused(team_member, org, goal, start):
    with pytest.raises(ValidationError) as caught:
        activity_create(user=team_member, team=org.north, goals=[goal], title="Föräldraträffar",
                        start_date=start)
    assert "start_date" in caught.value.message_dict
    assert not Activity.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(1900, 1, 1), datetime.date(2099, 1, 1)])
def test_a_progress_note_dated_1900_or_2099_is_refused(team_member, org, goal, day):
    activity = activity_create(user=team_member, team=org.north, goals=[goal], title="Föräldraträffar")
    with pytest.raises(ValidationError) as caught, translation_sv():
        activity_log_update(user=team_member, activity=activity, date=day, text="Första träffen hölls.")
    assert "datum" in str(caught.value).lower()
    assert not activity.updates.exists()


def test_an_end_before_the_start_gives_a_swedish_sentence_not_the_constraint_name(org):
    form_class = modelform_factory(Activity, fields=["title", "start_date", "end_date"])
    with translation_sv():
        form = form_class(data={"title": "Föräldraträffar", "start_date": "2026-05-01", "end_date": "2026-04-01"},
                          instance=Activity(team=org.north))
        assert not form.is_valid()
        text = str(form.errors)
    assert "activity_start_before_end" not in text
    assert "slutdatum" in text.lower() or "startdatum" in text.lower()
