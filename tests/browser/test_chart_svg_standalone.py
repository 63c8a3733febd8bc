"""A trend chart opened on its own URL in Chromium (say, "open image in new tab"): the SVG is then
a document under its own response's Content-Security-Policy, and its inline styles (matplotlib's
<style> element and style attributes) must apply, or the chart loses its lines and colours."""

import re

import pytest

from reporting import charts
from reporting.models import ReportingRound

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_chart_opened_on_its_own_keeps_its_styles(page, live_server, demo, login):
    t2 = ReportingRound.objects.get(name="Delårsrapport T2 2026")
    login("ledamot")
    page.wait_for_url(f"{live_server.url}/malrapport/{t2.pk}/")
    page.locator("#goal-report-table tbody tr th a").first.click()
    page.wait_for_url(re.compile(rf"/malrapport/{t2.pk}/mal/\d+/$"))
    source = page.locator("figure.chart img").first.get_attribute("src")

    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    response = page.goto(live_server.url + source)
    page.wait_for_load_state("networkidle")
    assert response.status == 200 and response.headers["content-type"] == "image/svg+xml"
    assert refused == []
    # The value line is drawn with a style attribute: applied, its stroke is the line's colour.
    stroke = page.evaluate(
        "colour => { const line = [...document.querySelectorAll('path[style]')]"
        ".find(p => p.getAttribute('style').includes(colour));"
        " return line ? getComputedStyle(line).stroke : null; }", charts.LINE_COLOUR)
    assert stroke == "rgb(29, 78, 216)"
    assert page.locator("script").count() == 0
