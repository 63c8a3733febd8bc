"""Drawn charts are remembered by what they show (reporting.charts.rendered_chart) and carry that
fingerprint as their ETag: the same chart is drawn once, a changed value draws a new one, a
browser that has the chart gets a 304, and an adopted report's chart stays as adopted."""

import pytest
from django.core.cache import cache
from django.utils import translation

from reporting import charts
from scorecards.models import Measurement
from tests.reporting.test_board_views import adopt, chart_url
from tests.reporting.test_evidence import report_world  # noqa: F401  (fixture)


@pytest.fixture
def drawings(monkeypatch):
    """An empty cache, and the charts drawn while the test runs (by title and format)."""
    cache.clear()
    drawn = []
    draw = charts.render_chart

    def counting(chart, fmt="svg"):
        drawn.append((chart.title, fmt))
        return draw(chart, fmt)

    monkeypatch.setattr(charts, "render_chart", counting)
    yield drawn
    cache.clear()


@pytest.fixture
def chart(report_world):
    return chart_url(report_world.family.mandated_link, report_world.round)


def test_the_same_chart_is_drawn_once(client, report_world, board_member, drawings, chart):
    client.force_login(board_member)
    first, second = client.get(chart), client.get(chart)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert len(drawings) == 1
    client.get(chart_url(report_world.family.mandated_link, report_world.round, fmt="png"))
    assert [fmt for _, fmt in drawings] == ["svg", "png"]


def test_a_changed_value_is_a_new_chart(client, report_world, board_member, drawings, chart):
    client.force_login(board_member)
    before = client.get(chart)
    Measurement.objects.filter(unit=report_world.org.family, indicator=report_world.mandated).update(value=99)
    after = client.get(chart)
    assert before["ETag"] != after["ETag"] and before.content != after.content
    assert len(drawings) == 2


def test_a_browser_that_has_the_chart_gets_a_304_without_a_drawing(client, report_world, board_member, drawings,
                                                                    chart):
    client.force_login(board_member)
    etag = client.get(chart)["ETag"]
    again = client.get(chart, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert len(drawings) == 1
    Measurement.objects.filter(unit=report_world.org.family, indicator=report_world.mandated).update(value=99)
    changed = client.get(chart, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_fingerprint_covers_the_format_and_the_language(report_world, board_member):
    chart = charts.indicator_chart(user=board_member, link_pk=report_world.family.mandated_link.pk,
                                   round_pk=report_world.round.pk)
    with translation.override("sv"):
        swedish = charts.chart_fingerprint(chart, "svg")
        assert charts.chart_fingerprint(chart, "png") != swedish
    with translation.override("en"):
        assert charts.chart_fingerprint(chart, "svg") != swedish


def test_an_adopted_reports_chart_keeps_its_drawing(client, report_world, board_member, controller, drawings, chart):
    adopt(report_world, controller)
    client.force_login(board_member)
    adopted = client.get(chart)
    Measurement.objects.filter(unit=report_world.org.family, indicator=report_world.mandated).update(value=99)
    assert client.get(chart)["ETag"] == adopted["ETag"]
    assert len(drawings) == 1
