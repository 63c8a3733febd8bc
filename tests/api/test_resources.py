"""Each resource read and written per role, the outsider included: what lies outside a user's
scope is a 404 (or simply absent from a list), what may be read but not done is a 403, and in
neither case does anything change. Bad input is a 400 with field → messages; a write based on
an old version is a 409."""

import datetime

import pytest

from reporting.models import BoardReport, FollowUp, ReportingRound
from scorecards.models import Activity, Indicator, Measurement, ScorecardGoal, Target

pytestmark = pytest.mark.django_db

ROLES = ["board_member", "controller", "unit_manager", "team_member", "outsider"]


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- reads -----------------------------------------------------------------------------------

@pytest.mark.parametrize("who,sees", [
    ("board_member", True), ("controller", True), ("unit_manager", True), ("team_member", True), ("outsider", False),
])
@pytest.mark.parametrize("resource,attribute", [
    ("scorecards", "scorecard"), ("scorecard-goals", "goal"), ("indicators", "own"), ("targets", "target"),
    ("measurements", "measurement"), ("activities", "activity"), ("rounds", "round"),
])
def test_reads_follow_the_scope(api_as, world, who, sees, resource, attribute):
    client = api_as(who)
    pk = getattr(world, attribute).pk
    assert (pk in ids(client.get(f"/api/v1/{resource}/"))) is sees
    assert client.get(f"/api/v1/{resource}/{pk}/").status_code == (200 if sees else 404)


@pytest.mark.parametrize("who", ROLES)
def test_nobody_here_reads_the_other_boards_indicator(api_as, world, who):
    client = api_as(who)
    assert world.elderly_indicator.pk not in ids(client.get("/api/v1/indicators/"))
    assert client.get(f"/api/v1/indicators/{world.elderly_indicator.pk}/").status_code == 404


def test_a_team_member_does_not_read_a_sibling_teams_activity(api_as, world, org):
    sibling = Activity.objects.create(team=org.south, title="Söders aktivitet")
    sibling.goals.set([world.goal])
    client = api_as("team_member")
    assert sibling.pk not in ids(client.get("/api/v1/activities/"))
    assert client.get(f"/api/v1/activities/{sibling.pk}/").status_code == 404


def test_the_outsider_sees_empty_lists_and_no_organisation(api_as, world):
    client = api_as("outsider")
    for resource in ("org-units", "political-goals", "scorecards", "measurements", "activities", "rounds",
                     "follow-ups", "board-reports"):
        assert ids(client.get(f"/api/v1/{resource}/")) == set(), resource
    assert client.get(f"/api/v1/org-units/{world.org.family.pk}/").status_code == 404
    assert client.get(f"/api/v1/rounds/{world.round.pk}/board-report/").status_code == 404


def test_memberships_show_the_subtree_not_the_units_above(api_as, world, controller, unit_manager, team_member,
                                                          board_member):
    seen = {row["username"] for row in api_as("unit_manager").get("/api/v1/memberships/").json()["results"]}
    assert seen == {"enhetschef", "medarbetare"}
    seen = {row["username"] for row in api_as("board_member").get("/api/v1/memberships/").json()["results"]}
    assert seen == {"ledamot", "strateg", "enhetschef", "medarbetare"}


def test_draft_follow_ups_are_their_writers_and_reviewers(api_as, world):
    draft = world.follow_up.pk
    assert draft in ids(api_as("team_member").get("/api/v1/follow-ups/"))
    assert draft in ids(api_as("unit_manager").get("/api/v1/follow-ups/"))
    assert draft not in ids(api_as("controller").get("/api/v1/follow-ups/"))
    assert draft not in ids(api_as("board_member").get("/api/v1/follow-ups/"))
    FollowUp.objects.filter(pk=draft).update(state="submitted", submitted_at=datetime.datetime(2026, 4, 1,
                                                                                              tzinfo=datetime.UTC))
    assert draft in ids(api_as("board_member").get("/api/v1/follow-ups/"))


def test_lists_filter_and_paginate(api_as, world):
    client = api_as("controller")
    response = client.get("/api/v1/periods/", {"code": "2026-03"})
    assert [row["code"] for row in response.json()["results"]] == ["2026-03"]
    response = client.get("/api/v1/periods/", {"page_size": 5})
    body = response.json()
    assert body["count"] == 16 and len(body["results"]) == 5 and body["next"]
    assert client.get("/api/v1/measurements/", {"period_code": "2026-01", "unit": world.org.family.pk}).json()["count"] == 1
    assert client.get("/api/v1/measurements/", {"period_code": "2026-02"}).json()["count"] == 0


def test_activities_are_filtered_by_the_activity_filterset(api_as, world, org):
    Activity.objects.create(team=org.north, title="Planerad sak", status="planned").goals.set([world.goal])
    client = api_as("unit_manager")
    assert [a["title"] for a in client.get("/api/v1/activities/", {"status": "ongoing"}).json()["results"]] == [
        "Öppen mottagning på torsdagar"]
    assert client.get("/api/v1/activities/", {"q": "planerad"}).json()["count"] == 1
    assert client.get("/api/v1/activities/", {"status": "nonsense"}).status_code == 400


@pytest.mark.parametrize("query", [{"unit": "x"}, {"unit": "-1"}, {"unit": str(2**70)}, {"year": "1.5"}])
def test_a_bad_filter_value_is_a_400(api_as, world, query):
    response = api_as("controller").get("/api/v1/measurements/", query)
    assert response.status_code == 400
    assert set(response.json()) <= {"unit", "year"}


# --- writes ----------------------------------------------------------------------------------

def test_unit_manager_records_a_value(api_as, world):
    response = api_as("unit_manager").post("/api/v1/measurements/", {
        "indicator": world.own.pk, "unit": world.org.family.pk, "period": world.january.pk, "value": "7,5"})
    assert response.status_code == 201, response.content
    measurement = Measurement.objects.get(pk=response.json()["id"])
    assert measurement.value == 7.5 and measurement.source == Measurement.Source.API


@pytest.mark.parametrize("who,status", [("team_member", 403), ("board_member", 403), ("outsider", 400)])
def test_others_cannot_record_a_value(api_as, world, who, status):
    response = api_as(who).post("/api/v1/measurements/", {
        "indicator": world.own.pk, "unit": world.org.family.pk, "period": world.january.pk, "value": 3})
    # The outsider cannot even name the unit or the indicator: they are not among what it may read.
    assert response.status_code == status
    assert not Measurement.objects.filter(indicator=world.own).exists()


def test_correcting_a_value_with_an_old_version_is_a_409(api_as, world):
    client = api_as("unit_manager")
    url = f"/api/v1/measurements/{world.measurement.pk}/"
    assert client.patch(url, {"version": 1, "value": 76}).status_code == 200
    response = client.patch(url, {"version": 1, "value": 77})
    assert response.status_code == 409
    assert response.json() == {"detail": response.json()["detail"], "code": "stale_write", "current_version": 2}
    world.measurement.refresh_from_db()
    assert world.measurement.value == 76


def test_a_correction_needs_the_version(api_as, world):
    response = api_as("unit_manager").patch(f"/api/v1/measurements/{world.measurement.pk}/", {"value": 1})
    assert response.status_code == 400 and "version" in response.json()


@pytest.mark.parametrize("who,status", [("team_member", 403), ("board_member", 403), ("outsider", 404)])
def test_others_cannot_correct_a_value(api_as, world, who, status):
    response = api_as(who).patch(f"/api/v1/measurements/{world.measurement.pk}/", {"version": 1, "value": 1})
    assert response.status_code == status
    world.measurement.refresh_from_db()
    assert world.measurement.value == 75


def test_bad_input_is_a_400_with_field_messages(api_as, world):
    client = api_as("unit_manager")
    response = client.patch(f"/api/v1/measurements/{world.measurement.pk}/", {"version": 1, "value": "tolv"})
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"] and "tolv" in response.json()["non_field_errors"][0]
    response = client.post("/api/v1/measurements/", {"indicator": world.yearly.pk, "unit": world.org.family.pk,
                                                     "period": world.january.pk, "value": 3})
    assert response.status_code == 400 and "period" in response.json()
    assert client.post("/api/v1/measurements/", ["not", "an", "object"]).status_code == 400
    assert client.post("/api/v1/measurements/", "{", content_type="application/json").status_code == 400


def test_personal_data_in_a_comment_is_refused(api_as, world):
    response = api_as("unit_manager").post("/api/v1/measurements/", {
        "indicator": world.own.pk, "unit": world.org.family.pk, "period": world.january.pk, "value": 3,
        "comment": "Gäller 19121212-1212"})
    assert response.status_code == 400 and "comment" in response.json()
    assert not Measurement.objects.filter(indicator=world.own).exists()


def test_unit_manager_writes_a_scorecard_goal_and_a_team_member_may_not(api_as, world):
    body = {"scorecard": world.scorecard.pk, "perspective": world.perspective.pk, "title": "Fler får stöd hemma",
            "political_goals": [world.political_goal.pk]}
    assert api_as("team_member").post("/api/v1/scorecard-goals/", body).status_code == 403
    response = api_as("unit_manager").post("/api/v1/scorecard-goals/", body)
    assert response.status_code == 201 and response.json()["political_goals"] == [world.political_goal.pk]
    goal = ScorecardGoal.objects.get(pk=response.json()["id"])
    response = api_as("unit_manager").patch(f"/api/v1/scorecard-goals/{goal.pk}/", {"version": 1, "title": "Ny titel"})
    assert response.status_code == 200 and response.json()["version"] == 2


def test_unit_manager_creates_and_edits_an_own_indicator(api_as, world):
    client = api_as("unit_manager")
    response = client.post("/api/v1/indicators/", {"scorecard": world.scorecard.pk, "goal": world.goal.pk,
                                                   "name": "Återbesök inom en månad", "frequency": "tertial"})
    assert response.status_code == 201, response.content
    indicator = Indicator.objects.get(pk=response.json()["id"])
    assert indicator.owner == world.org.family and not indicator.is_mandated
    assert client.patch(f"/api/v1/indicators/{indicator.pk}/", {"version": 1, "name": "Nytt namn"}).status_code == 200
    # A mandated indicator is the controllers' to rename, never the unit's.
    assert client.patch(f"/api/v1/indicators/{world.mandated.pk}/", {"version": 1, "name": "x"}).status_code == 403
    world.mandated.refresh_from_db()
    assert world.mandated.name == "Andel utredningar inom fyra månader"


def test_targets_are_set_and_corrected(api_as, world):
    client = api_as("unit_manager")
    url = f"/api/v1/targets/{world.target.pk}/"
    # The mandated indicator's target is the controllers'.
    assert client.patch(url, {"version": 1, "target_value": "85"}).status_code == 403
    controller = api_as("controller")
    response = controller.patch(url, {"version": 1, "target_value": "85,5"})
    assert response.status_code == 200 and response.json()["target_value"] == "85.5000"
    assert controller.patch(url, {"version": 1, "target_value": "86"}).status_code == 409
    response = client.post("/api/v1/targets/", {"indicator": world.yearly.pk, "year": 2026, "target_value": 4})
    assert response.status_code == 201
    assert Target.objects.filter(indicator=world.yearly).count() == 1


def test_activities_are_written_and_logged_by_the_team(api_as, world, org):
    client = api_as("team_member")
    response = client.post("/api/v1/activities/", {"team": org.north.pk, "goals": [world.goal.pk],
                                                   "title": "Föräldragrupp", "status": "planned"})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(f"/api/v1/activities/{pk}/updates/", {"date": "2026-03-02", "text": "Första träffen.",
                                                                 "status_after": "ongoing"})
    assert response.status_code == 201
    detail = client.get(f"/api/v1/activities/{pk}/").json()
    assert detail["status"] == "ongoing" and detail["latest_update"]["text"] == "Första träffen."
    assert client.patch(f"/api/v1/activities/{pk}/", {"version": 1, "title": "x"}).status_code == 409
    assert client.get(f"/api/v1/activities/{pk}/updates/").json()["count"] == 1


def test_a_team_member_cannot_write_for_another_team(api_as, world, org):
    response = api_as("team_member").post("/api/v1/activities/", {"team": org.south.pk, "goals": [world.goal.pk],
                                                                  "title": "x"})
    assert response.status_code == 400 and "team" in response.json()  # not a team it can even name
    assert not Activity.objects.filter(title="x").exists()


def test_rounds_are_opened_and_closed_by_the_controller_only(api_as, world):
    url = f"/api/v1/rounds/{world.round.pk}/close/"
    assert api_as("board_member").post(url, {"version": 1}).status_code == 403
    assert api_as("unit_manager").post(url, {"version": 1}).status_code == 403
    assert api_as("outsider").post(url, {"version": 1}).status_code == 404
    world.round.refresh_from_db()
    assert world.round.state == ReportingRound.State.OPEN
    response = api_as("controller").post(url, {"version": 1})
    assert response.status_code == 200 and response.json()["state"] == "closed"
    assert api_as("controller").post(f"/api/v1/rounds/{world.round.pk}/open/", {"version": 1}).status_code == 409


def test_follow_up_is_written_submitted_and_approved(api_as, world):
    team = api_as("team_member")
    url = f"/api/v1/follow-ups/{world.follow_up.pk}/"
    response = team.patch(url, {"version": 1, "learning": "Torsdagar passar familjerna."})
    assert response.status_code == 200 and response.json()["version"] == 2
    assert team.post(url + "submit/", {"version": 1}).status_code == 409
    assert team.post(url + "submit/", {"version": 2}).status_code == 200
    assert team.post(url + "approve/", {"version": 3}).status_code == 403
    manager = api_as("unit_manager")
    assert manager.post(url + "return/", {"version": 3, "comment": ""}).status_code == 400
    response = manager.post(url + "approve/", {"version": 3, "comment": "Bra."})
    assert response.status_code == 200 and response.json()["state"] == "approved"


def test_a_new_follow_up_over_an_existing_one_without_its_version_is_a_409(api_as, world):
    body = {"round": world.round.pk, "org_unit": world.org.north.pk, "scorecard_goal": world.goal.pk,
            "what_we_did": "Något annat."}
    assert api_as("team_member").post("/api/v1/follow-ups/", body).status_code == 409
    world.follow_up.refresh_from_db()
    assert world.follow_up.what_we_did == "Vi startade en öppen mottagning."
    assert api_as("team_member").post("/api/v1/follow-ups/", {**body, "version": 1}).status_code == 200


def test_adoption_is_for_controllers_only(api_as, world):
    report = BoardReport.objects.create(board=world.org.board, round=world.round, state="ready")
    body = {"version": 1, "adopted_on": "2026-05-20", "minute_paragraph": "§ 45"}
    url = f"/api/v1/board-reports/{report.pk}/adopt/"
    assert api_as("board_member").post(url, body).status_code == 403
    assert api_as("unit_manager").post(url, body).status_code == 403
    assert api_as("outsider").post(url, body).status_code == 404
    report.refresh_from_db()
    assert report.state == "ready" and report.snapshot is None
    response = api_as("controller").post(url, body)
    assert response.status_code == 200 and response.json()["state"] == "adopted"
