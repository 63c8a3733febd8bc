"""Hostile and broken files (issue 12, classes 1, 7 and 11): a spreadsheet whose sheet declares a
million rows, one of hundreds of thousands of empty rows, a CSV with a quote that never closes,
and the API's size message. Readers must refuse within seconds, with a plain message, and never
raise anything but FileRejected."""

import io
import subprocess
import sys
import textwrap
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from scorecards.importers.base import FileRejected
from scorecards.importers.csv import read_csv
from scorecards.importers.excel import read_excel
from tests.scorecards.import_helpers import HEADER, csv_bytes

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); test_messages_are_translated checks Swedish."""
    from django.utils import translation

    with translation.override("en"):
        yield


SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def inline_row(number, values):
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def raw_xlsx(sheet_xml):
    """An .xlsx written member by member, so the sheet can say whatever a hostile file says."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def huge_dimension_xlsx():
    """4-5 KB: the sheet declares A1:XFD1048576 and has one cell in the very last row."""
    return raw_xlsx(SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
                    + inline_row(1, HEADER) + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'
                    '</row></sheetData></worksheet>')


def empty_rows_xlsx(count=400_000):
    rows = "".join(f'<row r="{n}"/>' for n in range(2, count + 2))
    return raw_xlsx(SHEET_HEAD + "<sheetData>" + inline_row(1, HEADER) + rows + "</sheetData></worksheet>")


def test_a_well_formed_raw_workbook_is_read():
    data = raw_xlsx(SHEET_HEAD + "<sheetData>" + inline_row(1, HEADER)
                    + inline_row(2, ["FAM-01", "BUT-4M", "2026-01", "78,5", "ok"]) + "</sheetData></worksheet>")
    (row,) = read_excel(data)
    assert (row.line, row.unit_code, row.value) == (2, "FAM-01", "78,5")


def test_a_sheet_declaring_a_million_rows_and_columns_is_refused_by_its_row_count():
    data = huge_dimension_xlsx()
    assert len(data) < 10_000
    with pytest.raises(FileRejected) as error:
        read_excel(data)
    assert "rows" in error.value.messages[0]


def test_a_sheet_of_hundreds_of_thousands_of_empty_rows_is_refused():
    with pytest.raises(FileRejected) as error:
        read_excel(empty_rows_xlsx())
    assert "rows" in error.value.messages[0]


def test_a_member_that_unpacks_far_beyond_its_packed_size_is_refused():
    # 60 MB of one repeated byte packs to a few tens of KB: no real workbook looks like that.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/sharedStrings.xml", b" " * (60 * 1024 * 1024))
    with pytest.raises(FileRejected) as error:
        read_excel(buffer.getvalue())
    assert "unpacked" in error.value.messages[0]


@pytest.mark.parametrize("builder", ["huge_dimension_xlsx", "empty_rows_xlsx"])
def test_hostile_workbooks_are_refused_within_seconds_in_a_fresh_process(builder):
    script = textwrap.dedent(f"""
        import django, os
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
        from scorecards.importers.base import FileRejected
        from scorecards.importers.excel import read_excel
        from tests.scorecards.test_hostile_files import {builder}
        try:
            read_excel({builder}())
        except FileRejected as error:
            print("REJECTED", error)
        else:
            print("READ")
    """)
    result = subprocess.run([sys.executable, "-c", script], timeout=30, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "REJECTED" in result.stdout


def test_reading_stops_at_the_wall_clock_deadline(monkeypatch):
    from scorecards.importers import base

    monkeypatch.setattr(base, "READ_SECONDS", 0)
    data = raw_xlsx(SHEET_HEAD + "<sheetData>" + inline_row(1, HEADER)
                    + inline_row(2, ["FAM-01", "BUT-4M", "2026-01", "78,5", "ok"]) + "</sheetData></worksheet>")
    with pytest.raises(FileRejected) as error:
        read_excel(data)
    assert "too long" in error.value.messages[0]


def test_a_csv_of_hundreds_of_thousands_of_blank_lines_is_refused():
    with pytest.raises(FileRejected) as error:
        read_csv(";".join(HEADER).encode() + b"\r\n" + b";;;;\r\n" * 400_000)
    assert "rows" in error.value.messages[0]


# --- a quote that never closes -------------------------------------------------------------------

UNCLOSED = ('enhet;indikator;period;värde;kommentar\r\nFAM-01;BUT-4M;2026-01;78,5;ok\r\n'
            'FAM-01;BUT-4M;2026-02;81,0;"Glömt citattecken\r\nFAM-01;BUT-4M;2026-03;82,0;sista\r\n').encode()


def test_a_quote_that_never_closes_is_an_error_naming_its_row():
    with pytest.raises(FileRejected) as error:
        read_csv(UNCLOSED)
    message = error.value.messages[0]
    assert "Row 3" in message and "quote" in message


def test_a_quote_that_swallows_the_next_rows_until_a_later_quote_is_an_error():
    data = ('enhet;indikator;period;värde;kommentar\r\nFAM-01;BUT-4M;2026-01;78,5;"Glömt\r\n'
            'FAM-01;BUT-4M;2026-02;81,0;"\r\n').encode()
    with pytest.raises(FileRejected) as error:
        read_csv(data)
    assert "Row 2" in error.value.messages[0]


def test_a_real_comment_over_two_lines_is_still_read():
    data = 'enhet;indikator;period;värde;kommentar\r\nA;B;2026-01;1;"rad ett\r\nrad två; med semikolon"\r\n'
    (row,) = read_csv(data.encode())
    assert row.comment == "rad ett\r\nrad två; med semikolon"


def test_the_import_preview_shows_the_unclosed_quote_and_writes_nothing(org, year_2026, controller):
    from scorecards import importers
    from scorecards.models import Measurement
    from tests.scorecards.import_helpers import build_import_setup

    build_import_setup(org, year_2026)
    report = importers.import_file(user=controller, data=UNCLOSED, filename="utfall.csv", dry_run=True)
    assert report.file_errors and "Row 3" in report.file_errors[0]
    report = importers.import_file(user=controller, data=UNCLOSED, filename="utfall.csv")
    assert report.file_errors
    assert Measurement.objects.count() == 0


def test_the_api_answers_400_naming_the_unclosed_quote(org, year_2026, unit_manager):
    from tests.scorecards.import_helpers import build_import_setup
    from tests.scorecards.test_import_api import raw

    build_import_setup(org, year_2026)
    response = raw(unit_manager, UNCLOSED)
    assert response.status_code == 400
    assert "Row 3" in str(response.data)


# --- readers never raise anything but FileRejected -----------------------------------------------

@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_break_the_readers(data):
    for reader in (read_csv, read_excel):
        try:
            reader(data)
        except FileRejected:
            pass


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list('ab1,;"\t\r\n ÅÄÖ.-')), max_size=12), max_size=8))
def test_random_csv_text_never_breaks_the_reader(lines):
    text = "\r\n".join(["enhet;indikator;period;värde;kommentar", *lines])
    for encoding in ("utf-8", "cp1252"):
        try:
            read_csv(text.encode(encoding, errors="replace"))
        except FileRejected:
            pass


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=400), st.integers(min_value=0, max_value=3000))
def test_corrupted_workbooks_never_break_the_reader(noise, position):
    data = bytearray(raw_xlsx(SHEET_HEAD + "<sheetData>" + inline_row(1, HEADER) + "</sheetData></worksheet>"))
    position = min(position, len(data) - 1)
    data[position:position + len(noise)] = noise
    try:
        read_excel(bytes(data))
    except FileRejected:
        pass


# --- the size message -----------------------------------------------------------------------------

def test_the_size_message_names_the_files_real_size_and_the_limit(settings):
    from scorecards.importers.base import size_error

    settings.TILLIT_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    message = size_error(int(21.6 * 1024 * 1024))
    assert "21,6 MB" in message and "5,0 MB" in message
    # Just over the limit: not "5,0 MB; larger than 5,0 MB".
    message = size_error(5 * 1024 * 1024 + 10)
    assert "5,0 MB; files larger" not in message


def test_the_api_size_message_for_a_raw_body_states_its_real_size(org, year_2026, unit_manager, settings):
    from tests.scorecards.test_import_api import raw

    settings.TILLIT_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    response = raw(unit_manager, b"x" * int(21.6 * 1024 * 1024))
    assert response.status_code == 400
    message = response.data["errors"][0]
    assert "21,6 MB" in message and "5,0 MB" in message


def test_the_new_messages_are_translated_into_swedish(settings):
    from django.utils import translation

    from scorecards.importers.csv import _unclosed_quote

    with translation.override("sv"):
        with pytest.raises(FileRejected) as rows_error:
            read_excel(huge_dimension_xlsx())
        quote = _unclosed_quote(3)
    assert "rader" in rows_error.value.messages[0]
    assert "citattecken" in quote and "3" in quote


def test_the_import_page_preview_shows_both_in_swedish_and_writes_nothing(client, org, year_2026, controller):
    from django.utils import translation

    from tests.scorecards.import_helpers import build_import_setup, measurement_count
    from tests.scorecards.test_import_views import preview_url, upload

    build_import_setup(org, year_2026)
    client.force_login(controller)
    with translation.override("sv"):
        for data, name, expected in [(UNCLOSED, "utfall.csv", "Rad 3 har ett citattecken"),
                                     (huge_dimension_xlsx(), "utfall.xlsx", "tomma rader medräknade")]:
            response = client.get(preview_url(upload(client, data, name)))
            assert response.status_code == 200
            html = response.content.decode()
            assert 'id="error-summary"' in html and expected in html
    assert measurement_count() == 0


def test_text_after_a_closing_quote_is_an_error_naming_its_row():
    data = 'enhet;indikator;period;värde;kommentar\r\nA;B;2026-01;1;ok\r\nA;B;2026-02;2;"citat" och mer\r\n'
    with pytest.raises(FileRejected) as error:
        read_csv(data.encode())
    assert "Row 3" in error.value.messages[0] and "closing quote" in error.value.messages[0]
