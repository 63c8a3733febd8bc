"""Hostile Kolada files: every input is checked before the database, with a plain message."""

import json

import pytest

from scorecards.importers.base import FileRejected
from scorecards.importers.kolada import import_kolada, read_kolada
from scorecards.models import ComparisonValue
from tests.scorecards.test_kolada import row, setup, v2  # noqa: F401 (fixture)


def rejected_text(data):
    with pytest.raises(FileRejected) as caught:
        read_kolada(data)
    return str(caught.value)


def test_deeply_nested_json_is_refused_with_a_plain_message():
    text = rejected_text(b"[" * 200_000 + b"]" * 200_000)
    assert "nested" in text or "nästla" in text


@pytest.mark.parametrize("period", ["1850", 1850, "2200", 99999, "１９９５"])
def test_a_period_outside_the_sane_years_is_refused(period):
    text = rejected_text(v2(row("N31001", "1283", period, 1.0)))
    assert "period" in text.lower()


def test_a_period_as_a_string_of_a_sane_year_is_accepted():
    assert read_kolada(v2(row("N31001", "1283", "2024", 1.0))).values[0].year == 2024


@pytest.mark.parametrize("kpi,area", [("N" * 21, "1283"), ("N31001", "1" * 41), ("N31 001", "1283"),
                                      ("N31001", "<b>1283</b>")])
def test_over_long_or_strange_ids_are_refused(kpi, area):
    rejected_text(v2(row(kpi, area, 2024, 1.0)))


@pytest.mark.parametrize("value", ["1E+400", 1e300, "999999999999.9999", "-1000000000"])
def test_values_outside_the_bound_are_refused(value):
    text = rejected_text(v2(row("N31001", "1283", 2024, value)))
    assert "Kolada" in text


def test_infinity_in_the_json_is_refused():
    data = json.dumps({"values": [row("N31001", "1283", 2024, 1.0)]}).replace("1.0", "Infinity").encode()
    rejected_text(data)


def test_only_women_and_men_for_the_own_municipality_says_no_total(setup, controller):  # noqa: F811
    report = import_kolada(user=controller, kolada_file=read_kolada(v2(
        {"kpi": "N31001", "municipality": "1283", "period": 2026,
         "values": [{"gender": "K", "value": 1.0}, {"gender": "M", "value": 2.0}]})))
    notes = " ".join(map(str, report.notes))
    assert "total" in notes.lower()
    assert "no values for the own municipality" not in notes and "inga värden för den egna" not in notes.lower()
    assert ComparisonValue.objects.count() == 2
