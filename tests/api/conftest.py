"""Fixtures of the API tests: a populated corner of the shared organisation (a scorecard with a
goal, a mandated and an own indicator, targets, values, activities, an open round with a
follow-up) and API clients that authenticate with a token per role."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from governance.models import ApiToken, Period
from reporting.models import FollowUp, ReportingRound
from scorecards.models import (
    Activity, ActivityUpdate, Indicator, Mandate, Measurement, Perspective, ScorecardGoal, ScorecardIndicator, Target,
)


def make_token(user, *, name="test", created_by=None):
    """A token for ``user`` without a permission check (the service is tested on its own): the
    user's own key unless ``created_by`` says otherwise (the authentication refuses a key that
    acts as another person than its creator, unless it is an integration account's)."""
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(name=name, user=user, key_hash=ApiToken.hash_key(key), key_prefix=key[:8],
                                    created_by=created_by or user)
    return token, key


def token_client(user):
    _token, key = make_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api_as(request):
    """``api_as("unit_manager")``: an API client with a token of that fixture's user."""
    def build(who):
        return token_client(request.getfixturevalue(who))
    return build


def month(year, number):
    return Period.objects.get(year=year, kind="month", number=number)


@pytest.fixture
def world(org, year_2026, political_goal, scorecard):
    """What the API tests read and write, all of Familjebehandling 2026 (Socialnämnden)."""
    perspective = Perspective.objects.create(name="Invånare", order=1)
    goal = ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective, title="Rätt stöd tidigt")
    goal.political_goals.set([political_goal])
    mandated = Indicator.objects.create(name="Andel utredningar inom fyra månader", owner=org.administration,
                                        mandate=Mandate.REGULATOR, frequency="monthly", measure_unit="percent",
                                        external_code="BUT-4M")
    own = Indicator.objects.create(name="Familjer som fått stöd inom en vecka", owner=org.family, mandate=Mandate.OWN,
                                   frequency="monthly", external_code="FAM-VECKA")
    yearly = Indicator.objects.create(name="Nöjda brukare", owner=org.family, frequency="yearly")
    for indicator in (mandated, own, yearly):
        ScorecardIndicator.objects.create(scorecard=scorecard, indicator=indicator, goal=goal)
    target = Target.objects.create(indicator=mandated, year=year_2026, target_value=Decimal("80"))
    Target.objects.create(indicator=own, year=year_2026, target_value=Decimal("10"))
    january = month(year_2026, 1)
    measurement = Measurement.objects.create(indicator=mandated, unit=org.family, period=january, value=Decimal("75"))
    activity = Activity.objects.create(team=org.north, title="Öppen mottagning på torsdagar", status="ongoing")
    activity.goals.set([goal])
    ActivityUpdate.objects.create(activity=activity, date=datetime.date(2026, 2, 3), text="Tio familjer kom.")
    tertial = Period.objects.get(year=year_2026, kind="tertial", number=1)
    reporting_round = ReportingRound.objects.create(board=org.board, period=tertial, name="T1 2026",
                                                    deadline=datetime.date(2026, 5, 15))
    from django.utils import timezone

    ReportingRound.objects.filter(pk=reporting_round.pk).update(state="open", opened_at=timezone.now())
    reporting_round.refresh_from_db()
    follow_up = FollowUp.objects.create(round=reporting_round, org_unit=org.north, scorecard_goal=goal,
                                        what_we_did="Vi startade en öppen mottagning.", self_assessment="attained")
    # Something of the other board, which nobody here may see.
    elderly_indicator = Indicator.objects.create(name="Hemtjänsttid", owner=org.home_care)
    return SimpleNamespace(
        perspective=perspective, goal=goal, mandated=mandated, own=own, yearly=yearly, target=target,
        january=january, measurement=measurement, activity=activity, round=reporting_round, follow_up=follow_up,
        political_goal=political_goal, scorecard=scorecard, year=year_2026, elderly_indicator=elderly_indicator,
        org=org,
    )

