"""Compiling the board report through the API, as on ``reporting:board-report-compile``: start
the round's report, write its summary and an assessment per political goal, and start a
correction of an adopted report. The controllers compile; every other reader is refused and
nothing changes; a write based on an old version is a 409."""

import datetime

import pytest

from reporting import services as reporting_services
from reporting.models import BoardReport, GoalAssessment

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/board-reports/"


def started(world, controller):
    return reporting_services.board_report_start(user=controller, reporting_round=world.round)


def adopted(world, controller):
    report = started(world, controller)
    reporting_services.goal_assessment_set(user=controller, report=report, political_goal=world.political_goal,
                                           assessment="partly", text="Delvis uppnått.")
    report = reporting_services.board_report_mark_ready(user=controller, report=report)
    return reporting_services.board_report_adopt(user=controller, report=report, adopted_on=datetime.date(2026, 5, 20),
                                                 minute_paragraph="§ 45")


# --- start --------------------------------------------------------------------------------------

def test_a_controller_starts_the_rounds_report_once(api_as, world):
    client = api_as("controller")
    response = client.post(REPORTS, {"round": world.round.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["round"], body["state"], body["version_number"]) == (world.round.pk, "draft", 1)
    again = client.post(REPORTS, {"round": world.round.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert BoardReport.objects.filter(round=world.round).count() == 1


@pytest.mark.parametrize("who, status", [("board_member", 403), ("unit_manager", 403), ("team_member", 403),
                                         ("outsider", 400)])
def test_only_controllers_start_a_board_report(api_as, world, who, status):
    """The outsider cannot name the round at all: it is "does not exist" to them."""
    response = api_as(who).post(REPORTS, {"round": world.round.pk}, format="json")
    assert response.status_code == status
    assert not BoardReport.objects.exists()


@pytest.mark.parametrize("body", [{}, {"round": None}, {"round": "T1 2026"}, {"round": 999999}])
def test_starting_without_a_round_is_a_400(api_as, world, body):
    response = api_as("controller").post(REPORTS, body, format="json")
    assert response.status_code == 400 and "round" in response.json()
    assert not BoardReport.objects.exists()


# --- summary ------------------------------------------------------------------------------------

def summary_url(report):
    return f"{REPORTS}{report.pk}/summary/"


def test_the_controller_writes_the_summary_and_a_ready_report_becomes_a_draft(api_as, world, controller):
    report = started(world, controller)
    reporting_services.goal_assessment_set(user=controller, report=report, political_goal=world.political_goal,
                                           assessment="attained")
    report = reporting_services.board_report_mark_ready(user=controller, report=report)
    response = api_as("controller").post(summary_url(report), {"summary": "Ett bra tertial.",
                                                               "version": report.version}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["summary"], body["state"], body["version"]) == ("Ett bra tertial.", "draft", report.version + 1)


def test_a_summary_based_on_an_old_version_is_a_409_and_changes_nothing(api_as, world, controller):
    report = started(world, controller)
    reporting_services.board_report_update(user=controller, report=report, summary="Först.")
    response = api_as("controller").post(summary_url(report), {"summary": "Sen.", "version": report.version},
                                         format="json")
    assert response.status_code == 409 and response.json()["current_version"] == report.version + 1
    assert BoardReport.objects.get(pk=report.pk).summary == "Först."


@pytest.mark.parametrize("who, status", [("board_member", 403), ("unit_manager", 403), ("team_member", 403),
                                         ("outsider", 404)])
def test_others_cannot_write_the_summary(api_as, world, controller, who, status):
    report = started(world, controller)
    response = api_as(who).post(summary_url(report), {"summary": "Nej.", "version": report.version}, format="json")
    assert response.status_code == status
    assert BoardReport.objects.get(pk=report.pk).summary == ""


@pytest.mark.parametrize("body, field", [
    ({"summary": "x"}, "version"),
    ({"version": 1}, "summary"),
    ({"summary": "Gäller 19121212-1212", "version": 1}, "summary"),
])
def test_bad_summary_input_is_a_400(api_as, world, controller, body, field):
    report = started(world, controller)
    response = api_as("controller").post(summary_url(report), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert BoardReport.objects.get(pk=report.pk).summary == ""


def test_an_adopted_reports_summary_is_not_changed(api_as, world, controller):
    report = adopted(world, controller)
    response = api_as("controller").post(summary_url(report), {"summary": "Efteråt.", "version": report.version},
                                         format="json")
    assert response.status_code == 400
    assert BoardReport.objects.get(pk=report.pk).summary == ""


# --- assessments --------------------------------------------------------------------------------

def assessments_url(report):
    return f"{REPORTS}{report.pk}/assessments/"


def test_the_controller_assesses_a_goal_and_changes_it_with_its_version(api_as, world, controller):
    report = started(world, controller)
    client = api_as("controller")
    response = client.post(assessments_url(report), {"political_goal": world.political_goal.pk,
                                                     "assessment": "partly", "text": "Delvis."}, format="json")
    assert response.status_code == 201, response.content
    first = response.json()
    assert (first["political_goal"], first["assessment"], first["text"], first["version"]) == (
        world.political_goal.pk, "partly", "Delvis.", 1)
    changed = client.post(assessments_url(report), {"political_goal": world.political_goal.pk,
                                                    "assessment": "attained", "version": 1}, format="json")
    assert changed.status_code == 200 and changed.json()["assessment"] == "attained"
    listed = api_as("board_member").get(assessments_url(report))
    assert listed.status_code == 200
    assert [(a["id"], a["assessment"], a["version"]) for a in listed.json()] == [(first["id"], "attained", 2)]


@pytest.mark.parametrize("version", [None, 5])
def test_an_assessment_based_on_an_old_version_is_a_409_and_changes_nothing(api_as, world, controller, version):
    """No version means the writer saw no assessment: one saved meanwhile makes it stale."""
    report = started(world, controller)
    reporting_services.goal_assessment_set(user=controller, report=report, political_goal=world.political_goal,
                                           assessment="partly")
    response = api_as("controller").post(assessments_url(report), {
        "political_goal": world.political_goal.pk, "assessment": "attained", "version": version}, format="json")
    assert response.status_code == 409, response.content
    assert GoalAssessment.objects.get(report=report).assessment == "partly"


@pytest.mark.parametrize("who, status", [("board_member", 403), ("unit_manager", 403), ("team_member", 403),
                                         ("outsider", 404)])
def test_others_cannot_assess_a_goal(api_as, world, controller, who, status):
    report = started(world, controller)
    response = api_as(who).post(assessments_url(report), {"political_goal": world.political_goal.pk,
                                                          "assessment": "attained"}, format="json")
    assert response.status_code == status
    assert not GoalAssessment.objects.exists()


def test_the_outsider_reads_no_assessments(api_as, world, controller):
    report = started(world, controller)
    assert api_as("outsider").get(assessments_url(report)).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"assessment": "attained"}, "political_goal"),
    ({"political_goal": "goal", "assessment": "attained"}, "political_goal"),
    ({"assessment": "brilliant"}, "assessment"),
    ({"assessment": ""}, "assessment"),
    ({"assessment": "attained", "text": "Gäller 19121212-1212"}, "text"),
    ({"assessment": "attained", "version": -1}, "version"),
])
def test_bad_assessment_input_is_a_400(api_as, world, controller, body, field):
    report = started(world, controller)
    if field != "political_goal":
        body = {"political_goal": world.political_goal.pk, **body}
    response = api_as("controller").post(assessments_url(report), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not GoalAssessment.objects.exists()


def test_a_goal_of_another_board_is_refused(api_as, world, controller, elderly_political_goal):
    report = started(world, controller)
    response = api_as("controller").post(assessments_url(report), {"political_goal": elderly_political_goal.pk,
                                                                   "assessment": "attained"}, format="json")
    assert response.status_code == 400 and "political_goal" in response.json()
    assert not GoalAssessment.objects.exists()


# --- correction ---------------------------------------------------------------------------------

def correct_url(report):
    return f"{REPORTS}{report.pk}/correct/"


def test_the_controller_starts_a_correction_of_an_adopted_report_once(api_as, world, controller):
    report = adopted(world, controller)
    client = api_as("controller")
    response = client.post(correct_url(report), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["previous"], body["version_number"], body["state"]) == (report.pk, 2, "draft")
    assert BoardReport.objects.get(pk=report.pk).state == "adopted"
    again = client.post(correct_url(report), format="json")
    assert again.status_code == 400
    assert BoardReport.objects.filter(round=world.round).count() == 2
    # The round's report is now the correction: starting returns it.
    assert client.post(REPORTS, {"round": world.round.pk}, format="json").json()["id"] == body["id"]


def test_a_draft_is_not_corrected(api_as, world, controller):
    report = started(world, controller)
    assert api_as("controller").post(correct_url(report), format="json").status_code == 400
    assert BoardReport.objects.count() == 1


@pytest.mark.parametrize("who, status", [("board_member", 403), ("unit_manager", 403), ("team_member", 403),
                                         ("outsider", 404)])
def test_others_cannot_start_a_correction(api_as, world, controller, who, status):
    report = adopted(world, controller)
    assert api_as(who).post(correct_url(report), format="json").status_code == status
    assert BoardReport.objects.count() == 1


def test_the_whole_compilation_through_the_api(api_as, world):
    """Start, assess every goal, summarise, mark ready and adopt: every step by the API alone."""
    client = api_as("controller")
    report = client.post(REPORTS, {"round": world.round.pk}, format="json").json()
    assert client.post(f"{REPORTS}{report['id']}/assessments/", {
        "political_goal": world.political_goal.pk, "assessment": "attained", "text": "Uppnått."},
        format="json").status_code == 201
    report = client.post(f"{REPORTS}{report['id']}/summary/", {"summary": "Sammanfattning.",
                                                               "version": report["version"]}, format="json").json()
    report = client.post(f"{REPORTS}{report['id']}/mark-ready/", {"version": report["version"]}, format="json").json()
    assert report["state"] == "ready"
    response = client.post(f"{REPORTS}{report['id']}/adopt/", {"version": report["version"], "adopted_on": "2026-05-20",
                                                               "minute_paragraph": "§ 12"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "adopted"
    content = client.get(f"{REPORTS}{report['id']}/").json()
    assert content["frozen"] is True and content["content"]["report"]["summary"] == "Sammanfattning."
