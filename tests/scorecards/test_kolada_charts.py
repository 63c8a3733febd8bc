"""Comparison values (Kolada) in the indicator trend charts and in the table beside them."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from reporting import charts
from scorecards.models import ComparisonValue, ScorecardIndicator
from scorecards.selectors import ComparisonSeries
from tests.reporting.test_evidence import period, report_world  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_a_yearly_comparison_is_drawn_over_the_periods_of_its_year(db, year_2026):
    indicator = SimpleNamespace(name="Väntetid", decimals=1, unit_symbol="dagar", direction="decrease",
                                period_kind="month")
    series = [(period(year_2026, "month", m), Decimal(v)) for m, v in ((1, "14"), (2, "13"))]
    chart = charts.build_chart(indicator=indicator, unit=SimpleNamespace(name="Ekonomiskt bistånd"), series=series,
                               target=None, comparisons=[ComparisonSeries("0000", "Riket", "country", {2026: Decimal("15.2")}),
                                                         ComparisonSeries("1293", "Hässleholm", "municipality", {2025: 1})])
    (line,) = chart.comparisons  # Hässleholm has no value for 2026: no line
    assert line.label.startswith("Riket")
    assert [p.text for p in line.points] == ["15,2 dagar", "15,2 dagar"]
    assert chart.table_rows[0][1] == ["15,2 dagar"]
    assert "Riket" in chart.description
    svg = charts.render_chart(chart, "svg").decode()
    assert "Riket" in svg


def test_charts_without_comparisons_are_unchanged(db, year_2026):
    indicator = SimpleNamespace(name="X", decimals=0, unit_symbol="", direction="increase")
    chart = charts.build_chart(indicator=indicator, unit=SimpleNamespace(name="U"),
                               series=[(period(year_2026, "month", 1), Decimal(1))], target=None)
    assert chart.comparisons == ()
    assert chart.table_rows[0][1] == []


def test_the_drill_down_and_its_chart_show_the_kolada_comparison(client, report_world, board_member):
    world = report_world
    world.mandated.kolada_kpi = "U28532"
    world.mandated.save()
    ComparisonValue.objects.create(kpi="U28532", area_code="0000", area_name="Riket", area_kind="country", year=2026,
                                   gender="T", value=Decimal("87.5"))
    ComparisonValue.objects.create(kpi="U28532", area_code="0000", area_name="Riket", area_kind="country", year=2026,
                                   gender="K", value=Decimal("99"))  # only totals are shown
    client.force_login(board_member)
    html = client.get(reverse("reporting:goal-report-goal", args=[world.round.pk, world.goal_support.pk])).content.decode()
    assert "Riket" in html
    assert "87,5 %" in html and "99,0 %" not in html
    link = ScorecardIndicator.objects.filter(indicator=world.mandated).first()
    svg = client.get(reverse("reporting:indicator-chart", args=[link.pk, world.round.pk])).content.decode()
    assert "Riket" in svg
