"""The unit manager's journey in Chromium, on the demo data: "Mitt styrkort", a new unit goal and
an own indicator, the grid of values, the review of follow-ups, progress per team and the unit's
part of the round. Every page passes the axe-core check."""

import re

import pytest

from governance.models import OrgUnit
from scorecards.models import Measurement, Scorecard, ScorecardGoal
from reporting.models import FollowUp, ReportingRound, UnitReport

pytestmark = pytest.mark.browser

NEW_GOAL = "Fler familjer får kontakt med en behandlare inom en vecka"
NEW_INDICATOR = "Andel familjer med första träff inom en vecka"


def test_unit_manager_keeps_the_scorecard_reviews_and_submits_the_units_part(
        page, live_server, demo, login, assert_accessible):
    family = OrgUnit.objects.get(external_code="FAM-01")
    login("enhetschef")

    # 1. Landing on this year's scorecard, statuses with words beside the colours.
    page.wait_for_url(re.compile(r"/styrkort/\d+/$"))
    scorecard = Scorecard.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert scorecard.unit == family
    assert page.locator("h1").count() == 1
    badges = page.locator("table.indicators .status")
    assert badges.count() > 0
    for i in range(badges.count()):
        assert badges.nth(i).inner_text().strip(), "every status has a word"
    assert page.locator("table.indicators .status-met, table.indicators .status-partly, "
                        "table.indicators .status-not_met").count() > 0
    assert page.locator(".badge-mandated").count() > 0  # mandated indicators named as such
    assert_accessible("scorecard page")

    # 2. A new unit goal serving a political goal.
    page.locator("#add-goal").click()
    page.wait_for_url(re.compile(r"/mal/nytt/$"))
    assert_accessible("new unit goal")
    page.locator("#id_title").fill(NEW_GOAL)
    page.get_by_label("Invånare får rätt stöd i rätt tid").check()
    page.locator("#goal-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/styrkort/\d+/#goal-\d+$"))
    goal = ScorecardGoal.objects.get(scorecard=scorecard, title=NEW_GOAL)
    assert [g.title for g in goal.political_goals.all()] == ["Invånare får rätt stöd i rätt tid"]
    goal_card = page.locator(f"#goal-{goal.pk}")
    assert "Invånare får rätt stöd i rätt tid" in goal_card.inner_text()

    # 3. An own indicator under the new goal, with a target typed with a decimal comma.
    page.locator("#add-indicator").click()
    page.wait_for_url(re.compile(r"/indikatorer/ny/$"))
    assert_accessible("new own indicator")
    page.locator("#id_name").fill(NEW_INDICATOR)
    page.locator("#id_measure_unit").select_option("percent")
    page.locator("#id_goal").select_option(label=NEW_GOAL)
    page.locator("#id_target_value").fill("85,5")
    page.locator("#indicator-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/styrkort/\d+/#indicator-\d+$"))
    row = page.locator(f"#goal-{goal.pk} tr", has_text=NEW_INDICATOR)
    assert "85,5" in row.inner_text()

    # 4. The grid for the default period: a value with a decimal comma and a bad one.
    page.locator("#grid-chooser button[type=submit]").click()
    page.wait_for_url(re.compile(r"/utfall/\d+/$"))
    grid_url = page.url
    assert_accessible("grid of values")
    new_value = page.locator("tr", has_text=NEW_INDICATOR).locator("input[inputmode=decimal]")
    new_value.fill("87,5")
    other_row = page.locator("table.grid tbody tr").filter(has_not_text=NEW_INDICATOR).first
    other_input = other_row.locator("input[inputmode=decimal]")
    original = other_input.input_value()
    other_input.fill("sjuttio")
    page.locator("#grid-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == grid_url
    assert page.locator("#error-summary").is_visible()
    bad_row = page.locator("table.grid tr.row-error")
    assert bad_row.count() == 1 and bad_row.locator(".errorlist").is_visible()
    assert page.locator("tr", has_text=NEW_INDICATOR).locator("input[inputmode=decimal]").input_value() == "87,5"
    assert bad_row.locator("input[inputmode=decimal]").input_value() == "sjuttio"
    assert not Measurement.objects.filter(indicator__name=NEW_INDICATOR).exists()
    assert_accessible("grid with a row error")
    bad_row.locator("input[inputmode=decimal]").fill(original)
    page.locator("#grid-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/styrkort/\d+/$"))
    assert page.locator(".message-success").is_visible()
    assert Measurement.objects.get(indicator__name=NEW_INDICATOR).value == 87.5
    assert "87,5" in page.locator("tr", has_text=NEW_INDICATOR).inner_text()

    # 5. The review: return Team Norr's follow-up with a comment, approve the unit's own.
    reporting_round = ReportingRound.objects.get(state=ReportingRound.State.OPEN)
    page.locator(f"a[href$='/enheter/{family.pk}/omgangar/{reporting_round.pk}/granskning/']").first.click()
    page.wait_for_url(re.compile(r"/granskning/$"))
    assert_accessible("review of follow-ups")
    waiting = page.locator("article.follow-up").filter(has=page.locator("form.review-form"))
    assert waiting.count() == 2
    north = waiting.filter(has_text="Team Norr")
    north.locator("textarea").fill("Beskriv gärna vad familjerna själva sa om grupperna.")
    north.locator("button[value=return]").click()
    page.wait_for_url(re.compile(r"/granskning/$"))
    assert page.locator(".message-success").is_visible()
    remaining = page.locator("article.follow-up").filter(has=page.locator("form.review-form"))
    assert remaining.count() == 1
    remaining.locator("button[value=approve]").click()
    page.wait_for_url(re.compile(r"/granskning/$"))
    assert page.locator("#nothing-waiting").is_visible()
    returned = FollowUp.objects.get(round=reporting_round, org_unit__name="Team Norr")
    assert returned.state == FollowUp.State.RETURNED and "familjerna" in returned.review_comment
    assert not FollowUp.objects.filter(round=reporting_round, org_unit__path__startswith=family.path,
                                       state=FollowUp.State.SUBMITTED).exists()
    assert_accessible("review after the decisions")

    # 6. Progress per team, then the unit's part of the round.
    page.locator(f"a[href$='/enheter/{family.pk}/omgangar/{reporting_round.pk}/']").first.click()
    page.wait_for_url(re.compile(rf"/omgangar/{reporting_round.pk}/$"))
    progress = page.locator("#team-progress")
    for team in ("Team Norr", "Team Söder", "Ungdomsteamet"):
        assert progress.locator("tbody th", has_text=team).count() == 1
    assert_accessible("progress of the round")
    page.locator("#id_summary").fill("Tertialet präglades av sommarens personalbortfall, men grupperna är igång igen.")
    page.locator("#submit-unit-report").click()
    page.wait_for_url(re.compile(rf"/omgangar/{reporting_round.pk}/$"))
    assert page.locator("#unit-report-state .status-met").is_visible()
    assert UnitReport.objects.get(round=reporting_round, unit=family).state == UnitReport.State.SUBMITTED
    assert_accessible("progress after submitting")


def test_unit_manager_gets_404_on_another_units_scorecard_and_grid(page, live_server, demo, login):
    other = Scorecard.objects.filter(unit__external_code="BUT-01").select_related("year").latest("year__year")
    month = other.year.periods.filter(kind="month").first()
    login("enhetschef")
    assert page.goto(f"{live_server.url}/styrkort/{other.pk}/").status == 404
    assert page.goto(f"{live_server.url}/styrkort/{other.pk}/utfall/{month.pk}/").status == 404
