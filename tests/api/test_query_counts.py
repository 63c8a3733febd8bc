"""The main API lists run a number of queries that does not grow with their rows."""

import datetime
from decimal import Decimal

import pytest

from governance.models import Period
from scorecards.models import Activity, ActivityUpdate, Indicator, Measurement, ScorecardIndicator, Target

pytestmark = pytest.mark.django_db

LISTS = ["measurements", "activities", "indicators", "targets", "scorecards", "scorecard-goals", "follow-ups",
         "rounds", "org-units", "memberships", "political-goals", "board-reports", "periods"]


def grow(world, n):
    """``n`` more own indicators in the scorecard, each with a target and twelve monthly values,
    and ``n`` more activities with progress notes."""
    months = list(Period.objects.filter(year=world.year, kind="month"))
    for i in range(n):
        indicator = Indicator.objects.create(name=f"Extra {i}", owner=world.org.family, frequency="monthly")
        ScorecardIndicator.objects.create(scorecard=world.scorecard, indicator=indicator, goal=world.goal)
        Target.objects.create(indicator=indicator, year=world.year, target_value=Decimal(10))
        Measurement.objects.bulk_create([Measurement(indicator=indicator, unit=world.org.family, period=m,
                                                     value=Decimal(i)) for m in months])
        activity = Activity.objects.create(team=world.org.north, title=f"Aktivitet {i}")
        activity.goals.set([world.goal])
        ActivityUpdate.objects.create(activity=activity, date=datetime.date(2026, 3, 1), text="Notering")


@pytest.mark.parametrize("resource", LISTS)
def test_a_list_costs_the_same_queries_at_two_sizes(api_as, world, django_assert_max_num_queries, resource):
    client = api_as("unit_manager")
    client.get(f"/api/v1/{resource}/")  # the token's first use is recorded once; measure after it
    with django_assert_max_num_queries(12) as small:
        assert client.get(f"/api/v1/{resource}/", {"page_size": 500}).status_code == 200
    grow(world, 25)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(f"/api/v1/{resource}/", {"page_size": 500})
        assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
