"""Issue 12, class 11: codes that look identical are the same code. A unit or indicator code typed
with fullwidth digits, a non-breaking hyphen, a minus sign or a zero-width space (copied from Word,
a web page or a PDF) is matched as the code it looks like (``normalise_code``), in the measurement
importer and in the Kolada reader; a code that is still unknown keeps its message."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecards.importers.base import ImportRow, normalise_code
from scorecards.importers.kolada import read_kolada
from scorecards.importers.measurements import import_measurements
from scorecards.models import Measurement
from tests.scorecards.import_helpers import build_import_setup

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


@pytest.fixture
def setup(org, year_2026):
    return build_import_setup(org, year_2026)


def _row(unit, indicator, period="2026-01", value="78,5"):
    return [ImportRow(line=2, unit_code=unit, indicator_code=indicator, period=period, value=value, comment="")]


@pytest.mark.parametrize("unit,indicator", [
    ("FAM\u201101", "BUT\u20114M"),                      # non-breaking hyphens
    ("\uff26\uff21\uff2d-\uff10\uff11", "BUT-\uff14M"),   # fullwidth letters and digits
    ("FAM-01\u200b", "\u200bBUT-4M"),                    # zero-width spaces
    ("FAM\u221201", "BUT\u20134M\ufeff"),                # minus sign, en dash, a stray BOM
    ("\u2060fam\u201001", "but\u20124m"),                # word joiner, other dashes, lower case
])
def test_codes_that_look_identical_match(setup, controller, unit, indicator):
    report = import_measurements(user=controller, rows=_row(unit, indicator))
    assert report.ok, report.text_lines()
    measurement = Measurement.objects.get()
    assert (measurement.unit.external_code, measurement.indicator.external_code) == ("FAM-01", "BUT-4M")


def test_an_unknown_code_keeps_its_message_naming_the_code_as_typed(setup, controller):
    report = import_measurements(user=controller, rows=_row("FAM\u201102", "BUT-4M"))
    (row,) = report.error_rows
    assert row.errors == ["Ingen enhet har koden ”FAM\u201102” (eller så är det ingen enhet du kan se)."]
    assert Measurement.objects.count() == 0


def test_a_code_in_a_file_with_look_alike_characters_imports(setup, controller):
    from scorecards import importers
    from tests.scorecards.import_helpers import HEADER, csv_bytes

    data = csv_bytes([HEADER, ["\uff26\uff21\uff2d\u201101", "BUT\u200b-4M", "2026-01", "78,5", ""]])
    report = importers.import_file(user=controller, data=data)
    assert report.ok and report.written


@pytest.mark.parametrize("typed,expected", [
    ("FAM\u201101", "FAM-01"), ("\uff26\uff21\uff2d\uff0d\uff10\uff11", "FAM-01"), (" FAM-01\u200b\u00a0", "FAM-01"),
    ("U31\u2212402", "U31-402"), ("\ufeffN31001", "N31001"), ("", ""), (None, ""),
])
def test_normalise_code(typed, expected):
    assert normalise_code(typed) == expected


@st.composite
def disguised(draw):
    """A plain code and a copy of it with look-alike characters: fullwidth forms, any dash for
    its hyphens, and zero-width characters anywhere."""
    code = draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=12)
                .filter(lambda c: c.strip("-")))
    out = []
    for char in code:
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(ZERO_WIDTH)))
        if char == "-":
            out.append(draw(st.sampled_from(["-", *DASHES])))
        elif draw(st.booleans()):
            out.append(FULLWIDTH[char])
        else:
            out.append(char)
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(ZERO_WIDTH)))
    return code, "".join(out)


@given(disguised())
def test_a_disguised_code_normalises_to_the_plain_code(pair):
    code, typed = pair
    assert normalise_code(typed) == code


@given(st.text(max_size=30))
def test_normalising_is_idempotent(text):
    once = normalise_code(text)
    assert normalise_code(once) == once


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=disguised())
def test_any_disguise_of_a_stored_code_finds_it(setup, controller, pair):
    from django.db import transaction

    from scorecards.models import Frequency, Indicator, Mandate, MeasureUnit

    code, typed = pair
    with transaction.atomic():
        indicator = Indicator.objects.create(name="Antal", owner=setup.family_card.unit, mandate=Mandate.OWN,
                                             measure_unit=MeasureUnit.COUNT, frequency=Frequency.MONTHLY,
                                             external_code=f"X-{code}")
        report = import_measurements(user=controller, rows=_row("FAM-01", f"X\u2011{typed}", value="3"), dry_run=True)
        assert report.ok, report.text_lines()
        assert report.rows[0].indicator == indicator
        transaction.set_rollback(True)


def test_the_kolada_reader_normalises_kpi_and_municipality_ids():
    data = json.dumps({"values": [{"kpi": "N\uff13\uff11\uff10\uff10\uff11\u200b", "municipality": "\u20600180",
                                   "period": 2025, "values": [{"gender": "T", "value": 12.5}]}]}).encode()
    kolada_file = read_kolada(data)
    (value,) = kolada_file.values
    assert (value.kpi, value.area_code) == ("N31001", "0180")
