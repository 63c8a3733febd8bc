"""The file readers turn bytes into rows as people really save them, and refuse broken files
with a clear message. No database."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from scorecards import importers
from scorecards.importers.base import FileRejected, PeriodError, read_period
from scorecards.importers.csv import read_csv, sniff_separator
from scorecards.importers.excel import read_excel
from tests.scorecards.import_helpers import HEADER, csv_bytes, xlsx_bytes

# A copy of shared/data/measurements-sv-sample.csv, as Swedish Excel saves it.
SAMPLE_BYTES = (Path(__file__).parent / "import_samples" / "measurements-sv-sample.csv").read_bytes()


def test_the_shared_sample_as_swedish_excel_saves_it_is_read_row_by_row():
    rows = read_csv(SAMPLE_BYTES)
    assert [(r.line, r.unit_code, r.indicator_code, r.period, r.value) for r in rows] == [
        (2, "FAM-01", "BUT-4M", "2026-01", "78,5"), (3, "FAM-01", "BUT-4M", "2026-02", "81,0"),
        (4, "EKB-02", "U31402", "2026-01", "14,2"), (5, "EKB-02", "U31402", "2026-02", "12,9")]
    assert rows[0].comment == "Två utredningar förlängdes"
    assert rows[1].comment == ""
    assert rows[3].comment == 'Kortare efter att "en väg in" infördes'


def test_windows_1252_without_bom_keeps_swedish_letters():
    data = csv_bytes([HEADER, ["FAM-01", "BUT-4M", "2026-03", "80,5", "Åtgärd för äldre ungdomar på Öland"]],
                     encoding="cp1252")
    assert b"\xc5" in data  # really Windows-1252, not UTF-8
    (row,) = read_csv(data)
    assert row.comment == "Åtgärd för äldre ungdomar på Öland"
    assert row.value == "80,5"


def test_utf8_without_bom_and_unix_line_ends():
    (row,) = read_csv(csv_bytes([HEADER, ["FAM-01", "BUT-4M", "2026-03", "1 234,5", "ökning"]], encoding="utf-8",
                                newline="\n"))
    assert (row.unit_code, row.value, row.comment) == ("FAM-01", "1 234,5", "ökning")


def test_comma_separated_file_with_quoted_decimal_commas():
    data = b'unit,indicator,period,value,comment\nFAM-01,BUT-4M,2026-03,"78,5","Ok, fine"\n'
    (row,) = read_csv(data)
    assert (row.value, row.comment) == ("78,5", "Ok, fine")


def test_tab_separated_and_utf16_as_excels_unicode_text():
    text = "Enhetskod\tIndikatorkod\tPeriod\tVärde\r\nFAM-01\tBUT-4M\t2026-T1\t12\r\n"
    (row,) = read_csv(text.encode("utf-16"))
    assert (row.unit_code, row.period, row.value, row.comment) == ("FAM-01", "2026-T1", "12", None)


def test_excels_sep_line_names_the_separator_and_rows_keep_their_numbers():
    data = b"sep=,\r\nenhet,indikator,period,v\xc3\xa4rde\r\nFAM-01,BUT-4M,2026-03,7\r\n"
    (row,) = read_csv(data)
    assert row.line == 3
    assert row.value == "7"


def test_blank_lines_anywhere_are_skipped_but_row_numbers_stay_true():
    data = csv_bytes([HEADER, ["FAM-01", "BUT-4M", "2026-01", "1", ""], ["", "", "", "", ""],
                      ["FAM-01", "BUT-4M", "2026-02", "2", ""]], trailing_blank_lines=5)
    rows = read_csv(data)
    assert [r.line for r in rows] == [2, 4]


def test_a_quoted_comment_over_two_lines_counts_its_row_from_where_it_starts():
    data = 'enhet;indikator;period;värde;kommentar\r\nA;B;2026-01;1;"rad ett\r\nrad två"\r\nA;B;2026-02;2;x\r\n'
    rows = read_csv(data.encode())
    assert [r.line for r in rows] == [2, 4]
    assert rows[0].comment == "rad ett\r\nrad två"


@pytest.mark.parametrize("header", [
    ["Enhet", "Indikator", "Period", "Värde"],
    ["UNIT", "Indicator", "period", "VALUE", "Comment"],
    ["enhetskod", "indikatorkod", "Period", "Utfall", "Kommentar"],
    ["unit_code", "indicator-code", "period", "varde"],
])
def test_header_names_in_swedish_or_english_in_any_case(header):
    (row,) = read_csv(csv_bytes([header, ["FAM-01", "BUT-4M", "2026-01", "5", "x"][:len(header)]]))
    assert (row.unit_code, row.indicator_code, row.value) == ("FAM-01", "BUT-4M", "5")


def test_columns_in_another_order_are_read_by_name():
    (row,) = read_csv(csv_bytes([["värde", "period", "kommentar", "indikator", "enhet"],
                                 ["3,5", "2026-02", "bra", "BUT-4M", "FAM-01"]]))
    assert (row.unit_code, row.indicator_code, row.period, row.value, row.comment) == (
        "FAM-01", "BUT-4M", "2026-02", "3,5", "bra")


def test_a_missing_column_is_named():
    with pytest.raises(FileRejected) as error:
        read_csv(csv_bytes([["enhet", "period", "värde"], ["FAM-01", "2026-01", "1"]]))
    assert "indikatorkod" in error.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(FileRejected):
        read_csv(b"\r\n\r\n")


def test_a_binary_file_is_not_read_as_csv():
    with pytest.raises(FileRejected):
        read_csv(b"enhet;indikator\x00\x00;period")


def test_files_over_the_size_limit_are_refused(settings):
    settings.TILLIT_IMPORT_MAX_BYTES = 100
    with pytest.raises(FileRejected) as error:
        read_csv(csv_bytes([HEADER] + [["FAM-01", "BUT-4M", "2026-01", "1", "x" * 20]] * 5))
    assert "MB" in error.value.messages[0]


@pytest.mark.parametrize("line,expected", [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ('"a;b",c,d', ","),
                                           ("abc", ";"), ("a;b,c", ";")])
def test_separator_sniffing(line, expected):
    assert sniff_separator(line) == expected


# --- Excel -----------------------------------------------------------------------------------

def test_excel_with_numbers_numbers_stored_as_text_and_an_empty_last_row():
    data = xlsx_bytes([HEADER, ["FAM-01", "BUT-4M", "2026-01", 78.5, "Två"],
                       ["FAM-01", "BUT-4M", "2026-02", "81,0", None],
                       ["EKB-02", "U31402", datetime.datetime(2026, 3, 1), " 12,9 ", "x"]])
    rows = read_excel(data)
    assert [(r.line, r.unit_code, r.value) for r in rows] == [(2, "FAM-01", 78.5), (3, "FAM-01", "81,0"),
                                                            (4, "EKB-02", " 12,9 ")]
    assert rows[1].comment == ""
    assert read_period(rows[2].period) == (2026, "month", 3)


def test_excel_codes_typed_as_numbers_lose_the_decimal_point():
    (row,) = read_excel(xlsx_bytes([HEADER, [1001, 42, 2026, 5, None]]))
    assert (row.unit_code, row.indicator_code) == ("1001", "42")
    assert read_period(row.period) == (2026, "year", 1)


def test_excel_header_below_empty_rows_is_found():
    data = xlsx_bytes([[None, None], HEADER, ["FAM-01", "BUT-4M", "2026-01", 1, None]])
    (row,) = read_excel(data)
    assert row.line == 3


def test_a_file_that_is_not_a_zip_is_not_an_excel_workbook():
    with pytest.raises(FileRejected) as error:
        read_excel(b"this is not a workbook at all")
    assert ".xlsx" in error.value.messages[0]


def test_a_zip_that_is_not_a_workbook_is_refused_clearly():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    with pytest.raises(FileRejected):
        read_excel(buffer.getvalue())


def test_a_truncated_workbook_is_refused_clearly():
    data = xlsx_bytes([HEADER, ["FAM-01", "BUT-4M", "2026-01", 1, None]])
    with pytest.raises(FileRejected):
        read_excel(data[: len(data) // 2])


def test_the_old_xls_format_is_named():
    with pytest.raises(FileRejected) as error:
        read_excel(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert ".xls" in error.value.messages[0]


@pytest.mark.parametrize("data,name,kind", [
    (b"PK\x03\x04rest", "", "excel"), (b"enhet;indikator", "x.csv", "csv"), (b'\xef\xbb\xbf{"values": []}', "", "kolada"),
    (b"  [", "", "kolada"), (b"garbage", "data.json", "kolada"), (b"garbage", "book.xlsx", "excel"),
])
def test_the_kind_of_file_is_told_by_its_content_or_name(data, name, kind):
    assert importers.detect_kind(data, name) == kind


# --- periods as typed -------------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("2026", (2026, "year", 1)), (2026, (2026, "year", 1)), (2026.0, (2026, "year", 1)),
    ("2026-03", (2026, "month", 3)), ("2026-3", (2026, "month", 3)), ("202603", (2026, "month", 3)),
    ("2026-M03", (2026, "month", 3)), ("2026M3", (2026, "month", 3)), ("2026/03", (2026, "month", 3)),
    ("mars 2026", (2026, "month", 3)), ("jan 2026", (2026, "month", 1)), ("2026-03-31", (2026, "month", 3)),
    (datetime.date(2026, 5, 1), (2026, "month", 5)), (datetime.datetime(2026, 5, 1), (2026, "month", 5)),
    ("2026-T1", (2026, "tertial", 1)), ("T2 2026", (2026, "tertial", 2)), ("2026T3", (2026, "tertial", 3)),
    (" 2026-t2 ", (2026, "tertial", 2)),
])
def test_periods_as_people_type_them(raw, expected):
    assert read_period(raw) == expected


@pytest.mark.parametrize("raw", ["2026-Q1", "2026-13", "T4 2026", "", None, "2026-02-30", "next month"])
def test_unknown_periods_are_refused_with_a_message(raw):
    with pytest.raises(PeriodError) as error:
        read_period(raw)
    assert str(error.value)
