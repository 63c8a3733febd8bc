"""Kolada: saved API answers (v2, v3, paged, ou, groups) become measurements of the own
municipality's yearly indicators and comparison values; bad JSON writes nothing."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from governance.models import Role
from scorecards import importers, selectors
from scorecards.importers.base import FileRejected
from scorecards.importers.kolada import import_kolada, read_kolada
from scorecards.models import ComparisonValue, Measurement
from tests.conftest import make_user
from tests.scorecards.import_helpers import build_import_setup, measurement_count, period

# A copy of shared/data/kolada-v2-data-sample.json.
SAMPLE = Path(__file__).parent / "import_samples" / "kolada-v2-data-sample.json"


def v2(*rows, next_page=None):
    return json.dumps({"values": list(rows), "count": len(rows), "next_page": next_page}).encode()


def row(kpi, area, year, *values, key="municipality"):
    genders = ("T", "K", "M")
    return {"kpi": kpi, key: area, "period": year,
            "values": [{"count": 1, "gender": g, "status": "", "value": v} for g, v in zip(genders, values)]}


@pytest.fixture
def setup(org, year_2026, settings):
    settings.TILLIT_KOLADA_MUNICIPALITY = "1283"
    return build_import_setup(org, year_2026)


# --- reading -----------------------------------------------------------------------------------

def test_the_shared_v2_sample_is_read():
    kolada = read_kolada(SAMPLE.read_bytes())
    assert {v.kpi for v in kolada.values} == {"U31402", "N33009"}
    assert {v.area_code for v in kolada.values} == {"1283", "1293", "0136", "0000"}
    assert any(v.value is None for v in kolada.values)
    assert not kolada.has_more_pages


def test_v3_pages_with_next_url_without_count_and_period_on_each_value():
    data = json.dumps({"values": [{"kpi": "N31001", "municipality": "1283", "values": [
        {"gender": "T", "period": 2025, "value": 1500.5}, {"gender": "T", "period": "2026", "value": 1400}]}],
        "next_url": "https://api.kolada.se/v3/data?page=2"}).encode()
    kolada = read_kolada(data)
    assert [(v.year, v.value) for v in kolada.values] == [(2025, Decimal("1500.5")), (2026, Decimal("1400"))]
    assert kolada.has_more_pages


def test_period_as_a_string_ou_rows_and_groups():
    kolada = read_kolada(v2(row("N31001", "G123456", "2024", 10.0), row("N31001", "V15E128300101", 2024, 3.5, key="ou")))
    group, ou = kolada.values
    assert (group.area_kind, group.year) == ("group", 2024)
    assert (ou.area_kind, ou.area_code) == ("ou", "V15E128300101")


def test_a_list_of_saved_pages_and_a_bare_list_of_rows():
    pages = json.dumps([json.loads(v2(row("N31001", "1283", 2024, 1.0), next_page=2)),
                        json.loads(v2(row("N31001", "1283", 2025, 2.0)))]).encode()
    assert [v.year for v in read_kolada(pages).values] == [2024, 2025]
    bare = json.dumps([row("N31001", "1283", 2024, 1.0)]).encode()
    assert len(read_kolada(bare).values) == 1


def test_a_bom_before_the_json_is_fine():
    assert len(read_kolada(b"\xef\xbb\xbf" + v2(row("N31001", "1283", 2024, 1.0))).values) == 1


@pytest.mark.parametrize("data,needle", [
    (b"{not json", "JSON"),
    (b"", "JSON"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b'{"data": []}', "values"),
    (b'"just a string"', "values"),
    (b'{"values": []}', ""),
    (b'{"values": "many"}', "values"),
    (json.dumps({"values": [{"municipality": "1283", "period": 2024, "values": []}]}).encode(), "kpi"),
    (json.dumps({"values": [{"kpi": "N31001", "period": 2024, "values": []}]}).encode(), "municipality"),
    (json.dumps({"values": [{"kpi": "N31001", "municipality": "1283", "period": "förra året",
                             "values": [{"gender": "T", "value": 1}]}]}).encode(), "2024"),
    (json.dumps({"values": [{"kpi": "N31001", "municipality": "1283", "period": 2024,
                             "values": [{"gender": "X", "value": 1}]}]}).encode(), "gender"),
    (json.dumps({"values": [{"kpi": "N31001", "municipality": "1283", "period": 2024,
                             "values": [{"gender": "T", "value": "mycket"}]}]}).encode(), "tal"),
    (json.dumps({"values": [{"kpi": "N31001", "municipality": "1283", "values": [{"gender": "T", "value": 1}]}]}).encode(),
     "period"),
    (json.dumps({"values": [17]}).encode(), "objekt"),
])
def test_bad_or_unexpected_json_is_refused_with_a_message(data, needle):
    # The messages are in Swedish, the default language; the needles are words each one must name.
    with pytest.raises(FileRejected) as error:
        read_kolada(data)
    assert needle in " ".join(error.value.messages)


# --- importing ---------------------------------------------------------------------------------

def test_the_own_municipalitys_yearly_value_fills_the_yearly_indicator_of_every_unit_using_it(setup, controller, org):
    report = import_kolada(user=controller, kolada_file=read_kolada(v2(
        row("N31001", "1283", 2026, 1490.0, 1400.0, None), row("N31001", "0000", 2026, 1700.0),
        row("N31001", "1293", 2026, 1600.0))))
    assert report.ok and report.written
    m = Measurement.objects.get(indicator=setup.cost)
    assert (m.unit, m.period, m.value, m.source) == (org.income, period(2026, "year", 1), Decimal("1490"),
                                                    Measurement.Source.KOLADA)
    # Every non-null value is a comparison value, the own municipality's too.
    assert ComparisonValue.objects.count() == 4
    assert ComparisonValue.objects.get(area_code="0000").area_name == "Riket"
    assert ComparisonValue.objects.get(area_code="1283", gender="K").value == Decimal("1400")


def test_a_monthly_indicator_gets_no_yearly_value_but_keeps_it_as_comparison(setup, controller):
    report = import_kolada(user=controller, kolada_file=read_kolada(v2(row("U31402", "1283", 2026, 14.0))))
    assert report.ok
    assert measurement_count() == 0
    assert any("U31402" in note or "Väntetid" in note for note in map(str, report.notes))
    assert ComparisonValue.objects.get(kpi="U31402", area_code="1283").value == Decimal("14")


def test_years_without_a_reporting_year_are_comparison_only(setup, controller):
    report = import_kolada(user=controller, kolada_file=read_kolada(v2(row("N31001", "1283", 2022, 1200.0))))
    assert report.ok and measurement_count() == 0
    assert any("2022" in str(note) for note in report.notes)
    assert ComparisonValue.objects.filter(year=2022).count() == 1


def test_the_shared_sample_imports_as_comparison_values(setup, controller):
    report = importers.import_file(user=controller, data=SAMPLE.read_bytes(), filename="kolada.json")
    assert report.ok and report.written
    assert measurement_count() == 0
    assert ComparisonValue.objects.filter(kpi="U31402", gender="T").count() == 12


def test_importing_the_same_kolada_file_twice_writes_nothing_new(setup, controller):
    data = v2(row("N31001", "1283", 2026, 1490.0), row("N31001", "0000", 2026, 1700.0))
    import_kolada(user=controller, kolada_file=read_kolada(data))
    stamps = list(ComparisonValue.objects.order_by("pk").values_list("pk", "updated_at"))
    version = Measurement.objects.get().version
    again = import_kolada(user=controller, kolada_file=read_kolada(data))
    assert again.ok and not again.written
    assert again.comparison_counts == {"new": 0, "update": 0, "unchanged": 2}
    assert list(ComparisonValue.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    assert Measurement.objects.get().version == version


def test_a_new_kolada_value_updates_the_measurement_and_keeps_its_comment(setup, controller):
    import_kolada(user=controller, kolada_file=read_kolada(v2(row("N31001", "1283", 2026, 1490.0))))
    Measurement.objects.update(comment="Hämtat från Kolada i maj.")
    report = import_kolada(user=controller, kolada_file=read_kolada(v2(row("N31001", "1283", 2026, 1495.5))))
    assert [m.status for m in report.measurements] == ["update"]
    m = Measurement.objects.get()
    assert (m.value, m.comment, m.version) == (Decimal("1495.5"), "Hämtat från Kolada i maj.", 2)


def test_only_controllers_may_import_kolada(setup, unit_manager):
    with pytest.raises(PermissionDenied):
        import_kolada(user=unit_manager, kolada_file=read_kolada(v2(row("N31001", "1283", 2026, 1.0))))
    assert ComparisonValue.objects.count() == 0


def test_units_outside_the_controllers_scope_are_named_and_not_filled(setup, org, year_2026):
    from scorecards.models import Scorecard, ScorecardIndicator

    other = Scorecard.objects.create(unit=org.home_care, year=year_2026)
    ScorecardIndicator.objects.create(scorecard=other, indicator=setup.cost)
    elderly_controller = make_user("aldrestrateg", (org.elderly_admin, Role.CONTROLLER))
    report = import_kolada(user=elderly_controller, kolada_file=read_kolada(v2(row("N31001", "1283", 2026, 1.0))))
    assert report.ok
    assert [m.unit for m in report.measurements] == [org.home_care]
    assert any("Ekonomiskt bistånd" in str(n) for n in report.notes)


def test_conflicting_duplicates_reject_the_file_and_write_nothing(setup, controller):
    data = v2(row("N31001", "1283", 2026, 1490.0), row("N31001", "1283", 2026, 1500.0))
    report = import_kolada(user=controller, kolada_file=read_kolada(data))
    assert not report.ok and report.file_errors
    assert ComparisonValue.objects.count() == 0 and measurement_count() == 0


def test_a_failing_measurement_rolls_back_the_comparison_values(setup, controller, monkeypatch):
    from django.core.exceptions import ValidationError

    from scorecards import services

    def refuse(**kwargs):
        raise ValidationError("Nej")

    monkeypatch.setattr(services, "measurement_record", refuse)
    report = import_kolada(user=controller, kolada_file=read_kolada(v2(row("N31001", "1283", 2026, 1.0),
                                                                       row("N31001", "0000", 2026, 2.0))))
    assert not report.ok and not report.written
    assert ComparisonValue.objects.count() == 0 and measurement_count() == 0


def test_a_dry_run_keeps_nothing(setup, controller):
    report = import_kolada(user=controller, kolada_file=read_kolada(v2(row("N31001", "1283", 2026, 1.0))), dry_run=True)
    assert report.ok and not report.written and report.changes == 2
    assert ComparisonValue.objects.count() == 0 and measurement_count() == 0


# --- the selector for the charts ------------------------------------------------------------------

def test_comparison_series_in_one_query_country_first_own_left_out_for_yearly(setup, controller,
                                                                              django_assert_num_queries):
    import_kolada(user=controller, kolada_file=read_kolada(v2(
        row("N31001", "1283", 2026, 1490.0), row("N31001", "0000", 2026, 1700.0), row("N31001", "1293", 2026, 1600.0),
        row("U31402", "1283", 2026, 14.0), row("U31402", "0000", 2025, 15.0))))
    with django_assert_num_queries(1):
        series = selectors.comparison_series(indicators=[setup.cost, setup.wait, setup.but], years=[2025, 2026])
    assert [s.label for s in series[setup.cost.pk]] == ["Riket", "Hässleholm"]
    assert series[setup.cost.pk][0].values == {2026: Decimal("1700")}
    # A monthly indicator keeps the own municipality's yearly figure as a comparison.
    assert [s.label for s in series[setup.wait.pk]] == ["Riket", "Helsingborg"]
    assert setup.but.pk not in series


def test_no_indicators_or_years_no_query(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert selectors.comparison_series(indicators=[], years=[2026]) == {}
