"""The board member's journey in Chromium, on the demo data: landing on the goal report of the
latest round, the divergence signal in words, the drill-down into one goal with its trend charts
and their text alternatives, and choosing an earlier round. Every page passes the axe-core check."""

import re

import pytest

from governance.models import PoliticalGoal
from reporting.models import ReportingRound

pytestmark = pytest.mark.browser


def test_board_member_reads_the_goal_report_and_drills_into_a_goal(page, live_server, demo, login, assert_accessible):
    t2 = ReportingRound.objects.get(name="Delårsrapport T2 2026")
    login("ledamot")

    # 1. Landing on the goal report of the latest round: one row per political goal.
    page.wait_for_url(f"{live_server.url}/malrapport/{t2.pk}/")
    assert page.locator("h1").count() == 1 and "Delårsrapport T2 2026" in page.locator("h1").inner_text()
    goals = PoliticalGoal.objects.filter(board=t2.board, valid_from__lte=2026, valid_to__gte=2026)
    rows = page.locator("#goal-report-table tbody tr")
    assert rows.count() == goals.count()
    for i in range(rows.count()):
        for badge in rows.nth(i).locator(".status").all():
            assert badge.inner_text().strip(), "every status has a word beside its colour"
    assert_accessible("goal report")

    # 2. The divergence signal in words, naming where the numbers and the words disagree.
    diverging = rows.filter(has=page.locator(".divergence-text"))
    assert diverging.count() >= 1
    signal = diverging.first.locator(".divergences li").first.inner_text()
    assert ":" in signal and len(signal.split(":", 1)[1].strip()) > 10  # a sentence, not a colour
    goal_title = diverging.first.locator("th a").inner_text()

    # 3. Drilling into the goal: the contributing units, their indicators, texts and activities.
    diverging.first.locator("th a").click()
    page.wait_for_url(re.compile(rf"/malrapport/{t2.pk}/mal/\d+/$"))
    assert page.locator("h1").inner_text() == goal_title
    assert page.locator(".unit-contribution").count() >= 1
    assert page.locator("table.indicators tbody tr").count() >= 1
    assert page.locator(".divergence-text").count() >= 1
    assert page.locator("article.follow-up dl.texts").count() >= 1

    # 4. A trend chart served by the app, with its text alternative beside it.
    figure = page.locator("figure.chart").first
    image = figure.locator("img")
    assert "/diagram/indikator/" in image.get_attribute("src")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert len(image.get_attribute("alt")) > 40
    table = figure.locator("details.chart-data table")
    assert not table.is_visible()
    figure.locator("details.chart-data summary").click()
    assert table.is_visible() and table.locator("tbody th[scope=row]").count() >= 1
    assert re.match(r"^(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec) 2026$|^T\d 2026$|^2026$",
                    table.locator("tbody th").first.inner_text())
    response = page.request.get(live_server.url + image.get_attribute("src"))
    assert response.status == 200 and response.headers["content-type"] == "image/svg+xml"
    assert_accessible("goal drill-down")

    # 5. Back to the report and on to an earlier round through the chooser.
    page.locator("nav.breadcrumbs a").first.click()
    page.wait_for_url(f"{live_server.url}/malrapport/{t2.pk}/")
    t1 = ReportingRound.objects.get(name="T1 2026")
    page.locator("#id_round").select_option(str(t1.pk))
    page.locator("#round-chooser button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/malrapport/{t1.pk}/")
    assert "T1 2026" in page.locator("h1").inner_text()
    assert_accessible("goal report of an earlier round")


def test_board_member_cannot_manage_rounds(page, live_server, demo, login):
    t2 = ReportingRound.objects.get(name="Delårsrapport T2 2026")
    login("ledamot")
    assert page.locator("nav.main-nav a[href='/omgangar/']").count() == 0
    assert page.goto(f"{live_server.url}/omgangar/").status == 403
    assert page.goto(f"{live_server.url}/omgangar/{t2.pk}/").status == 403
    t2.refresh_from_db()
    assert t2.state == ReportingRound.State.OPEN


def test_unit_manager_sees_only_their_units_part_of_a_goal(page, live_server, demo, login):
    t2 = ReportingRound.objects.get(name="Delårsrapport T2 2026")
    goal = PoliticalGoal.objects.get(board=t2.board, code="1")
    login("enhetschef")
    page.goto(f"{live_server.url}/malrapport/{t2.pk}/mal/{goal.pk}/")
    units = page.locator(".unit-contribution h3").all_inner_texts()
    assert units == ["Familjebehandling"]
