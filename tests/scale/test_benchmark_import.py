"""The import benchmark command works (at a few rows) and leaves the database as it found it; it
never looks at a time (docs/benchmarks.md, "Measurement import")."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scorecards.models import Measurement


@pytest.mark.slow
@pytest.mark.django_db
def test_benchmark_import_runs_and_leaves_no_values():
    out = io.StringIO()
    call_command("benchmark_import", rows="20,40", units=1, formats="csv,xlsx", stdout=out)
    text = out.getvalue()
    assert "| 40 | xlsx |" in text and "| 20 | csv |" in text
    assert "40 values written with 40 history rows" in text
    assert Measurement.objects.count() == 0 and Measurement.history.count() == 0


@pytest.mark.django_db
def test_benchmark_import_refuses_bad_arguments():
    with pytest.raises(CommandError):
        call_command("benchmark_import", rows="ten", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("benchmark_import", rows="60000", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("benchmark_import", rows="10", formats="ods", stdout=io.StringIO())
