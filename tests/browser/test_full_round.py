"""A whole reporting round in Chromium, on the demo data, from the teams' follow-ups to the board's
decision (docs/architecture.md §5): a team member submits a follow-up, the unit manager approves it and
submits the unit's part, the controller closes the round, assesses every political goal, marks
the report ready and records the board's decision (§ 45). The adopted report is frozen: its
workbook opens with openpyxl, and the scorecard grid refuses to change a value the adopted report
shows, so the report says what the board decided. The compile pages pass the axe-core check.

Elements are located by ids, names and data (the interface strings are English msgids until the
Swedish catalogue arrives)."""

import datetime
import re
from decimal import Decimal

import openpyxl
import pytest

from governance.models import OrgUnit, Period
from reporting.models import BoardReport, FollowUp, ReportingRound, UnitReport
from scorecards.models import Measurement, Scorecard

pytestmark = pytest.mark.browser

OPEN_ROUND = "Delårsrapport T2 2026"
GOAL_TO_FOLLOW_UP = "Barn och föräldrar upplever att insatsen gör skillnad"
ASSESSMENTS = ["partly", "attained", "partly", "too_early", "not_attained", "partly"]


def switch_user(page, login, username):
    page.context.clear_cookies()
    return login(username)


def goal_forms(page):
    return page.locator("form.compile-form[id^='goal-'][id$='-form']")


def frozen_value_cell(page, unit_name, indicator_name):
    section = page.locator("section.unit-contribution").filter(
        has=page.locator("h3", has_text=re.compile(rf"^{re.escape(unit_name)}$")))
    row = section.locator("table.indicators tbody tr").filter(
        has=page.locator("th", has_text=re.compile(rf"^{re.escape(indicator_name)}$")))
    return row.locator("td.number")


def test_a_whole_round_from_follow_up_to_adoption(page, live_server, demo, login, assert_accessible, tmp_path):
    t2 = ReportingRound.objects.get(name=OPEN_ROUND)
    family = OrgUnit.objects.get(external_code="FAM-01")
    base = live_server.url

    # 1. The team member writes and submits a follow-up in the open round.
    switch_user(page, login, "medarbetare")
    page.goto(f"{base}/team/")
    page.locator("#follow-ups").get_by_role("link", name=GOAL_TO_FOLLOW_UP).click()
    page.wait_for_load_state()
    page.locator("#id_what_we_did").fill("Vi har haft uppföljningssamtal med alla familjer efter avslutad insats.")
    page.locator("#id_effect_for_citizens").fill("Föräldrarna säger att de vet vart de ska vända sig.")
    page.locator("#id_self_assessment").select_option("partly")
    page.locator("#submit-follow-up").click()
    page.wait_for_load_state()
    assert page.locator("#follow-up-state .status-followup-submitted").is_visible()
    follow_up = FollowUp.objects.get(round=t2, org_unit__name="Team Norr", scorecard_goal__title=GOAL_TO_FOLLOW_UP)
    assert follow_up.state == FollowUp.State.SUBMITTED

    # 2. The unit manager approves everything waiting and submits the unit's part.
    switch_user(page, login, "enhetschef")
    page.goto(f"{base}/enheter/{family.pk}/omgangar/{t2.pk}/granskning/")
    waiting = page.locator("article.follow-up").filter(has=page.locator("form.review-form"))
    assert waiting.filter(has_text="Team Norr").count() >= 1
    while waiting.count():
        waiting.first.locator("button[value=approve]").click()
        page.wait_for_url(re.compile(r"/granskning/$"))
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.APPROVED
    page.goto(f"{base}/enheter/{family.pk}/omgangar/{t2.pk}/")
    page.locator("#id_summary").fill("Grupperna är igång igen efter sommaren.")
    page.locator("#submit-unit-report").click()
    page.wait_for_url(re.compile(rf"/omgangar/{t2.pk}/$"))
    assert UnitReport.objects.get(round=t2, unit=family).state == UnitReport.State.SUBMITTED

    # 3. The controller closes the round and opens the compile page from the goal report.
    switch_user(page, login, "strateg")
    page.goto(f"{base}/omgangar/{t2.pk}/")
    page.locator("#close-round button").click()
    page.wait_for_url(f"{base}/omgangar/{t2.pk}/")
    t2.refresh_from_db()
    assert t2.state == ReportingRound.State.CLOSED
    page.goto(f"{base}/malrapport/{t2.pk}/")
    page.locator("#compile-link").click()
    page.wait_for_url(f"{base}/malrapport/{t2.pk}/sammanstall/")
    assert page.locator("h1").count() == 1
    assert page.locator(".compile-suggestion").count() == goal_forms(page).count() == 6
    assert_accessible("compile page")

    # 4. Marking it ready too early lists the goals without an assessment.
    page.locator("#ready-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#ready-errors").is_visible()
    assert_accessible("compile page, mark ready refused")

    # 5. An assessment and a motivation for every goal, the summary, then ready.
    for index, assessment in enumerate(ASSESSMENTS):
        form = goal_forms(page).nth(index)
        form_id = form.get_attribute("id")
        form.locator("select").select_option(assessment)
        form.locator("textarea").fill(f"Strategens bedömning nummer {index + 1}, grundad på underlaget.")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(f"#{form_id.removesuffix('-form')}-saved .status-{assessment}").is_visible()
    page.locator("#id_summary-summary").fill("Tertialet präglades av högt inflöde under sommaren.")
    page.locator("#summary-form button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#ready-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#decision-form").is_visible()
    report = BoardReport.objects.get(round=t2)
    assert report.state == BoardReport.State.READY
    assert_accessible("compile page, ready for the board")

    # 6. The board's decision, first without its paragraph, then complete: the report is frozen.
    page.locator("#id_decision-adopted_on").fill("2026-12-15")
    page.locator("#decision-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_decision-minute_paragraph_errors").is_visible()
    assert page.locator("#id_decision-adopted_on").input_value() == "2026-12-15"
    assert_accessible("compile page, decision with an error")
    page.locator("#id_decision-minute_paragraph").fill("§ 45")
    page.locator("#decision-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#frozen-notice").is_visible()
    assert page.locator("#correction-form").is_visible() and page.locator("form.compile-form").count() == 0
    assert "§ 45" in page.locator("#decision-facts").inner_text()
    report.refresh_from_db()
    assert report.state == BoardReport.State.ADOPTED and report.adopted_on == datetime.date(2026, 12, 15)
    assert_accessible("compile page, adopted")

    # 7. The workbook of the adopted report opens with openpyxl.
    if page.locator("#workbook-link").count():
        with page.expect_download() as download:
            page.locator("#workbook-link").click()
        path = tmp_path / "arbetsbok.xlsx"
        download.value.save_as(path)
        workbook = openpyxl.load_workbook(path)
        assert "Översikt" in workbook.sheetnames
        overview = " ".join(str(c.value) for row in workbook["Översikt"].iter_rows() for c in row if c.value)
        assert "§ 45" in overview

    # 8. The adoption locked the values it shows: the grid refuses to change one, with the reason on
    #    the row, and the adopted report reads as before.
    row, goal_id = next((r, g["id"]) for g in report.snapshot["goals"] for r in g["indicators"]
                        if r["unit"]["name"] == family.name and r["value"] not in (None, ""))
    period = next(p for p in Period.objects.filter(year__year=2026) if p.label == row["period"])
    page.goto(f"{base}/malrapport/{t2.pk}/mal/{goal_id}/")
    cell = frozen_value_cell(page, family.name, row["name"])
    adopted_text = cell.first.inner_text()
    assert adopted_text.strip() not in ("", "–")
    switch_user(page, login, "enhetschef")
    scorecard = Scorecard.objects.get(unit=family, year__year=2026)
    page.goto(f"{base}/styrkort/{scorecard.pk}/utfall/{period.pk}/")
    old = Decimal(row["value"])
    new = old - 3 if old >= 3 else old + 3
    page.locator(f"#id_row-{row['indicator_id']}-value").fill(str(new).replace(".", ","))
    page.locator("#grid-form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    assert page.locator(f"#row-{row['indicator_id']}-errors").is_visible()
    assert Measurement.objects.get(indicator_id=row["indicator_id"], unit=family, period=period).value == old
    assert_accessible("value grid, locked value refused")
    switch_user(page, login, "strateg")
    page.goto(f"{base}/malrapport/{t2.pk}/mal/{goal_id}/")
    assert frozen_value_cell(page, family.name, row["name"]).first.inner_text() == adopted_text
    assert page.locator("#frozen-notice").is_visible()
    page.goto(f"{base}/malrapport/{t2.pk}/sammanstall/")
    assert page.locator("#frozen-notice").is_visible()
    report.refresh_from_db()
    assert report.state == BoardReport.State.ADOPTED
