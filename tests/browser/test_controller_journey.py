"""The controller's journey in Chromium, on the demo data: the reporting rounds, the progress of
"Delårsrapport T2 2026" with the units and teams that have not reported, closing and reopening
it, and creating and opening the T3 2026 round. Every page passes the axe-core check."""

import re

import pytest

from reporting.models import ReportingRound, UnitReport

pytestmark = pytest.mark.browser


def test_controller_follows_up_closes_and_reopens_a_round_and_opens_a_new_one(
        page, live_server, demo, login, assert_accessible):
    t2 = ReportingRound.objects.get(name="Delårsrapport T2 2026")
    login("strateg")

    # 1. Landing on the reporting rounds, with state, deadline and progress.
    page.wait_for_url(f"{live_server.url}/omgangar/")
    assert page.locator("h1").count() == 1
    row = page.locator(f"#round-{t2.pk}")
    assert "11 december 2026" in row.inner_text()
    assert row.locator(".state-open").is_visible()
    submitted = UnitReport.objects.filter(round=t2, state=UnitReport.State.SUBMITTED).count()
    assert re.search(rf"\b{submitted}\b", row.locator("td.number").first.inner_text())
    assert_accessible("reporting rounds")

    # 2. The round's progress: which units and teams have not reported.
    row.locator("th a").click()
    page.wait_for_url(f"{live_server.url}/omgangar/{t2.pk}/")
    not_submitted = set(UnitReport.objects.filter(round=t2).exclude(state=UnitReport.State.SUBMITTED)
                        .values_list("unit__name", flat=True))
    assert not_submitted and set(page.locator("#units-not-reported li").all_inner_texts()) == not_submitted
    assert "Team Söder" in page.locator("#teams-not-reported").inner_text()
    assert page.locator("#progress-table tbody tr").count() >= len(not_submitted)
    assert_accessible("progress of the round")

    # 3. Closing the round, then reopening it.
    page.locator("#close-round button").click()
    page.wait_for_url(f"{live_server.url}/omgangar/{t2.pk}/")
    assert page.locator(".message-success").is_visible()
    assert page.locator("#round-state.state-closed").is_visible()
    t2.refresh_from_db()
    assert t2.state == ReportingRound.State.CLOSED
    assert_accessible("a closed round")
    page.locator("#open-round button").click()
    page.wait_for_url(f"{live_server.url}/omgangar/{t2.pk}/")
    assert page.locator("#round-state.state-open").is_visible()
    t2.refresh_from_db()
    assert t2.state == ReportingRound.State.OPEN

    # 4. A new round for T3 2026: first a mistake, then created and opened.
    page.locator("nav.breadcrumbs a").first.click()
    page.wait_for_url(f"{live_server.url}/omgangar/")
    page.locator("#new-round").click()
    page.wait_for_url(f"{live_server.url}/omgangar/ny/")
    assert_accessible("new round form")
    page.locator("#id_period").select_option(label="T3 2026")
    page.locator("#id_name").fill("T3 2026 och verksamhetsberättelse")
    page.locator("#round-form button[type=submit]").click()  # no deadline yet
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_name").input_value() == "T3 2026 och verksamhetsberättelse"
    assert_accessible("new round form with an error")
    page.locator("#id_deadline").fill("2027-01-22")
    page.locator("#round-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/omgangar/\d+/$"))
    t3 = ReportingRound.objects.get(name="T3 2026 och verksamhetsberättelse")
    assert t3.state == ReportingRound.State.PLANNED and str(t3.deadline) == "2027-01-22"
    page.locator("#open-round button").click()
    page.wait_for_url(f"{live_server.url}/omgangar/{t3.pk}/")
    t3.refresh_from_db()
    assert t3.state == ReportingRound.State.OPEN
    assert page.locator("#units-not-reported li").count() >= 1  # nobody has reported in a new round
    assert_accessible("the new round")


def test_controller_cannot_reach_a_round_that_does_not_exist(page, live_server, demo, login):
    login("strateg")
    assert page.goto(f"{live_server.url}/omgangar/999999/").status == 404
