"""Trend charts (reporting.charts): what they show, their text alternative, that drawing shares
nothing between threads, and that reading a chart's data follows the user's scope."""

import datetime
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from reporting import charts
from reporting.models import ReportingRound
from scorecards.models import ScorecardIndicator
from tests.reporting.test_evidence import add_yearly_indicator, period, report_world  # noqa: F401  (fixture)


def fake_period(label):
    return SimpleNamespace(label=label)


def fake_indicator(**overrides):
    fields = {"name": "Andel klara utredningar", "decimals": 1, "unit_symbol": "%", "direction": "increase"}
    fields.update(overrides)
    return SimpleNamespace(**fields)


def fake_target(value, target_max=None):
    return SimpleNamespace(target_value=Decimal(value), target_max=None if target_max is None else Decimal(target_max))


UNIT = SimpleNamespace(name="Familjebehandling")
SERIES = [(fake_period("jan 2026"), Decimal("70.5")), (fake_period("feb 2026"), None),
          (fake_period("mar 2026"), Decimal("82"))]


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def make_chart(series=SERIES, target=fake_target(80), **indicator):
    return charts.build_chart(indicator=fake_indicator(**indicator), unit=UNIT, series=series, target=target)


# --- the data and its text alternative -----------------------------------------------------------------

def test_points_keep_the_swedish_period_labels_and_missing_values():
    chart = make_chart()
    assert [p.label for p in chart.points] == ["jan 2026", "feb 2026", "mar 2026"]
    assert [p.text for p in chart.points] == ["70,5 %", "", "82,0 %"]


def test_the_description_names_the_indicator_the_latest_value_and_the_target():
    description = make_chart().description
    assert "Andel klara utredningar" in description and "Familjebehandling" in description
    assert "82,0 %" in description and "mar 2026" in description and "≥ 80,0 %" in description


def test_a_chart_without_values_says_so():
    chart = make_chart(series=[(fake_period("T1 2026"), None)], target=None)
    assert not chart.has_values
    assert chart.target_text == ""
    assert chart.description  # still a text alternative
    assert charts.render_chart(chart).lstrip().startswith(b"<?xml")


@pytest.mark.parametrize("direction,target,expected", [
    ("increase", fake_target(90), "≥ 90,0 %"),
    ("decrease", fake_target(14), "≤ 14,0 %"),
    ("target", fake_target(70, 80), "70,0–80,0 %"),
    ("target", fake_target(75), "75,0 %"),
    ("increase", fake_target(0), "≥ 0,0 %"),
    ("decrease", fake_target(-5), "≤ -5,0 %"),
])
def test_targets_read_as_words_a_board_member_understands(direction, target, expected):
    assert charts.format_target(target, fake_indicator(direction=direction)) == expected


def test_the_target_band_is_kept_only_for_closer_to_target():
    assert make_chart(target=fake_target(70, 80), direction="target").target_max == Decimal(80)
    assert make_chart(target=fake_target(70, 80), direction="increase").target_max is None


def test_values_are_formatted_with_the_indicators_decimals_and_unit():
    indicator = fake_indicator(decimals=0, unit_symbol="dagar")
    assert charts.format_value(Decimal("12.4"), indicator) == "12 dagar"
    assert charts.format_value(None, indicator) == ""
    assert charts.format_value(Decimal("3"), fake_indicator(unit_symbol="")) == "3,0"


# --- drawing ------------------------------------------------------------------------------------------

def test_the_svg_is_well_formed_and_carries_the_title_and_period_labels():
    svg = charts.render_chart(make_chart(target=fake_target(70, 80), direction="target"), "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = svg.decode()
    # matplotlib draws text as paths and keeps the words beside them as comments.
    assert "Andel klara utredningar – Familjebehandling" in text and "feb 2026" in text


def test_the_png_is_a_png():
    assert charts.render_chart(make_chart(), "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        charts.render_chart(make_chart(), "gif")


def test_the_same_chart_gives_the_same_bytes():
    assert charts.render_chart(make_chart()) == charts.render_chart(make_chart())


def test_charts_drawn_in_parallel_threads_do_not_disturb_each_other():
    variants = [make_chart(), make_chart(series=SERIES[:1]), make_chart(target=None),
                make_chart(target=fake_target(70, 80), direction="target")]

    def draw(chart):
        with translation.override("sv"):
            return charts.render_chart(chart)

    expected = [draw(chart) for chart in variants]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(draw, variants * 6))
    assert results == expected * 6


def test_charts_do_not_use_pyplots_global_state():
    import matplotlib

    assert matplotlib.get_backend().lower() == "agg"
    assert not any(getattr(value, "__name__", "") == "matplotlib.pyplot" for value in vars(charts).values())


# --- reading a chart's data (scoped) --------------------------------------------------------------------

def test_the_chart_of_a_monthly_indicator_runs_to_the_end_of_the_round(report_world, board_member):
    chart = charts.indicator_chart(user=board_member, link_pk=report_world.investigation.mandated_link.pk,
                                   round_pk=report_world.round.pk)
    assert len(chart.points) == 8 and chart.points[-1].label == "aug 2026"
    assert [p.value for p in chart.points][-4:] == [92, 94, None, 95]
    assert chart.target_value == 90 and chart.target_text == "≥ 90,0 %"


def test_a_unit_specific_target_overrides_the_default(report_world, board_member):
    from scorecards.models import Target

    Target.objects.create(indicator=report_world.mandated, year=report_world.year, unit=report_world.org.family,
                          target_value=75)
    chart = charts.indicator_chart(user=board_member, link_pk=report_world.family.mandated_link.pk,
                                   round_pk=report_world.round.pk)
    assert chart.target_value == 75


def test_the_chart_of_another_units_indicator_is_not_found_for_a_unit_manager(report_world, unit_manager):
    with pytest.raises(ScorecardIndicator.DoesNotExist):
        charts.indicator_chart(user=unit_manager, link_pk=report_world.investigation.mandated_link.pk,
                               round_pk=report_world.round.pk)


def test_an_outsider_finds_no_chart(report_world, outsider):
    with pytest.raises((ScorecardIndicator.DoesNotExist, ReportingRound.DoesNotExist)):
        charts.indicator_chart(user=outsider, link_pk=report_world.family.mandated_link.pk,
                               round_pk=report_world.round.pk)


def test_a_round_of_another_year_has_no_chart_of_this_years_scorecard(report_world, board_member):
    from tests.conftest import make_year

    year_2025 = make_year(2025)
    old_round = ReportingRound.objects.create(board=report_world.org.board, period=period(year_2025, "year", 1),
                                              name="Verksamhetsberättelse 2025", deadline=datetime.date(2026, 2, 15))
    with pytest.raises(ScorecardIndicator.DoesNotExist):
        charts.indicator_chart(user=board_member, link_pk=report_world.family.mandated_link.pk, round_pk=old_round.pk)


def test_the_chart_of_a_yearly_indicator_shows_the_year_it_is_judged_on(report_world, board_member):
    link = add_yearly_indicator(report_world)
    chart = charts.indicator_chart(user=board_member, link_pk=link.pk, round_pk=report_world.round.pk)
    assert [(p.label, p.value) for p in chart.points] == [("2026", 84)]
