"""Creating a round and submitting a unit's part of it through the API: the same services as
the web pages (``reporting:round-create``, ``reporting:unit-round``), so the same rules per role."""

import pytest

from governance.models import Period
from reporting.models import FollowUp, ReportingRound, UnitReport

pytestmark = pytest.mark.django_db

ROUNDS = "/api/v1/rounds/"
MISSING = object()


def unit_reports_url(world):
    return f"/api/v1/rounds/{world.round.pk}/unit-reports/"


# --- round create -------------------------------------------------------------------------------

def test_a_controller_creates_a_round_with_the_period_by_code(api_as, world, org):
    response = api_as("controller").post(ROUNDS, {"board": org.board.pk, "period": "2026-T2",
                                                  "name": "Delårsrapport T2", "deadline": "2026-09-15"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["period_code"], body["name"], body["state"], body["deadline"]) == (
        "2026-T2", "Delårsrapport T2", "planned", "2026-09-15")
    assert ReportingRound.objects.filter(pk=body["id"], board=org.board).exists()


def test_a_round_without_a_name_is_named_after_its_period_given_by_id(api_as, world, org):
    year = Period.objects.get(year=world.year, kind="year")
    response = api_as("controller").post(ROUNDS, {"board": org.board.pk, "period": year.pk, "deadline": "2027-02-15"},
                                         format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == year.label and response.json()["period"] == year.pk


@pytest.mark.parametrize("who, status", [("board_member", 403), ("unit_manager", 403), ("team_member", 403),
                                         ("outsider", 400)])
def test_only_controllers_create_rounds(api_as, world, org, who, status):
    """The outsider cannot even name the board (it is "does not exist" to them)."""
    before = ReportingRound.objects.count()
    response = api_as(who).post(ROUNDS, {"board": org.board.pk, "period": "2026-T2", "deadline": "2026-09-15"},
                                format="json")
    assert response.status_code == status
    if who == "outsider":
        assert "board" in response.json()
    assert ReportingRound.objects.count() == before


def test_a_controller_cannot_create_a_round_of_another_board(api_as, world, org):
    response = api_as("controller").post(ROUNDS, {"board": org.elderly_board.pk, "period": "2026-T2",
                                                  "deadline": "2026-09-15"}, format="json")
    assert response.status_code == 400 and "board" in response.json()


@pytest.mark.parametrize("body, field", [
    ({"period": "2026-T2", "deadline": "2026-09-15"}, "board"),
    ({"period": "2026-T9", "deadline": "2026-09-15"}, "period"),
    ({"period": "T2", "deadline": "2026-09-15"}, "period"),
    ({"period": "2026-03", "deadline": "2026-09-15"}, "period"),  # a month: rounds are tertials or years
    ({"period": "2026-T2", "deadline": "den femtonde"}, "deadline"),
    ({"period": "2026-T2"}, "deadline"),
])
def test_bad_round_input_is_a_400_on_its_field(api_as, world, org, body, field):
    before = ReportingRound.objects.count()
    body = {"board": org.board.pk, **body} if field != "board" else body
    response = api_as("controller").post(ROUNDS, body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert ReportingRound.objects.count() == before


def test_a_second_round_of_the_same_board_and_period_is_a_400(api_as, world, org):
    response = api_as("controller").post(ROUNDS, {"board": org.board.pk, "period": world.round.period.code,
                                                  "deadline": "2026-05-15"}, format="json")
    assert response.status_code == 400, response.content
    assert ReportingRound.objects.filter(board=org.board, period=world.round.period).count() == 1


def test_anonymous_cannot_create_a_round(world, org):
    from rest_framework.test import APIClient

    response = APIClient().post(ROUNDS, {"board": org.board.pk, "period": "2026-T2", "deadline": "2026-09-15"},
                                format="json")
    assert response.status_code == 401


# --- the unit's report --------------------------------------------------------------------------

def test_the_unit_manager_submits_the_units_part_and_submits_again_with_its_version(api_as, world, org):
    client = api_as("unit_manager")
    response = client.post(unit_reports_url(world), {"unit": org.family.pk, "summary": "Ett lugnt tertial.",
                                                     "reporting_hours": 3.5, "version": None}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["summary"], body["reporting_hours"], body["submitted_by"], body["version"]) == (
        "submitted", "Ett lugnt tertial.", 3.5, "enhetschef", 1)
    again = client.post(unit_reports_url(world), {"unit": org.family.pk, "summary": "Rättat.", "version": 1},
                        format="json")
    assert again.status_code == 200, again.content
    assert (again.json()["summary"], again.json()["reporting_hours"], again.json()["version"]) == ("Rättat.", None, 2)
    assert [r["id"] for r in client.get(unit_reports_url(world)).json()] == [body["id"]]


def test_submitting_over_a_newer_unit_report_is_a_409_and_changes_nothing(api_as, world, org):
    client = api_as("unit_manager")
    assert client.post(unit_reports_url(world), {"unit": org.family.pk, "summary": "Först."},
                       format="json").status_code == 201
    for version in (None, 7):
        response = client.post(unit_reports_url(world), {"unit": org.family.pk, "summary": "Sen.", "version": version},
                               format="json")
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "stale_write"
    assert UnitReport.objects.get(round=world.round, unit=org.family).summary == "Först."


@pytest.mark.parametrize("who, status", [("team_member", 403), ("board_member", 403), ("controller", 403),
                                         ("outsider", 404)])
def test_others_cannot_submit_the_units_part(api_as, world, org, who, status):
    response = api_as(who).post(unit_reports_url(world), {"unit": org.family.pk, "summary": "Nej."}, format="json")
    assert response.status_code == status, response.content
    assert not UnitReport.objects.exists()


@pytest.mark.parametrize("unit", ["investigation", "north"])
def test_a_unit_manager_submits_only_for_their_own_unit_not_another_nor_a_team(api_as, world, org, unit):
    """As on the web page, a unit report is a unit's (or department's), never a team's."""
    response = api_as("unit_manager").post(unit_reports_url(world), {"unit": getattr(org, unit).pk}, format="json")
    assert response.status_code == 400 and "unit" in response.json()
    assert not UnitReport.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"unit": MISSING, "summary": "x"}, "unit"),
    ({"unit": "Familjebehandling"}, "unit"),
    ({"unit": None}, "unit"),
    ({"reporting_hours": -1}, "reporting_hours"),
    ({"reporting_hours": "många"}, "reporting_hours"),
    ({"reporting_hours": 3.25}, "reporting_hours"),
    ({"version": -1}, "version"),
])
def test_bad_unit_report_input_is_a_400_on_its_field(api_as, world, org, body, field):
    body = {key: value for key, value in {"unit": org.family.pk, **body}.items() if value is not MISSING}
    response = api_as("unit_manager").post(unit_reports_url(world), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not UnitReport.objects.exists()


def test_a_unit_report_with_follow_ups_waiting_for_review_is_refused(api_as, world, org):
    from django.utils import timezone

    FollowUp.objects.filter(pk=world.follow_up.pk).update(state=FollowUp.State.SUBMITTED, submitted_at=timezone.now())
    response = api_as("unit_manager").post(unit_reports_url(world), {"unit": org.family.pk}, format="json")
    assert response.status_code == 400 and response.json()["non_field_errors"]
    assert not UnitReport.objects.exists()


def test_a_unit_report_in_a_closed_round_is_refused(api_as, world, org):
    ReportingRound.objects.filter(pk=world.round.pk).update(state="closed", closed_at="2026-05-16T12:00:00Z")
    response = api_as("unit_manager").post(unit_reports_url(world), {"unit": org.family.pk}, format="json")
    assert response.status_code == 400
    assert not UnitReport.objects.exists()


def test_personal_data_in_the_summary_is_refused(api_as, world, org):
    response = api_as("unit_manager").post(unit_reports_url(world),
                                           {"unit": org.family.pk, "summary": "Gäller 19121212-1212"}, format="json")
    assert response.status_code == 400 and "summary" in response.json(), response.content
    assert not UnitReport.objects.exists()


def test_unit_reports_are_listed_for_readers_of_the_unit_only(api_as, world, org, unit_manager):
    from reporting import services

    report = services.unit_report_submit(user=unit_manager, reporting_round=world.round, unit=org.family)
    other = UnitReport.objects.create(round=world.round, unit=org.investigation)
    for who, expected in (("unit_manager", [report.pk]), ("team_member", [report.pk]),
                          ("board_member", [report.pk, other.pk]), ("controller", [report.pk, other.pk])):
        response = api_as(who).get(unit_reports_url(world))
        assert response.status_code == 200
        assert sorted(r["id"] for r in response.json()) == sorted(expected), who
    assert api_as("outsider").get(unit_reports_url(world)).status_code == 404
