"""Hostile and messy input to the API (issue 12): a round whose report the board adopted is not
reopened without a correction, deeply nested JSON is a 400 not a 500, every error under /api/ is
JSON (also with DEBUG off), and a unit manager cannot set an indicator's mandate source."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from reporting import services as reporting_services
from reporting.models import ReportingRound
from tests.api.conftest import make_token
from tests.api.test_board_reports import adopt

pytestmark = pytest.mark.django_db


def client_for(user):
    _token, key = make_token(user)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def close(world, controller):
    return reporting_services.round_close(user=controller, reporting_round=world.round)


# --- class 9: reopening a round with an adopted report ------------------------------------------

def test_a_round_with_an_adopted_report_is_not_reopened(world, controller):
    adopt(world, controller)
    closed = close(world, controller)
    response = client_for(controller).post(f"/api/v1/rounds/{world.round.pk}/open/",
                                           {"version": closed.version}, format="json")
    assert response.status_code in (400, 409), response.content
    assert "rättelse" in response.content.decode()  # the API speaks the interface's language (sv)
    assert ReportingRound.objects.get(pk=world.round.pk).state == ReportingRound.State.CLOSED


def test_the_service_refuses_it_for_every_route(world, controller):
    from django.core.exceptions import ValidationError

    adopt(world, controller)
    close(world, controller)
    with pytest.raises(ValidationError):
        reporting_services.round_open(user=controller, reporting_round=world.round)


def test_a_round_opens_again_once_a_correction_is_started(world, controller):
    report = adopt(world, controller)
    closed = close(world, controller)
    reporting_services.board_report_correct(user=controller, report=report)
    response = client_for(controller).post(f"/api/v1/rounds/{world.round.pk}/open/",
                                           {"version": closed.version}, format="json")
    assert response.status_code == 200, response.content
    assert ReportingRound.objects.get(pk=world.round.pk).state == ReportingRound.State.OPEN


# --- class 6: hostile structure -----------------------------------------------------------------

DEEP = "[" * 200_000 + "]" * 200_000


@override_settings(DEBUG=False)
@pytest.mark.parametrize("path", ["/api/v1/rounds/{round}/open/", "/api/v1/measurements/"])
def test_deeply_nested_json_is_a_400_in_json(world, controller, path):
    response = client_for(controller).generic("POST", path.format(round=world.round.pk), DEEP,
                                              content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@override_settings(DEBUG=False)
def test_moderately_nested_json_beyond_the_limit_is_refused(world, controller):
    body = "[" * 200 + "]" * 200
    response = client_for(controller).generic("POST", f"/api/v1/rounds/{world.round.pk}/open/", body,
                                              content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


@override_settings(DEBUG=False)
def test_an_unhandled_error_under_the_api_is_json(world, controller, monkeypatch):
    from reporting.api import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.services, "round_close", explode)
    response = client_for(controller).post(f"/api/v1/rounds/{world.round.pk}/close/",
                                           {"version": world.round.version}, format="json")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "boom" not in response.content.decode()
    assert response.json()["detail"]


# --- class 11: the source of a mandate is not the unit's to claim -------------------------------

def test_a_unit_manager_cannot_give_an_own_indicator_a_mandate_source(api_as, world):
    response = api_as("unit_manager").patch(f"/api/v1/indicators/{world.own.pk}/",
                                            {"version": world.own.version, "mandate_source": "SoL 11 kap. 2 §"})
    assert response.status_code == 400, response.content
    assert "mandate_source" in response.json()
    world.own.refresh_from_db()
    assert world.own.mandate_source == ""


def test_sending_back_an_own_indicators_empty_mandate_source_is_no_change(api_as, world):
    response = api_as("unit_manager").patch(f"/api/v1/indicators/{world.own.pk}/",
                                            {"version": world.own.version, "mandate_source": "", "name": "Nytt namn"})
    assert response.status_code == 200, response.content
    world.own.refresh_from_db()
    assert world.own.name == "Nytt namn"


@pytest.mark.parametrize("role", ["unit_manager", "superuser"])
def test_the_service_refuses_a_mandate_source_on_an_own_indicator_for_every_role(world, role, request):
    from django.core.exceptions import ValidationError

    from scorecards import services as scorecard_services

    with pytest.raises(ValidationError) as caught:
        scorecard_services.indicator_update(user=request.getfixturevalue(role), indicator=world.own, expected_version=world.own.version,
                                            mandate_source="Nämndens beslut")
    assert "mandate_source" in caught.value.message_dict


@override_settings(DEBUG=False)
@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v1/indicators/abc/x/", "/api/"])
def test_an_unknown_address_under_the_api_is_json(world, controller, path):
    response = client_for(controller).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@override_settings(DEBUG=False)
def test_an_unknown_address_elsewhere_is_the_html_page(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
