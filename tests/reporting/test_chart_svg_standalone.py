"""An SVG chart opened on its own URL (not inside a page) is a document of its own, under the
Content-Security-Policy of its own response. matplotlib draws with inline styles (a <style>
element and style attributes), which the site's strict policy (style-src 'self') blocks: the
chart would lose its colours, lines and fills. The chart's response therefore has a policy of its
own that allows inline styles and nothing else at all, and the SVG holds no script."""

import re

import pytest

from tests.reporting.test_board_views import chart_url, report_url
from tests.reporting.test_evidence import report_world  # noqa: F401  (fixture)


def directives(policy):
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.fixture
def svg_response(client, report_world, board_member):  # noqa: F811
    client.force_login(board_member)
    response = client.get(chart_url(report_world.family.mandated_link, report_world.round))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    return response


def test_the_svg_uses_inline_styles(svg_response):
    # What the policy below is for: if matplotlib ever stops, the policy can become stricter.
    svg = svg_response.content.decode()
    assert "<style" in svg or re.search(r'\sstyle="', svg)


def test_the_svg_charts_policy_allows_its_inline_styles_and_nothing_else(svg_response):
    policy = directives(svg_response["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert "script-src" not in policy  # falls back to default-src 'none'
    assert policy["frame-ancestors"] == ["'none'"]
    assert set(policy) <= {"default-src", "style-src", "frame-ancestors", "base-uri", "form-action"}


def test_the_svg_holds_no_script_handler_or_external_reference(svg_response):
    svg = svg_response.content.decode().lower()
    assert "<script" not in svg
    assert not re.search(r"\son\w+\s*=", svg)
    assert "javascript:" not in svg
    assert not re.search(r'(?:href|src)\s*=\s*"(?!#)', svg)
    assert "<foreignobject" not in svg


def test_a_revalidated_svg_chart_keeps_its_policy(client, svg_response, report_world):  # noqa: F811
    again = client.get(chart_url(report_world.family.mandated_link, report_world.round),
                       HTTP_IF_NONE_MATCH=svg_response["ETag"])
    assert again.status_code == 304
    assert directives(again["Content-Security-Policy"])["style-src"] == ["'unsafe-inline'"]


def test_the_png_chart_and_the_pages_keep_the_strict_policy(client, report_world, board_member):  # noqa: F811
    client.force_login(board_member)
    png = client.get(chart_url(report_world.family.mandated_link, report_world.round, fmt="png"))
    assert "'unsafe-inline'" not in png["Content-Security-Policy"]
    page = client.get(report_url(report_world))
    assert page.status_code == 200
    assert directives(page["Content-Security-Policy"])["style-src"] == ["'self'"]
