"""``manage.py export_board_report --board ... --round ... -o file.xlsx``."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from reporting.models import BoardReport, ReportingRound
from tests.reporting.test_workbook import adopt, cell_values, workbook_world  # noqa: F401


def export(*args):
    stdout = io.StringIO()
    call_command("export_board_report", *args, stdout=stdout)
    return stdout.getvalue()


def test_the_command_writes_the_workbook_of_a_board_and_round_given_by_name(workbook_world, tmp_path):  # noqa: F811
    target = tmp_path / "malrapport.xlsx"
    output = export("--board", "Socialnämnden", "--round", "Delårsrapport T2 2026", "-o", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "Översikt" and "Rätt stöd i rätt tid" in book.sheetnames
    assert "aktuella uppgifter, ej fastställd" in output and str(target) in output


def test_names_are_matched_without_regard_to_case_and_ids_work_too(workbook_world, tmp_path):  # noqa: F811
    by_name, by_id = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export("--board", "socialnämnden", "--round", "delårsrapport t2 2026", "-o", str(by_name))
    export("--board", str(workbook_world.org.board.pk), "--round", str(workbook_world.round.pk), "--output", str(by_id))
    assert cell_values(openpyxl.load_workbook(by_name))["Mätetal"] == cell_values(
        openpyxl.load_workbook(by_id))["Mätetal"]


def test_the_command_sees_every_unit_under_the_board(workbook_world, tmp_path):  # noqa: F811
    target = tmp_path / "malrapport.xlsx"
    export("--board", "Socialnämnden", "--round", "Delårsrapport T2 2026", "-o", str(target))
    units = {row[0] for row in openpyxl.load_workbook(target)["Mätetal"].iter_rows(min_row=2, values_only=True)}
    assert units == {"Familjebehandling", "Barnutredning"}


def test_an_adopted_report_is_written_from_its_snapshot(workbook_world, controller, tmp_path):  # noqa: F811
    adopt(workbook_world, controller)
    before = tmp_path / "before.xlsx"
    output = export("--board", "Socialnämnden", "--round", "Delårsrapport T2 2026", "-o", str(before))
    assert "fastställd 2026-10-20 § 45" in output
    workbook_world.goal_support.title = "Omdöpt efter beslutet"
    workbook_world.goal_support.save()
    after = tmp_path / "after.xlsx"
    export("--board", "Socialnämnden", "--round", "Delårsrapport T2 2026", "-o", str(after))
    assert cell_values(openpyxl.load_workbook(before)) == cell_values(openpyxl.load_workbook(after))


def test_a_correction_in_draft_is_written_from_the_live_data(workbook_world, controller, tmp_path):  # noqa: F811
    adopt(workbook_world, controller)
    BoardReport.objects.create(board=workbook_world.org.board, round=workbook_world.round, version_number=2,
                               previous=workbook_world.report)
    target = tmp_path / "v2.xlsx"
    output = export("--board", "Socialnämnden", "--round", "Delårsrapport T2 2026", "-o", str(target))
    assert "ej fastställd" in output
    status = openpyxl.load_workbook(target)["Översikt"]["B4"].value
    assert status == "Utkast · Version 2 (rättar en tidigare version)"


@pytest.mark.parametrize("board,round_,message", [
    ("Nämnden som inte finns", "Delårsrapport T2 2026", "Det finns ingen nämnd som heter eller har id"),
    ("999999", "Delårsrapport T2 2026", "Det finns ingen nämnd som heter eller har id '999999'"),
    ("Hemtjänst", "Delårsrapport T2 2026", "Det finns ingen nämnd"),  # a unit, not a board
    ("Socialnämnden", "T9 2031", "Socialnämnden har ingen rapporteringsomgång som heter eller har id 'T9 2031'"),
    ("Äldrenämnden", "Delårsrapport T2 2026", "Äldrenämnden har ingen rapporteringsomgång"),  # another board's round
])
def test_an_unknown_board_or_round_is_a_clear_error(workbook_world, tmp_path, board, round_, message):  # noqa: F811
    with pytest.raises(CommandError, match=message):
        export("--board", board, "--round", round_, "-o", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_the_error_lists_the_rounds_there_are(workbook_world, tmp_path):  # noqa: F811
    with pytest.raises(CommandError) as error:
        export("--board", "Socialnämnden", "--round", "nope", "-o", str(tmp_path / "x.xlsx"))
    assert f"{workbook_world.round.pk} Delårsrapport T2 2026" in str(error.value)


def test_a_round_id_of_another_board_is_refused(workbook_world, tmp_path):  # noqa: F811
    other = ReportingRound.objects.create(board=workbook_world.org.elderly_board, period=workbook_world.round.period,
                                          name="Äldre T2", deadline=workbook_world.round.deadline)
    with pytest.raises(CommandError, match="Socialnämnden har ingen rapporteringsomgång"):
        export("--board", "Socialnämnden", "--round", str(other.pk), "-o", str(tmp_path / "x.xlsx"))


def test_a_missing_folder_is_a_clear_error(workbook_world, tmp_path):  # noqa: F811
    with pytest.raises(CommandError, match="finns inte"):
        export("--board", "Socialnämnden", "--round", "Delårsrapport T2 2026", "-o", str(tmp_path / "nej" / "x.xlsx"))


def test_board_round_and_output_are_required(db):
    with pytest.raises(CommandError, match="required"):
        call_command("export_board_report", "--board", "Socialnämnden")
