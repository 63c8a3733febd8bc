"""The main pages run a number of SQL queries that does not grow with the data (docs/architecture.md §9):
the same page for an organisation five times as large runs exactly as many queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fixtures import large_org
from reporting.page_benchmark import first_chart_url


def _size(units):
    # Two years: last year's report is adopted (its pages read the snapshot), this year's is live.
    return large_org.OrgSize(units=units, years=2, teams_per_unit=2, indicators_per_scorecard=4,
                             goals_per_scorecard=2, activities_per_team=2, updates_per_activity=1, political_goals=3)


@pytest.fixture
def two_sizes(db):
    return large_org.generate_org(_size(2), prefix="Q2"), large_org.generate_org(_size(10), prefix="Q10")


def _queries(client, user, url):
    client.force_login(user)
    client.get(url)  # warm: session, scope caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    client.logout()
    return len(captured.captured_queries)


def _first_goal(org):
    return org.board.political_goals.order_by("order").first()


def _chart(org, reporting_round):
    return first_chart_url(_first_goal(org), reporting_round)


PAGES = {
    "goal report": ("board_member", lambda org: reverse("reporting:goal-report-round", args=[org.latest_round.pk])),
    "goal drill-down": ("board_member", lambda org: reverse(
        "reporting:goal-report-goal", args=[org.latest_round.pk, _first_goal(org).pk])),
    "indicator chart": ("board_member", lambda org: _chart(org, org.latest_round)),
    "goal report, adopted": ("board_member", lambda org: reverse(
        "reporting:goal-report-round", args=[org.adopted_report.round.pk])),
    "goal drill-down, adopted": ("board_member", lambda org: reverse(
        "reporting:goal-report-goal", args=[org.adopted_report.round.pk, _first_goal(org).pk])),
    "indicator chart, adopted": ("board_member", lambda org: _chart(org, org.adopted_report.round)),
    "scorecard": ("unit_manager", lambda org: reverse("scorecards:scorecard", args=[org.scorecard.pk])),
    "team page": ("team_member", lambda org: reverse("scorecards:team-detail", args=[org.team.pk])),
    "round progress": ("controller", lambda org: reverse("reporting:round-detail", args=[org.latest_round.pk])),
}
# A ceiling on top of flatness, so that a page cannot grow a fixed number of queries unnoticed.
MAX_QUERIES = 25
# The drill-down runs three steps: the goal's evidence (as the report), the list of its units, and
# the rows of one page of units (reporting.views.board.goal_detail).
MAX_QUERIES_OF = {"goal drill-down": 30}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_query_count_does_not_grow_with_the_organisation(client, two_sizes, page):
    role, url_of = PAGES[page]
    small, large = two_sizes
    small_count = _queries(client, small.users[role], url_of(small))
    large_count = _queries(client, large.users[role], url_of(large))
    assert large_count == small_count, f"{page}: {small_count} queries at 2 units, {large_count} at 10"
    assert large_count <= MAX_QUERIES_OF.get(page, MAX_QUERIES)
