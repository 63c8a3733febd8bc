"""Issue 12: the measurement import runs a number of queries that does not grow with the rows of
the file: the preview (a dry run) and the confirm of 10 rows run as many reads as of 200, for
new values and for changed ones, and the writes are bulk statements: one per table and per batch
the database takes in one statement (PostgreSQL: the 200 rows in one; SQLite allows 999
parameters a statement, so some 70 rows of history). docs/benchmarks.md, "Measurement import"."""

import math

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scorecards import importers
from scorecards.models import Frequency, Indicator, Mandate, MeasureUnit, Measurement, ScorecardIndicator
from tests.scorecards.import_helpers import HEADER, build_import_setup, csv_bytes


@pytest.fixture
def setup(org, year_2026):
    setup = build_import_setup(org, year_2026)
    # Own monthly counts of Familjebehandling: room for 20 × 12 values besides the setup's own.
    setup.counts = []
    for number in range(1, 21):
        indicator = Indicator.objects.create(name=f"Antal ärenden {number}", owner=org.family, mandate=Mandate.OWN,
                                             measure_unit=MeasureUnit.COUNT, frequency=Frequency.MONTHLY,
                                             external_code=f"FAM-C{number:02d}")
        ScorecardIndicator.objects.create(scorecard=setup.family_card, indicator=indicator)
        setup.counts.append(indicator)
    return setup


def _file(cells):
    return csv_bytes([HEADER, *cells])


def _cells(setup, start, count, value):
    """``count`` distinct rows (unit, indicator, month) from the ``start``-th, mixing a mandated
    percentage (in the scorecard by link), the mandated days of another unit and own counts."""
    slots = [("FAM-01", "BUT-4M", month) for month in range(1, 13)]
    slots += [("EKB-02", "U31402", month) for month in range(1, 13)]
    slots += [("FAM-01", indicator.external_code, month) for indicator in setup.counts for month in range(1, 13)]
    chosen = slots[start:start + count]
    assert len(chosen) == count
    return [[unit, code, f"2026-{month:02d}", f"{value},5", "Kommentar"] for unit, code, month in chosen]


WRITES = ("INSERT", "UPDATE")


def _queries(user_pk, data, *, dry_run):
    """(statements other than bulk writes, bulk writes, report) of one import of ``data``."""
    user = get_user_model().objects.get(pk=user_pk)  # a fresh user: the scope is read inside, too
    with CaptureQueriesContext(connection) as captured:
        report = importers.import_file(user=user, data=data, dry_run=dry_run)
    assert report.ok, report.text_lines()
    sql = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    writes = [q for q in sql if q.startswith(WRITES)]
    assert all("MEASUREMENT" in q.split("(")[0].split(" SET ")[0] for q in writes), writes
    return len(sql) - len(writes), len(writes), report


def _most_writes(rows):
    """The bulk statements ``rows`` values may take: per table (values, history), one per batch
    the backend allows in a statement (the history has the more columns)."""
    history = Measurement.history.model
    fields = [f for f in history._meta.concrete_fields]
    per_statement = min(500, connection.ops.bulk_batch_size(fields, [None] * rows))
    return 2 * math.ceil(rows / per_statement)


@pytest.mark.django_db
def test_preview_and_confirm_of_10_and_200_rows_run_the_same_number_of_queries(setup, controller):
    small, big = _file(_cells(setup, 0, 10, 12)), _file(_cells(setup, 10, 200, 12))
    *preview_small, report = _queries(controller.pk, small, dry_run=True)
    assert report.changes == 10 and not report.written
    *preview_big, report = _queries(controller.pk, big, dry_run=True)
    assert report.changes == 200 and not report.written
    assert Measurement.objects.count() == 0
    *confirm_small, report = _queries(controller.pk, small, dry_run=False)
    assert report.written
    *confirm_big, report = _queries(controller.pk, big, dry_run=False)
    assert report.written and Measurement.objects.count() == 210
    assert preview_small[0] == preview_big[0] and confirm_small[0] == confirm_big[0]
    assert preview_small[1] == preview_big[1] == 0  # a preview runs every rule and writes nothing
    assert confirm_small[1] == 2  # the values and their history, one statement each
    assert confirm_big[1] <= _most_writes(200)


@pytest.mark.django_db
def test_changing_10_or_200_stored_values_runs_the_same_number_of_queries(setup, controller):
    importers.import_file(user=controller, data=_file(_cells(setup, 0, 210, 12)))
    small, big = _file(_cells(setup, 0, 10, 13)), _file(_cells(setup, 10, 200, 13))
    *preview_small, report = _queries(controller.pk, small, dry_run=True)
    assert report.counts["update"] == 10
    *preview_big, report = _queries(controller.pk, big, dry_run=True)
    assert report.counts["update"] == 200
    *confirm_small, _report = _queries(controller.pk, small, dry_run=False)
    *confirm_big, report = _queries(controller.pk, big, dry_run=False)
    assert report.written and Measurement.objects.filter(version=2).count() == 210
    assert preview_small[0] == preview_big[0] and confirm_small[0] == confirm_big[0]
    assert preview_small[1] == preview_big[1] == 0
    assert confirm_small[1] == 2  # one UPDATE of the values, one INSERT of history
    assert confirm_big[1] <= _most_writes(200)
