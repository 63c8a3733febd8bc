"""Journey 1 in Chromium, on the demo data: a team member (medarbetare, Team Norr in
Familjebehandling) works with the team's activities and writes the team's follow-up in the open
round, and every page passes the axe check. Texts are located by ids, roles and data, since the
interface strings are English msgids until the Swedish catalogue arrives."""

import re

import pytest

from reporting.models import FollowUp
from scorecards.models import Activity, ActivityStatus

pytestmark = pytest.mark.browser

OPEN_ROUND = "Delårsrapport T2 2026"
GOAL_TO_FOLLOW_UP = "Barn och föräldrar upplever att insatsen gör skillnad"


def table_titles(page):
    return [text.strip() for text in page.locator("#activities tbody tr td:first-child").all_inner_texts()]


def test_team_member_works_with_activities_and_writes_the_follow_up(demo, page, live_server, login,
                                                                     assert_accessible):
    team_titles = sorted(Activity.objects.filter(team__name="Team Norr").values_list("title", flat=True))
    ongoing = sorted(Activity.objects.filter(team__name="Team Norr", status=ActivityStatus.ONGOING)
                     .values_list("title", flat=True))

    # Logging in lands on "Vårt team".
    login("medarbetare")
    assert page.url == f"{live_server.url}/team/"
    assert page.locator("h1").inner_text() == "Team Norr"
    assert OPEN_ROUND in page.locator("#open-round").inner_text()
    assert table_titles(page) == team_titles
    assert_accessible("team page")

    # Filter by status, then sort the filtered table by title, descending.
    page.locator("input[name=status][value=ongoing]").check()
    page.locator("#activity-filter button[type=submit]").click()
    page.wait_for_load_state()
    assert table_titles(page) == ongoing
    page.locator("#activity-filter a").click()  # show all again
    page.wait_for_load_state()
    assert table_titles(page) == team_titles
    page.locator("#activities thead th").first.locator("a").click()
    page.wait_for_load_state()
    assert "sort=-title" in page.url
    assert table_titles(page) == sorted(team_titles, reverse=True)
    assert page.locator("#activities thead th").first.get_attribute("aria-sort") == "descending"
    assert_accessible("team page, sorted")

    # Create an activity tied to a goal; a missing goal is explained first.
    page.locator("#new-activity").click()
    page.wait_for_load_state()
    assert_accessible("new activity form")
    page.locator("#id_title").fill("Öppen förmiddag för nyblivna föräldrar")
    page.locator("#id_expected_citizen_value").fill("Föräldrar får stöd innan problemen växer")
    page.locator("#activity-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert_accessible("new activity form with errors")
    page.get_by_label(re.compile(GOAL_TO_FOLLOW_UP)).check()
    page.locator("#id_start_date").fill("2026-09-01")
    page.locator("#activity-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Öppen förmiddag för nyblivna föräldrar"
    assert page.locator("#activity-status .status-activity-planned").is_visible()
    assert_accessible("activity page")
    created = Activity.objects.get(title="Öppen förmiddag för nyblivna föräldrar")
    assert created.team.name == "Team Norr" and [g.title for g in created.goals.all()] == [GOAL_TO_FOLLOW_UP]

    # Edit it.
    page.locator("#edit-activity").click()
    page.wait_for_load_state()
    assert page.locator("#id_title").input_value() == "Öppen förmiddag för nyblivna föräldrar"
    assert_accessible("edit activity form")
    page.locator("#id_title").fill("Öppen förmiddag för nyblivna föräldrar på familjecentralen")
    page.locator("#activity-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Öppen förmiddag för nyblivna föräldrar på familjecentralen"

    # Log progress that changes the status.
    page.locator("#id_update-text").fill("Första förmiddagen hölls med sju föräldrar och deras bebisar.")
    page.locator("#id_update-status_after").select_option("ongoing")
    page.locator("#update-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#activity-status .status-activity-ongoing").is_visible()
    assert "sju föräldrar" in page.locator("#activity-log").inner_text()
    assert_accessible("activity page after an update")
    created.refresh_from_db()
    assert created.status == ActivityStatus.ONGOING and created.updates.count() == 1

    # Back to the team page, and on to the follow-up of a goal in the open round.
    page.locator("nav.breadcrumb a").click()
    page.wait_for_load_state()
    page.locator("#follow-ups").get_by_role("link", name=GOAL_TO_FOLLOW_UP).click()
    page.wait_for_load_state()
    assert OPEN_ROUND in page.locator(".lead").inner_text()
    assert page.locator("#follow-up-state .status-followup-none").is_visible()
    assert_accessible("follow-up form")

    # Submitting without the required parts shows the service's field errors.
    page.locator("#id_learning").fill("Kvällstid passar fler föräldrar.")
    page.locator("#submit-follow-up").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_what_we_did_errors").is_visible()
    assert page.locator("#id_learning").input_value() == "Kvällstid passar fler föräldrar."
    assert_accessible("follow-up form with errors")

    # Save a draft, then submit it.
    page.locator("#id_what_we_did").fill("Vi har haft uppföljningssamtal med alla familjer efter avslutad insats.")
    page.locator("#id_effect_for_citizens").fill("Föräldrarna säger att de vet vart de ska vända sig.")
    page.locator("#id_next_step").fill("Samma samtal införs för Team Söder.")
    page.locator("#save-draft").click()
    page.wait_for_load_state()
    assert page.locator("#follow-up-state .status-followup-draft").is_visible()
    assert_accessible("follow-up draft")
    page.locator("#id_self_assessment").select_option("partly")
    page.locator("#submit-follow-up").click()
    page.wait_for_load_state()
    assert page.locator("#follow-up-state .status-followup-submitted").is_visible()
    assert page.locator("#follow-up-form").count() == 0
    assert "uppföljningssamtal" in page.locator("#follow-up-texts").inner_text()
    assert_accessible("submitted follow-up")
    follow_up = FollowUp.objects.get(round__name=OPEN_ROUND, org_unit__name="Team Norr",
                                     scorecard_goal__title=GOAL_TO_FOLLOW_UP)
    assert follow_up.state == FollowUp.State.SUBMITTED and follow_up.self_assessment == "partly"

    # The team page shows the new state.
    page.locator("nav.breadcrumb a").click()
    page.wait_for_load_state()
    row = page.locator("#follow-ups tbody tr").filter(has_text=GOAL_TO_FOLLOW_UP)
    assert row.locator(".status-followup-submitted").is_visible()


def test_team_member_cannot_open_another_teams_activity(demo, page, live_server, login):
    other = Activity.objects.filter(team__name="Team Söder").order_by("pk").first()
    before = (other.title, other.status, other.version, other.updates.count())
    login("medarbetare")
    response = page.goto(f"{live_server.url}/aktiviteter/{other.pk}/")
    assert response.status == 404
    assert other.title not in page.content()
    response = page.goto(f"{live_server.url}/aktiviteter/{other.pk}/andra/")
    assert response.status == 404
    other.refresh_from_db()
    assert (other.title, other.status, other.version, other.updates.count()) == before
