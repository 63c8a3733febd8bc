"""``manage.py import_measurements`` and ``import_kolada``: act as a named user, all or nothing,
a non-zero exit with the row report on failure."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scorecards.models import ComparisonValue
from tests.scorecards.import_helpers import HEADER, build_import_setup, csv_bytes, measurement_count, xlsx_bytes

GOOD = [["FAM-01", "BUT-4M", "2026-01", "78,5", "Två"], ["FAM-01", "BUT-4M", "2026-02", "81,0", ""]]


@pytest.fixture
def setup(org, year_2026, settings):
    settings.TILLIT_KOLADA_MUNICIPALITY = "1283"
    return build_import_setup(org, year_2026)


def run(*args):
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_measurements_as_a_unit_manager(setup, unit_manager, tmp_path):
    path = tmp_path / "utfall.csv"
    path.write_bytes(csv_bytes([HEADER, *GOOD], encoding="cp1252"))
    out, _err = run("import_measurements", str(path), "--user", unit_manager.username)
    assert "2 new" in out
    assert measurement_count() == 2


def test_an_excel_file_and_a_dry_run(setup, controller, tmp_path):
    path = tmp_path / "utfall.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, *GOOD]))
    out, _err = run("import_measurements", str(path), "--user", controller.username, "--dry-run")
    assert "Would import: 2 new" in out
    assert measurement_count() == 0


def test_a_bad_row_fails_with_the_row_report_and_writes_nothing(setup, unit_manager, tmp_path):
    path = tmp_path / "utfall.csv"
    path.write_bytes(csv_bytes([HEADER, *GOOD, ["EKB-02", "U31402", "2026-01", "1", ""]]))
    import io

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_measurements", str(path), "--user", unit_manager.username, stderr=err, stdout=io.StringIO())
    assert "Row 4" in err.getvalue() or "Rad 4" in err.getvalue()
    assert measurement_count() == 0


def test_the_command_exits_non_zero_from_the_shell(setup, unit_manager, tmp_path):
    """CommandError is what makes manage.py exit with status 1."""
    path = tmp_path / "utfall.csv"
    path.write_bytes(b"not;a;measurement;file\r\n1;2;3;4\r\n")
    with pytest.raises(CommandError):
        run("import_measurements", str(path), "--user", unit_manager.username)


@pytest.mark.parametrize("args", [["--user", "nobody"], ["--user", "enhetschef"]])
def test_unknown_users_and_missing_files_are_errors(setup, unit_manager, tmp_path, args):
    target = str(tmp_path / "missing.csv") if args[1] == "enhetschef" else str(tmp_path)
    with pytest.raises(CommandError):
        run("import_measurements", target, *args)


def test_import_kolada_as_a_controller(setup, controller, tmp_path):
    path = tmp_path / "kolada.json"
    path.write_text(json.dumps({"values": [
        {"kpi": "N31001", "municipality": "1283", "period": 2026, "values": [{"gender": "T", "value": 1490.0}]},
        {"kpi": "N31001", "municipality": "0000", "period": "2026", "values": [{"gender": "T", "value": 1700}]}]}))
    out, _err = run("import_kolada", str(path), "--user", controller.username)
    assert "1 new" in out
    assert measurement_count() == 1 and ComparisonValue.objects.count() == 2


def test_import_kolada_refuses_bad_json_and_non_controllers(setup, controller, unit_manager, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"values": [ oops')
    with pytest.raises(CommandError):
        run("import_kolada", str(bad), "--user", controller.username)
    good = tmp_path / "good.json"
    good.write_text('{"values": [{"kpi": "N31001", "municipality": "1283", "period": 2026, '
                    '"values": [{"gender": "T", "value": 1}]}]}')
    with pytest.raises(CommandError):
        run("import_kolada", str(good), "--user", unit_manager.username)
    assert ComparisonValue.objects.count() == 0 and measurement_count() == 0
