"""The CSV dialect of every export: what Swedish Excel opens as it is (docs/architecture.md §8)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.utils.html import format_html

from governance.csv_export import cell, csv_response, table_csv_response


def body(response):
    return b"".join(response.streaming_content)


def parse(response):
    text = body(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_response_is_a_csv_attachment_with_the_given_name():
    response = csv_response(filename="aktiviteter.csv", header=["a"], rows=[])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aktiviteter.csv"'
    assert response.streaming


def test_the_file_begins_with_a_byte_order_mark_and_is_utf8():
    data = body(csv_response(filename="x.csv", header=["Enhet"], rows=[["Äldrenämnden"]]))
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Äldrenämnden".encode("utf-8") in data


def test_cells_are_separated_by_semicolons_and_rows_end_with_crlf():
    data = body(csv_response(filename="x.csv", header=["a", "b"], rows=[["1", "2"]])).decode("utf-8-sig")
    assert data == '"a";"b"\r\n"1";"2"\r\n'


def test_numbers_have_a_decimal_comma():
    row = [Decimal("12.50"), 3.25, 7, Decimal("-0.5"), 1e-7]
    assert [cell(v) for v in row] == ["12,50", "3,25", "7", "-0,5", "0,0000001"]


def test_dates_are_iso_and_none_is_empty():
    assert cell(datetime.date(2026, 3, 1)) == "2026-03-01"
    assert cell(datetime.datetime(2026, 3, 1, 14, 5)) == "2026-03-01 14:05:00"
    assert cell(None) == ""


def test_semicolons_quotes_and_newlines_read_back():
    tricky = ['ett; två', 'han sa "hej"', "rad ett\nrad två", "vanlig"]
    response = csv_response(filename="x.csv", header=["a", "b", "c", "d"], rows=[tricky])
    data = body(response).decode("utf-8-sig")
    assert '"ett; två";"han sa ""hej""";"rad ett\nrad två";"vanlig"\r\n' in data
    assert parse(csv_response(filename="x.csv", header=["a", "b", "c", "d"], rows=[tricky]))[1] == tricky


@pytest.mark.parametrize("text", ["=1+1", "+46 70", "-2", "@SUM(A1)", "\tflik", "\rretur",
                                  '=HYPERLINK("http://x";"klicka")'])
def test_text_that_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(text):
    rows = parse(csv_response(filename="x.csv", header=["a"], rows=[[text]]))
    assert rows[1] == ["'" + text]


def test_negative_numbers_stay_numbers():
    assert parse(csv_response(filename="x.csv", header=["a"], rows=[[Decimal("-1.5"), -3]]))[1] == ["-1,5", "-3"]


def test_the_header_is_protected_too():
    assert parse(csv_response(filename="x.csv", header=["=a"], rows=[]))[0] == ["'=a"]


class PeopleTable(tables.Table):
    name = tables.Column(verbose_name="Namn")
    amount = tables.Column(verbose_name="Belopp")
    born = tables.DateColumn(verbose_name="Född")
    secret = tables.Column(verbose_name="Hemligt", exclude_from_export=True)
    hidden = tables.Column(verbose_name="Dold", visible=False)

    def render_name(self, value):
        return format_html('<a href="/p/">{}</a>', value)


def test_a_table_exports_its_values_without_html_and_without_excluded_or_hidden_columns():
    data = [{"name": "Åsa & Bo", "amount": Decimal("1.5"), "born": datetime.date(1990, 5, 1), "secret": "x",
             "hidden": "y"},
            {"name": "=evil", "amount": None, "born": None, "secret": "x", "hidden": "y"}]
    rows = parse(table_csv_response(PeopleTable(data), "people.csv"))
    assert rows == [["Namn", "Belopp", "Född"], ["Åsa & Bo", "1,5", "1990-05-01"], ["'=evil", "", ""]]


# --- a spreadsheet that splits on another separator ----------------------------------------------------

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Text a user could write that a spreadsheet reading the file with another separator (or splitting
# lines) would see as a cell beginning with a formula.
HOSTILE = [
    "Plan,=cmd|' /C calc'!A0",
    "Plan;=cmd|' /C calc'!A0",
    'Plan,"=cmd|\' /C calc\'!A0"',
    "Plan, =1+1",
    "Plan,\t@SUM(A1)",
    "Plan\t+46 70",
    "rad ett\n=HYPERLINK(\"http://x\")",
    "rad ett\r\n-2+3",
    ' =1+1',
    '"=1+1',
    "=1+1,=2+2;@x",
]


def _readings(data):
    """The file as a spreadsheet could read it: with ';' or ',' or a tab between cells, quotes
    honoured, and (naively) split on every separator and line break."""
    text = data.decode("utf-8-sig")
    for delimiter in (";", ",", "\t"):
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    yield re.split(r"[;,\t\r\n]", text)


def _formula_cells(data):
    bad = []
    for row in _readings(data):
        for value in row:
            if value.startswith(TRIGGERS) or value.lstrip(' \t\r\n"').startswith(TRIGGERS[:4]):
                bad.append(value)
    return bad


def test_every_cell_is_quoted():
    data = body(csv_response(filename="x.csv", header=["a", "b"], rows=[["Plan, bra", 3]])).decode("utf-8-sig")
    assert data == '"a";"b"\r\n"Plan, bra";"3"\r\n'


@pytest.mark.parametrize("text", HOSTILE)
def test_no_reading_of_the_file_sees_a_cell_beginning_with_a_formula(text):
    data = body(csv_response(filename="x.csv", header=["Rubrik", text], rows=[["före", text, "efter"], [text]]))
    assert _formula_cells(data) == []


@pytest.mark.parametrize("text", HOSTILE)
def test_a_neutralised_cell_reads_back_with_only_apostrophes_added(text):
    row = parse(csv_response(filename="x.csv", header=["a"], rows=[[text]]))[1]
    assert row[0] != text and row[0].replace("'", "") == text.replace("'", "")


def test_the_comma_reading_of_the_reported_plan_is_text():
    data = body(csv_response(filename="x.csv", header=["Namn", "Plan"], rows=[["A", "Plan,=cmd|' /C calc'!A0"]]))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=","))
    assert rows[1] == ['A;"Plan', "'=cmd|' /C calc'!A0\""]


def test_text_with_separators_but_no_formula_is_unchanged():
    text = "Mål 1, 2; 3\tklart\nrad två"
    assert parse(csv_response(filename="x.csv", header=["a"], rows=[[text]]))[1] == [text]
