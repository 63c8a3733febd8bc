"""The repair migration (scorecards 0004) on a real migration history, on SQLite and PostgreSQL:
rows written before the bound existed (a value of 999 999 999 999,9999 that the old numeric(16,4)
held, a NaN on PostgreSQL) are repaired before the column shrinks, and the migration completes."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("scorecards", "0003_history_and_locks")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_rows_from_before_the_bound_are_repaired_and_the_migration_completes():
    from governance.models import Period
    from scorecards.models import Indicator, Measurement
    from tests.conftest import make_unit, make_year

    board = make_unit("Socialnämnden", "board")
    year = make_year(2026)
    months = Period.objects.filter(year=year, kind="month").order_by("number")
    indicator = Indicator.objects.create(name="Antal besök", owner=board, mandate="own", measure_unit="count")
    rows = [Measurement.objects.create(indicator=indicator, unit=board, period=month, value=Decimal("1"),
                                       comment="Inmatat") for month in months[:3]]
    # Back to before the bound: the old numeric(16,4) column, without the CHECK constraints.
    migrate(BEFORE)
    bad = {rows[0].pk: "999999999999.9999"}
    if connection.vendor == "postgresql":
        bad[rows[1].pk] = "NaN"  # PostgreSQL's numeric holds NaN, which no reader can use
    with connection.cursor() as cursor:
        for pk, raw in bad.items():
            cursor.execute("UPDATE scorecards_measurement SET value = %s WHERE id = %s", [raw, pk])

    migrate(leaf_nodes())

    repaired = Measurement.objects.filter(pk__in=bad).order_by("pk")
    assert [m.value for m in repaired] == [None] * len(bad)
    assert all(m.comment.startswith("Inmatat") and "togs bort" in m.comment for m in repaired)
    assert Measurement.objects.get(pk=rows[2].pk).value == Decimal("1")
