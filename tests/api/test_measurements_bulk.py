"""Pushing a whole period's values for a unit in one request: all or nothing."""

import pytest

from scorecards.models import Measurement

pytestmark = pytest.mark.django_db


def url(unit):
    return f"/api/v1/units/{unit.pk}/measurements/"


def test_a_month_is_recorded_in_one_request_by_code_or_id(api_as, world):
    response = api_as("unit_manager").post(url(world.org.family), {"period": "2026-03", "values": [
        {"indicator": "BUT-4M", "value": "81,5", "comment": "Från verksamhetssystemet"},
        {"indicator": world.own.pk, "value": 12},
    ]})
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [(r["indicator_code"], r["value"], r["period_code"]) for r in rows] == [
        ("BUT-4M", "81.5000", "2026-03"), ("FAM-VECKA", "12.0000", "2026-03")]
    assert Measurement.objects.filter(period__number=3, period__kind="month", source="api").count() == 2


def test_one_bad_row_saves_nothing_and_says_which_row(api_as, world):
    response = api_as("unit_manager").post(url(world.org.family), {"period": world.january.pk, "values": [
        {"indicator": "FAM-VECKA", "value": 4},
        {"indicator": world.mandated.pk, "value": "sju"},
        {"indicator": world.yearly.pk, "value": 3},
    ]})
    assert response.status_code == 400
    rows = response.json()["values"]
    assert rows[0] == {} and "sju" in rows[1]["non_field_errors"][0] and rows[2]["non_field_errors"]
    assert not Measurement.objects.filter(indicator=world.own).exists()
    world.measurement.refresh_from_db()
    assert world.measurement.value == 75


def test_unknown_and_repeated_indicators_are_row_errors(api_as, world):
    response = api_as("unit_manager").post(url(world.org.family), {"period": "2026-02", "values": [
        {"indicator": "FINNS-INTE", "value": 1}, {"indicator": "BUT-4M", "value": 1},
        {"indicator": world.mandated.pk, "value": 2}, {"indicator": world.elderly_indicator.pk, "value": 3}]})
    assert response.status_code == 400
    rows = response.json()["values"]
    assert "indicator" in rows[0] and rows[1] == {} and "indicator" in rows[2] and "indicator" in rows[3]
    assert not Measurement.objects.filter(period__number=2, period__kind="month").exists()


@pytest.mark.parametrize("period", ["2026-13", "2031-01", "mars", 999999])
def test_an_unknown_period_is_a_400(api_as, world, period):
    response = api_as("unit_manager").post(url(world.org.family), {"period": period, "values": [
        {"indicator": "BUT-4M", "value": 1}]})
    assert response.status_code == 400 and "period" in response.json()


def test_a_stale_row_is_refused_with_the_others(api_as, world):
    response = api_as("unit_manager").post(url(world.org.family), {"period": "2026-01", "values": [
        {"indicator": "BUT-4M", "value": 90, "version": 7}, {"indicator": "FAM-VECKA", "value": 2}]})
    assert response.status_code == 400 and response.json()["values"][0]["non_field_errors"]
    assert not Measurement.objects.filter(indicator=world.own).exists()


@pytest.mark.parametrize("who,status", [("team_member", 403), ("board_member", 403), ("outsider", 404)])
def test_others_cannot_push_values(api_as, world, who, status):
    response = api_as(who).post(url(world.org.family), {"period": "2026-03", "values": [
        {"indicator": "BUT-4M", "value": 1}]})
    assert response.status_code == status
    assert Measurement.objects.count() == 1


def test_a_unit_out_of_scope_or_unknown_is_a_404(api_as, world):
    client = api_as("unit_manager")
    body = {"period": "2026-03", "values": [{"indicator": "BUT-4M", "value": 1}]}
    assert client.post(url(world.org.investigation), body).status_code == 404
    assert client.post("/api/v1/units/abc/measurements/", body).status_code == 404
    assert client.post(f"/api/v1/units/{2**70}/measurements/", body).status_code == 404


def test_an_empty_push_is_a_400(api_as, world):
    response = api_as("unit_manager").post(url(world.org.family), {"period": "2026-03", "values": []})
    assert response.status_code == 400 and "values" in response.json()


def _own_indicators(world, count):
    from scorecards.models import Indicator, ScorecardIndicator

    made = []
    for number in range(count):
        indicator = Indicator.objects.create(name=f"Eget mätetal {number}", owner=world.org.family, frequency="monthly",
                                             external_code=f"EGET-{number}")
        ScorecardIndicator.objects.create(scorecard=world.scorecard, indicator=indicator, goal=world.goal)
        made.append(indicator)
    return made


def test_the_number_of_queries_does_not_grow_with_the_rows(api_as, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicators = _own_indicators(world, 40)
    client = api_as("unit_manager")

    def queries(rows, period):
        # Half by code, half by id: both ways of naming an indicator are read in bulk.
        values = [{"indicator": i.external_code if n % 2 else i.pk, "value": n} for n, i in enumerate(rows)]
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url(world.org.family), {"period": period, "values": values}, format="json")
        assert response.status_code == 200, response.content
        return len(captured)

    queries(indicators[:1], "2026-01")  # the key's first use of the minute records it (one more write)
    assert queries(indicators[:4], "2026-02") == queries(indicators[4:40], "2026-03")


def test_values_pushed_through_an_integration_key_name_the_key_in_their_history(world, controller):
    from governance import services as governance_services
    from governance.models import HistoryViaApiToken, Membership, Role
    from tests.api.test_api_keys_rights import client_with

    system = governance_services.integration_account_create(
        user=controller, name="Verksamhetssystemet", memberships=[(world.org.family, Role.CONTROLLER)])
    token, key = governance_services.token_create(user=controller, for_user=system, name="Nattlig överföring")
    response = client_with(key).post(url(world.org.family), {"period": "2026-02", "values": [
        {"indicator": "FAM-VECKA", "value": 4}, {"indicator": "BUT-4M", "value": "80"}]}, format="json")
    assert response.status_code == 200, response.content
    written = Measurement.objects.filter(period__kind="month", period__number=2)
    assert written.count() == 2 and Membership.objects.filter(user=system).exists()
    history_ids = [m.history.order_by("-history_id").first().pk for m in written]
    via = HistoryViaApiToken.objects.filter(history_model="scorecards.measurement", history_id__in=history_ids)
    assert sorted(v.token_id for v in via) == [token.pk, token.pk]
    assert {v.token_created_by for v in via} == {controller}


def test_an_id_no_database_can_hold_is_an_unknown_indicator(api_as, world):
    response = api_as("unit_manager").post(url(world.org.family), {"period": "2026-02", "values": [
        {"indicator": 99999999999999999999999, "value": 1}, {"indicator": "99999999999999999999", "value": 1},
        {"indicator": -5, "value": 1}]}, format="json")
    assert response.status_code == 400, response.content
    assert all(row["indicator"] for row in response.json()["values"])
