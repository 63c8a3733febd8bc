"""A round's board report read as JSON: live evidence while it is a draft; once adopted, the
frozen snapshot, whatever changes afterwards. And the integration's whole journey."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reporting import services as reporting_services
from reporting.models import BoardReport, GoalAssessment
from scorecards.models import Measurement
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db


def adopt(world, controller):
    report = reporting_services.board_report_start(user=controller, reporting_round=world.round)
    reporting_services.goal_assessment_set(user=controller, report=report, political_goal=world.political_goal,
                                           assessment="partly", text="Delvis uppnått.")
    report = reporting_services.board_report_mark_ready(user=controller, report=report)
    return reporting_services.board_report_adopt(user=controller, report=report, adopted_on=datetime.date(2026, 5, 20),
                                                 minute_paragraph="§ 45")


def goal_values(content):
    return [(row["indicator_id"], row["value"]) for goal in content["goals"] for row in goal["indicators"]]


def test_a_draft_round_reads_as_live_evidence(api_as, world):
    body = api_as("board_member").get(f"/api/v1/rounds/{world.round.pk}/board-report/").json()
    assert body["frozen"] is False and body["report"] is None
    goal = body["content"]["goals"][0]
    assert goal["title"] == world.political_goal.title
    assert {row["name"] for row in goal["indicators"]} >= {world.mandated.name}


def test_an_adopted_report_is_its_snapshot_never_live_data(api_as, world, controller):
    report = adopt(world, controller)
    client = api_as("board_member")
    before = client.get(f"/api/v1/board-reports/{report.pk}/").json()
    assert before["frozen"] is True and before["report"]["state"] == "adopted"
    assert before["content"] == BoardReport.objects.get(pk=report.pk).snapshot
    # Values and the indicator change after the decision; the adopted report does not.
    Measurement.objects.filter(indicator=world.mandated).update(value=1)
    world.mandated.name = "Omdöpt"
    world.mandated.save()
    GoalAssessment.objects.filter(report=report).update(text="Ändrat i efterhand")
    after = client.get(f"/api/v1/board-reports/{report.pk}/").json()
    assert after["content"] == before["content"]
    assert client.get(f"/api/v1/rounds/{world.round.pk}/board-report/").json()["content"] == before["content"]


def test_board_reports_are_listed_for_readers_of_the_board_only(api_as, world, controller):
    report = adopt(world, controller)
    assert [r["id"] for r in api_as("board_member").get("/api/v1/board-reports/").json()["results"]] == [report.pk]
    assert api_as("outsider").get("/api/v1/board-reports/").json()["results"] == []
    assert api_as("outsider").get(f"/api/v1/board-reports/{report.pk}/").status_code == 404


def test_mark_ready_needs_every_goal_assessed_and_is_the_controllers(api_as, world, controller):
    report = reporting_services.board_report_start(user=controller, reporting_round=world.round)
    url = f"/api/v1/board-reports/{report.pk}/mark-ready/"
    assert api_as("board_member").post(url, {"version": 1}).status_code == 403
    response = api_as("controller").post(url, {"version": 1})
    assert response.status_code == 400 and response.json()["non_field_errors"]
    reporting_services.goal_assessment_set(user=controller, report=report, political_goal=world.political_goal,
                                           assessment="attained")
    response = api_as("controller").post(url, {"version": 1})
    assert response.status_code == 200 and response.json()["state"] == "ready"


def test_the_integration_journey(client, controller, world, org):
    """A controller creates an integration account for the unit (with a controller's rights
    there, which the controller holds) and a key for it on the token pages; the integration pushes
    a month of values for the whole unit in one request; the board report of the round reads back
    as JSON with those values."""
    from governance.models import Role, User

    client.force_login(controller)
    response = client.post(reverse("governance:integration-create"), {
        "name": "Verksamhetssystem", "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-0-org_unit": org.family.pk, "memberships-0-role": Role.CONTROLLER})
    assert response.status_code == 302, response.content
    integration = User.objects.get(is_integration=True)
    response = client.post(reverse("governance:token-create"), {"name": "Verksamhetssystemet", "user": integration.pk})
    key = response.context["key"]

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    april = {"period": "2026-04", "values": [
        {"indicator": "BUT-4M", "value": "82,5", "comment": "Ur verksamhetssystemet"},
        {"indicator": "FAM-VECKA", "value": 11},
    ]}
    response = api.post(f"/api/v1/units/{org.family.pk}/measurements/", april, format="json")
    assert response.status_code == 200, response.content
    assert {row["author"] for row in response.json()} == {integration.username}

    controller_api = APIClient()
    _token, controller_key = make_token(controller)
    controller_api.credentials(HTTP_AUTHORIZATION=f"Bearer {controller_key}")
    body = controller_api.get(f"/api/v1/rounds/{world.round.pk}/board-report/").json()
    values = dict(goal_values(body["content"]))
    # T1 is judged on April, the last month of the tertial.
    assert values[world.mandated.pk] == "82.5" and values[world.own.pk] == "11"


def test_a_unit_manager_reads_the_live_evidence_of_their_own_part_as_on_the_goal_report(api_as, world, controller):
    """The same rule as the goal report page (reporting.selectors.board_report_content): the
    adopted snapshot holds the whole board's evidence and is shown to those who read the report
    as a whole; a unit manager keeps seeing their own part."""
    report = adopt(world, controller)
    body = api_as("unit_manager").get(f"/api/v1/board-reports/{report.pk}/").json()
    assert body["frozen"] is False
    units = {row["unit"]["name"] for goal in body["content"]["goals"] for row in goal["indicators"]}
    assert units == {"Familjebehandling"}
