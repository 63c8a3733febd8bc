"""The change history (issue #6.1, docs/architecture.md §5): every change to the records the board's report
is built from is kept, who, when, before and after, deletes included; controllers read it in
Tillit's own pages for the records in their scope, and nobody else sees those pages."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from governance import history
from governance.models import Role
from reporting import services as reporting_services
from reporting.models import ReportingRound
from scorecards import services
from scorecards.models import Activity, ActivityUpdate, Indicator, Mandate, Measurement, Perspective, ScorecardGoal
from tests.conftest import make_user


@pytest.fixture
def goals(scorecard, political_goal):
    perspective = Perspective.objects.create(name="Invånare/brukare", order=1)
    first = ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective, title="Stöd inom två veckor")
    second = ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective, title="Färre placeringar")
    for goal in (first, second):
        goal.political_goals.set([political_goal])
    return first, second


@pytest.fixture
def activity(org, goals, team_member):
    created = services.activity_create(user=team_member, team=org.north, goals=[goals[0]], title="Öppen mottagning",
                                       description="Varje tisdag.")
    return services.activity_update(user=team_member, activity=created, expected_version=created.version,
                                    title="Öppen mottagning för familjer", goals=list(goals))


@pytest.fixture
def other_board_controller(org):
    return make_user("aldrestrateg", (org.elderly_admin, Role.CONTROLLER))


def history_url(obj):
    return reverse("history", args=[obj._meta.label_lower, obj.pk])


def test_services_record_who_changed_what_with_before_and_after(activity, team_member):
    records, rows = history.history_rows(Activity, activity.pk)
    assert [r.history_type for r in records][0] == "+" and records[-1].history_user == team_member
    assert all(r.history_user == team_member for r in records)
    changes = {c.name: (c.before, c.after) for row in rows if row.kind == "~" for c in row.changes}
    assert changes["title"] == ("Öppen mottagning", "Öppen mottagning för familjer")
    assert changes["goals"] == ("Stöd inom två veckor", "Färre placeringar, Stöd inom två veckor")


def test_a_controller_reads_the_history_of_an_activity_in_scope(client, activity, controller, team_member):
    client.force_login(controller)
    response = client.get(history_url(activity))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Öppen mottagning för familjer" in html and str(team_member) in html
    kinds = [row.kind for row in response.context["rows"]]
    assert kinds[-1] == "+" and "~" in kinds  # newest first, the creation last
    title_change = next(c for row in response.context["rows"] for c in row.changes if c.name == "title" and row.kind == "~")
    assert title_change.label == str(Activity._meta.get_field("title").verbose_name)


@pytest.mark.parametrize("who", ["team_member", "unit_manager", "board_member", "outsider", "other_board_controller"])
def test_nobody_but_the_controllers_in_scope_reads_the_history(request, client, activity, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(history_url(activity)).status_code == 404


@pytest.mark.parametrize("who", ["team_member", "unit_manager", "board_member", "outsider"])
def test_only_controllers_have_a_list_of_deleted_records(request, client, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("history-deleted", args=["scorecards.activity"])).status_code == 404


def test_an_unknown_kind_or_record_is_not_found(client, controller, activity):
    client.force_login(controller)
    assert client.get(reverse("history", args=["governance.user", controller.pk])).status_code == 404
    assert client.get(reverse("history", args=["scorecards.activity", 999999])).status_code == 404
    assert client.get(reverse("history-deleted", args=["nothing.here"])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, activity):
    response = client.get(history_url(activity))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_deletes_are_kept_and_listed_for_the_controllers_in_scope(client, activity, controller, team_member,
                                                                  other_board_controller):
    update = services.activity_log_update(user=team_member, activity=activity, date=datetime.date(2026, 3, 1),
                                          text="Första tisdagen kom fem familjer.")
    pk = update.pk
    update._history_user = team_member
    update.delete()
    assert not ActivityUpdate.objects.filter(pk=pk).exists()
    deleted = ActivityUpdate.history.get(id=pk, history_type="-")
    assert deleted.history_user == team_member and deleted.text == "Första tisdagen kom fem familjer."

    client.force_login(controller)
    listing = client.get(reverse("history-deleted", args=["scorecards.activityupdate"]))
    assert listing.status_code == 200
    assert [item["record"].id for item in listing.context["deleted"]] == [pk]
    page = client.get(reverse("history", args=["scorecards.activityupdate", pk]))
    assert page.status_code == 200 and page.context["is_deleted"]
    assert page.context["rows"][0].kind == "-"

    client.force_login(other_board_controller)
    assert client.get(reverse("history-deleted", args=["scorecards.activityupdate"])).context["deleted"] == []
    assert client.get(reverse("history", args=["scorecards.activityupdate", pk])).status_code == 404


def test_a_write_without_a_request_names_the_services_user(org, scorecard, goals, controller, year_2026):
    indicator = Indicator.objects.create(name="Andel nöjda", owner=org.family, mandate=Mandate.OWN, frequency="yearly")
    scorecard.indicator_links.create(indicator=indicator, goal=goals[0])
    period = year_2026.periods.get(kind="year")
    measurement = services.measurement_record(user=controller, indicator=indicator, unit=org.family, period=period,
                                              value="81,5", source=Measurement.Source.IMPORT)
    services.measurement_record(user=controller, indicator=indicator, unit=org.family, period=period, value="82",
                                expected_version=measurement.version, source=Measurement.Source.IMPORT)
    assert [r.history_user for r in measurement.history.all()] == [controller, controller]


def test_a_write_through_the_api_names_the_caller(org, activity, team_member):
    api = APIClient()
    api.force_authenticate(team_member)
    response = api.patch(reverse("api:activity-detail", args=[activity.pk]),
                         {"version": activity.version, "status": "ongoing"}, format="json")
    assert response.status_code == 200, response.content
    latest = activity.history.first()
    assert latest.status == "ongoing" and latest.history_user == team_member


def test_the_round_page_links_to_the_history_for_controllers(client, org, controller, year_2026):
    period = year_2026.periods.get(kind="tertial", number=1)
    reporting_round = reporting_services.round_create(user=controller, board=org.board, period=period, name="T1 2026",
                                                      deadline=datetime.date(2026, 5, 15))
    client.force_login(controller)
    html = client.get(reverse("reporting:round-detail", args=[reporting_round.pk])).content.decode()
    assert history_url(reporting_round) in html
    assert ReportingRound.history.get(id=reporting_round.pk).history_user == controller


def test_the_activity_page_shows_no_history_link_to_the_team(client, activity, team_member):
    client.force_login(team_member)
    response = client.get(reverse("scorecards:activity", args=[activity.pk]))
    assert response.status_code == 200
    assert history_url(activity) not in response.content.decode()


def test_every_model_the_issue_names_keeps_a_history_that_controllers_can_read():
    for label in ("governance.politicalgoal", "governance.goalarea", "governance.orgunit", "governance.membership",
                  "scorecards.scorecard", "scorecards.scorecardgoal", "scorecards.indicator",
                  "scorecards.scorecardindicator", "scorecards.target", "scorecards.measurement",
                  "scorecards.activity", "scorecards.activityupdate", "reporting.reportinground", "reporting.followup",
                  "reporting.unitreport", "reporting.boardreport", "reporting.goalassessment"):
        assert label in history.registered_labels(), label


def test_the_scorecard_page_links_each_goal_and_indicator_to_its_history_for_controllers(
        client, org, scorecard, goals, controller, unit_manager):
    indicator = Indicator.objects.create(name="Andel nöjda", owner=org.family, mandate=Mandate.OWN, frequency="yearly")
    scorecard.indicator_links.create(indicator=indicator, goal=goals[0])
    url = reverse("scorecards:scorecard", args=[scorecard.pk])
    client.force_login(controller)
    html = client.get(url).content.decode()
    for obj in (scorecard, goals[0], goals[1], indicator):
        assert history_url(obj) in html
    client.force_login(unit_manager)
    assert reverse("history", args=["scorecards.scorecardgoal", goals[0].pk]) not in client.get(url).content.decode()


def test_the_deletions_page_runs_a_fixed_number_of_queries(client, org, activity, controller, team_member,
                                                          other_board_controller):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def delete_updates(count, team_activity):
        for n in range(count):
            update = services.activity_log_update(user=team_member, activity=team_activity,
                                                  date=datetime.date(2026, 3, 1 + n), text=f"Tisdag {n}.")
            update._history_user = team_member
            update.delete()

    url = reverse("history-deleted", args=["scorecards.activityupdate"])

    def listing_queries(user):
        client.force_login(user)
        client.get(url)  # warm: session and scope
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured.captured_queries), response.context["deleted"]

    delete_updates(2, activity)
    few, listed = listing_queries(controller)
    assert len(listed) == 2
    # An update whose activity was deleted too hangs on nothing: no controller's unit, not listed.
    gone = services.activity_create(user=team_member, team=org.north, goals=[activity.goals.first()], title="Avslutad")
    delete_updates(1, gone)
    gone._history_user = team_member
    gone.delete()
    delete_updates(6, activity)
    many, listed = listing_queries(controller)
    assert len(listed) == 8 and many == few
    _, listed = listing_queries(other_board_controller)
    assert listed == []
