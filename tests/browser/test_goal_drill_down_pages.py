"""A board member of a larger board in Chromium: the goal drill-down lists its units a page at a
time, the pager keeps the search, the search and the divergence filter narrow the list, and a
divergence line of the report leads to its unit. Every page passes the axe-core check."""

import re

import pytest

from fixtures import large_org

pytestmark = pytest.mark.browser


@pytest.fixture
def board(transactional_db):
    size = large_org.OrgSize(units=40, years=2, teams_per_unit=1, indicators_per_scorecard=3, goals_per_scorecard=2,
                             activities_per_team=1, updates_per_activity=1, political_goals=3)
    return large_org.generate_org(size, prefix="B40")


def shown_units(page):
    return page.locator(".unit-contribution h3").all_inner_texts()


def test_the_drill_down_of_a_large_board_is_paged_and_searchable(page, live_server, login, assert_accessible, board):
    reporting_round = board.latest_round
    login(board.users["board_member"].username, large_org.DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/malrapport/{reporting_round.pk}/")

    # The divergence lines name their units as links into the drill-down.
    link = page.locator(".divergences a").first
    unit_name = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(rf"/malrapport/{reporting_round.pk}/mal/\d+/\?unit=\d+#unit-\d+$"))
    assert shown_units(page) == [unit_name]
    assert_accessible("drill-down of one unit")
    page.get_by_role("link", name="Visa alla enheter").click()

    # Twenty units a page, and the pager.
    page.wait_for_load_state("networkidle")
    first_page = shown_units(page)
    assert len(first_page) == 20
    count = page.locator("#unit-count").inner_text()
    total = int(re.search(r"av (\d+)", count).group(1))
    assert total > 20 and count.startswith("Visar enheterna 1–20 av")
    pager = page.get_by_role("navigation", name="Sidor med bidragande enheter")
    assert pager.is_visible()
    assert_accessible("drill-down, first page")
    pager.get_by_role("link", name="Nästa sida").click()
    page.wait_for_load_state("networkidle")
    second_page = shown_units(page)
    assert second_page and not set(second_page) & set(first_page)
    assert page.locator("#unit-count").inner_text().startswith("Visar enhet")

    # The search narrows the list; the pager (if any) keeps it.
    word = first_page[0].split()[-1]
    page.get_by_label("Enhetens namn innehåller").fill(word)
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert shown_units(page) and all(word.casefold() in name.casefold() for name in shown_units(page))
    assert f"q={word}" in page.url
    assert_accessible("drill-down, searched")

    # Only the units with a divergence.
    page.get_by_role("link", name="Visa alla enheter").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Bara enheter med avvikelse").check()
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_load_state("networkidle")
    divergent = shown_units(page)
    assert unit_name in divergent and len(divergent) < total
