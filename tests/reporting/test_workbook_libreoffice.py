"""The board workbook opened by LibreOffice headless (docs/architecture.md §7: it must open cleanly in
Excel and in LibreOffice). A workbook LibreOffice cannot open is a failure.

Each test converts the workbook with ``soffice --headless --convert-to`` in a temporary
directory, with a private user profile and a time limit. Skipped where LibreOffice is not
installed, except in CI (``CI=true``), where a missing ``soffice`` fails: ``.ci/run`` installs
``libreoffice-calc-nogui``.
"""

import csv
import os
import shutil
import subprocess

import openpyxl
import pytest

from tests.reporting.test_workbook import FORMULA_LIKE, render, workbook_world, world_snapshot  # noqa: F401

pytestmark = pytest.mark.libreoffice

TIME_LIMIT = 240  # seconds; a cold start on a busy CI machine is slow

# All sheets, each to "<name>-<sheet>.csv": separator ",", quote '"', UTF-8, values as shown.
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def soffice():
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("LibreOffice (soffice) is missing in CI; .ci/run installs libreoffice-calc-nogui.")
        pytest.skip("LibreOffice (soffice) is not installed.")
    return path


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """A private LibreOffice profile, shared by this module's tests (its first start is slow)."""
    return tmp_path_factory.mktemp("lo-profile")


def convert(tmp_path, profile, data, target):
    """Write the workbook, convert it with LibreOffice to ``target``; return the output folder."""
    program = soffice()
    source = tmp_path / "malrapport.xlsx"
    source.write_bytes(data)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    try:
        result = subprocess.run(
            [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
             "--convert-to", target, "--outdir", str(out), str(source)],
            capture_output=True, text=True, timeout=TIME_LIMIT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"LibreOffice did not convert the workbook within {TIME_LIMIT} s.")
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stdout + result.stderr.replace("failed to launch javaldx", ""), (
        result.stdout + result.stderr)
    return out


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def workbook_bytes(workbook_world, controller):  # noqa: F811
    return render(world_snapshot(workbook_world, controller))


def test_libreoffice_reads_every_sheet_and_its_content(tmp_path, profile, workbook_bytes):
    out = convert(tmp_path, profile, workbook_bytes, CSV_ALL_SHEETS)
    sheets = {path.stem.removeprefix("malrapport-"): read_csv(path) for path in out.glob("*.csv")}
    assert set(sheets) == set(openpyxl.load_workbook(tmp_path / "malrapport.xlsx").sheetnames)

    overview = sheets["Översikt"]
    assert overview[0][0] == "Målrapport Delårsrapport T2 2026 – Socialnämnden"
    goal_rows = [row for row in overview if row and row[0][:2] in ("1.", "2.", "3.")]
    assert [row[0] for row in goal_rows] == [
        "1. Invånare får rätt stöd i rätt tid", "2. Barn och unga växer upp under trygga förhållanden",
        "3. Ekonomi i balans"]
    assert goal_rows[0][1] == "Delvis uppnått" and goal_rows[0][3:7] == ["1", "0", "1", "0"]

    follow_ups = sheets["Uppföljning"]
    north = next(row for row in follow_ups if "Team Norr" in row)
    for text in FORMULA_LIKE.values():  # literal text, never computed
        assert text in north

    metrics = sheets["Mätetal"]
    header = metrics[0]
    family = next(row for row in metrics if row[:2] == ["Familjebehandling",
                                                         "Andel barnavårdsutredningar klara inom fyra månader"])
    assert family[header.index("aug 2026")] == "60.0"  # a number, shown with one decimal
    assert family[header.index("Status")] == "Ej uppnått"
    assert any("Familjebehandling" in row for row in sheets["Styrningsbalans"])
    assert any("Kvällsmottagning Team Norr" in row for row in sheets["Aktiviteter"])
    goal_sheet = sheets["Rätt stöd i rätt tid"]
    assert any("=SUM(A1:A2)" in row for row in goal_sheet)


def test_user_text_stays_text_when_libreoffice_saves_the_workbook_again(tmp_path, profile, workbook_bytes):
    out = convert(tmp_path, profile, workbook_bytes, "xlsx:Calc MS Excel 2007 XML")
    book = openpyxl.load_workbook(out / "malrapport.xlsx")
    cells = {cell.value: cell for row in book["Uppföljning"].iter_rows() for cell in row if cell.value is not None}
    for text in FORMULA_LIKE.values():
        assert cells[text].data_type == "s", text
    assert book["Uppföljning"].auto_filter.ref == "A1:I4"


def test_libreoffice_prints_every_sheet_to_pdf(tmp_path, profile, workbook_bytes):
    out = convert(tmp_path, profile, workbook_bytes, "pdf")
    pdf = (out / "malrapport.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type/Page") - pdf.count(b"/Type/Pages")
    assert pages >= len(openpyxl.load_workbook(tmp_path / "malrapport.xlsx").sheetnames)


def test_without_libreoffice_these_tests_skip_except_in_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        soffice()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="missing in CI"):
        soffice()
