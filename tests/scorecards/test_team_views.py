""""Vårt team": the team page with its activities, defining and editing an activity, and its log.

Team Norr (team_member) and Team Söder belong to Familjebehandling (unit_manager); a member of
Team Söder is "another team". Outside the scope (not readable) means 404; readable but not
allowed to act means 403; either way nothing changes.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Period, Role
from reporting.models import FollowUp, ReportingRound
from scorecards.models import Activity, ActivityStatus, ActivityUpdate, Perspective, Scorecard, ScorecardGoal
from tests.conftest import make_user

# session, user, scope, team, year, count, round, goals, follow-ups, goal choices, rows, their goals
TEAM_PAGE_QUERIES = 12
# session, user, scope, activity, its goals, its log
ACTIVITY_PAGE_QUERIES = 6


# --- data ---------------------------------------------------------------------------------------

@pytest.fixture
def perspective(db):
    return Perspective.objects.create(name="Invånare/brukare", order=1)


@pytest.fixture
def scorecard(org, year_2026):
    return Scorecard.objects.create(unit=org.family, year=year_2026)


@pytest.fixture
def goal(scorecard, perspective):
    return ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective, order=1,
                                        title="Fler familjer får stöd inom två veckor")


@pytest.fixture
def second_goal(scorecard, perspective):
    return ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective, order=2,
                                        title="Barnets röst hörs i varje insats")


@pytest.fixture
def other_unit_goal(org, year_2026, perspective):
    other = Scorecard.objects.create(unit=org.investigation, year=year_2026)
    return ScorecardGoal.objects.create(scorecard=other, perspective=perspective, title="Utredningar i tid")


def make_activity(team, goals, title, status=ActivityStatus.PLANNED, **fields):
    activity = Activity.objects.create(team=team, title=title, status=status, **fields)
    activity.goals.set(goals)
    return activity


@pytest.fixture
def activity(org, goal):
    return make_activity(org.north, [goal], "Föräldragrupp på kvällstid", status=ActivityStatus.ONGOING,
                         description="Två kvällar i månaden", start_date=datetime.date(2026, 2, 1))


@pytest.fixture
def other_team_member(org):
    return make_user("soder", (org.south, Role.TEAM_MEMBER))


@pytest.fixture
def other_board_member(org):
    return make_user("aldreledamot", (org.elderly_board, Role.BOARD_MEMBER))


@pytest.fixture
def open_round(org, year_2026):
    t2 = Period.objects.get(year=year_2026, kind="tertial", number=2)
    return ReportingRound.objects.create(board=org.board, period=t2, name="Delårsrapport T2 2026",
                                         deadline=datetime.date(2026, 9, 15), state=ReportingRound.State.OPEN,
                                         opened_at=timezone.now())


def activity_form(goals, **overrides):
    data = {"title": "Samtalsgrupp för tonåringar", "description": "", "expected_citizen_value": "Färre akuta möten",
            "goals": [g.pk for g in goals], "status": "planned", "start_date": "2026-03-01", "end_date": "2026-06-30"}
    data.update(overrides)
    return data


def snapshot(activity):
    activity.refresh_from_db()
    return (activity.title, activity.status, activity.version, sorted(activity.goals.values_list("pk", flat=True)),
            activity.updates.count())


# --- the team page ------------------------------------------------------------------------------

def test_team_member_lands_on_their_team_page_with_its_activities(client, team_member, org, activity):
    make_activity(org.south, [], "Söders egen aktivitet")
    client.force_login(team_member)
    response = client.get(reverse("scorecards:team"))
    assert response.status_code == 200
    assert response.context["team"] == org.north
    page = response.content.decode()
    assert "Föräldragrupp på kvällstid" in page and "Söders egen aktivitet" not in page
    assert reverse("scorecards:activity-create", args=[org.north.pk]) in page


def test_team_page_table_has_a_caption_and_column_headers(client, team_member, activity):
    client.force_login(team_member)
    page = client.get(reverse("scorecards:team")).content.decode()
    assert "<caption>" in page and 'scope="col"' in page
    assert 'class="status status-activity-ongoing"' in page


def test_unit_manager_with_two_teams_chooses_a_team(client, unit_manager, org):
    client.force_login(unit_manager)
    response = client.get(reverse("scorecards:team"))
    assert response.status_code == 200
    assert [t.name for t in response.context["teams"]] == ["Team Norr", "Team Söder"]
    assert reverse("scorecards:team-detail", args=[org.south.pk]) in response.content.decode()


def test_unit_manager_opens_the_page_of_a_team_in_their_unit(client, unit_manager, org, activity):
    client.force_login(unit_manager)
    response = client.get(reverse("scorecards:team-detail", args=[org.north.pk]))
    assert response.status_code == 200 and response.context["can_edit"]
    assert "Föräldragrupp på kvällstid" in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "other_board_member", "other_team_member"])
def test_users_who_cannot_read_the_team_get_404_on_its_page(client, request, who, org, activity):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("scorecards:team-detail", args=[org.north.pk])).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "board_member", "controller"])
def test_users_without_a_team_get_404_on_our_team(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("scorecards:team")).status_code == 404


def test_board_member_reads_a_team_page_in_scope_without_edit_links(client, board_member, org, activity):
    client.force_login(board_member)
    response = client.get(reverse("scorecards:team-detail", args=[org.north.pk]))
    assert response.status_code == 200 and not response.context["can_edit"]
    assert reverse("scorecards:activity-create", args=[org.north.pk]) not in response.content.decode()


def test_anonymous_visitor_is_sent_to_log_in(client, org):
    response = client.get(reverse("scorecards:team-detail", args=[org.north.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_team_page_is_filtered_by_status(client, team_member, org, goal, activity):
    make_activity(org.north, [goal], "Avslutad kartläggning", status=ActivityStatus.DONE)
    client.force_login(team_member)
    response = client.get(reverse("scorecards:team"), {"status": ["done"]})
    titles = [row.record.title for row in response.context["table"].page.object_list]
    assert titles == ["Avslutad kartläggning"]


def test_team_page_is_filtered_by_words(client, team_member, org, goal, activity):
    make_activity(org.north, [goal], "Hembesök", expected_citizen_value="Tryggare kvällar")
    client.force_login(team_member)
    response = client.get(reverse("scorecards:team"), {"q": "trygg"})
    assert [row.record.title for row in response.context["table"].page.object_list] == ["Hembesök"]


def test_team_page_is_filtered_by_unit_goal(client, team_member, org, goal, second_goal, activity):
    make_activity(org.north, [second_goal], "Barnsamtal")
    client.force_login(team_member)
    response = client.get(reverse("scorecards:team"), {"goal": second_goal.pk})
    assert [row.record.title for row in response.context["table"].page.object_list] == ["Barnsamtal"]
    choices = [c[0] for c in response.context["filter_form"].fields["goal"].choices if c[0]]
    assert {int(str(c)) for c in choices} == {goal.pk, second_goal.pk}


def test_goal_filter_offers_only_the_teams_goals(client, team_member, goal, other_unit_goal):
    client.force_login(team_member)
    response = client.get(reverse("scorecards:team"))
    choices = {int(str(c[0])) for c in response.context["filter_form"].fields["goal"].choices if c[0]}
    assert choices == {goal.pk}


def test_team_page_is_sorted_by_a_column(client, team_member, org, goal):
    for title in ("Bravo", "Alfa", "Charlie"):
        make_activity(org.north, [goal], title)
    client.force_login(team_member)
    response = client.get(reverse("scorecards:team"), {"sort": "-title"})
    assert [row.record.title for row in response.context["table"].page.object_list] == ["Charlie", "Bravo", "Alfa"]
    assert 'aria-sort="descending"' in response.content.decode()


def test_team_page_sorts_by_the_latest_update(client, team_member, org, goal):
    old, new = make_activity(org.north, [goal], "Gammal"), make_activity(org.north, [goal], "Ny")
    ActivityUpdate.objects.create(activity=old, date=datetime.date(2026, 1, 5), text="Start")
    ActivityUpdate.objects.create(activity=new, date=datetime.date(2026, 5, 5), text="Start")
    client.force_login(team_member)
    response = client.get(reverse("scorecards:team"), {"sort": "-latest_update"})
    assert [row.record.title for row in response.context["table"].page.object_list][:2] == ["Ny", "Gammal"]


def test_team_page_is_paginated(client, team_member, org, goal):
    for number in range(25):
        make_activity(org.north, [goal], f"Aktivitet {number:02d}")
    client.force_login(team_member)
    first = client.get(reverse("scorecards:team"))
    second = client.get(reverse("scorecards:team"), {"page": 2})
    assert len(first.context["table"].page.object_list) == 20
    assert [row.record.title for row in second.context["table"].page.object_list] == [
        f"Aktivitet {n:02d}" for n in range(20, 25)]
    assert 'aria-label="' in first.content.decode() and "?page=2" in first.content.decode()


@pytest.mark.parametrize("params", [
    {"goal": "abc"}, {"goal": "999999"}, {"status": "unknown"}, {"sort": "no_such_column"}, {"page": "999"},
    {"page": "x"}, {"q": "%_'\\"},
])
def test_odd_query_strings_never_give_a_server_error(client, team_member, activity, params):
    client.force_login(team_member)
    assert client.get(reverse("scorecards:team"), params).status_code == 200


def test_team_page_shows_the_open_round_and_each_goals_follow_up_state(
        client, team_member, org, goal, second_goal, open_round):
    FollowUp.objects.create(round=open_round, org_unit=org.north, scorecard_goal=goal, what_we_did="Vi startade",
                            state=FollowUp.State.RETURNED, submitted_at=timezone.now(),
                            review_comment="Beskriv effekten för familjerna")
    client.force_login(team_member)
    page = client.get(reverse("scorecards:team")).content.decode()
    assert "Delårsrapport T2 2026" in page and "2026-09-15" in page
    assert reverse("reporting:follow-up", args=[open_round.pk, org.north.pk, goal.pk]) in page
    assert reverse("reporting:follow-up", args=[open_round.pk, org.north.pk, second_goal.pk]) in page
    assert "status-followup-returned" in page and "Beskriv effekten för familjerna" in page
    assert "status-followup-none" in page


def test_team_page_says_when_no_round_is_open(client, team_member, goal):
    client.force_login(team_member)
    response = client.get(reverse("scorecards:team"))
    assert response.status_code == 200
    assert "reporting:follow-up" not in response.content.decode()
    assert 'id="open-round"' not in response.content.decode()


def _build_team_data(org, goal, perspective, scorecard, round_, count):
    goals = [goal] + [ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective, title=f"Mål {n}")
                      for n in range(count)]
    for n in range(count * 3):
        activity = make_activity(org.north, goals[: (n % 3) + 1], f"Aktivitet {n}", start_date=datetime.date(2026, 1, 1))
        for day in range(1, 4):
            ActivityUpdate.objects.create(activity=activity, date=datetime.date(2026, 3, day), text="Framsteg")
    for g in goals[1:]:
        FollowUp.objects.create(round=round_, org_unit=org.north, scorecard_goal=g, what_we_did="Text")


def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_team_page_queries_do_not_grow_with_the_data(client, team_member, org, goal, perspective, scorecard, open_round,
                                                     django_assert_max_num_queries):
    client.force_login(team_member)
    params = {"status": ["planned"], "sort": "-latest_update"}
    _build_team_data(org, goal, perspective, scorecard, open_round, 1)
    with django_assert_max_num_queries(TEAM_PAGE_QUERIES):
        small = _count_queries(client, reverse("scorecards:team"), params)
    _build_team_data(org, goal, perspective, scorecard, open_round, 10)
    with django_assert_max_num_queries(TEAM_PAGE_QUERIES):
        large = _count_queries(client, reverse("scorecards:team"), params)
    assert small == large


# --- creating an activity -------------------------------------------------------------------

def test_new_activity_form_offers_the_units_goals(client, team_member, org, goal, other_unit_goal):
    client.force_login(team_member)
    response = client.get(reverse("scorecards:activity-create", args=[org.north.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].fields["goals"].queryset) == [goal]


def test_team_member_creates_an_activity_tied_to_goals(client, team_member, org, goal, second_goal):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity-create", args=[org.north.pk]), activity_form([goal, second_goal]))
    activity = Activity.objects.get(title="Samtalsgrupp för tonåringar")
    assert response.status_code == 302 and response.url == reverse("scorecards:activity", args=[activity.pk])
    assert activity.team == org.north and activity.created_by == team_member
    assert set(activity.goals.all()) == {goal, second_goal}
    assert activity.end_date == datetime.date(2026, 6, 30)


def test_an_activity_needs_a_goal(client, team_member, org, goal):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity-create", args=[org.north.pk]), activity_form([]))
    assert response.status_code == 200 and response.context["form"].errors["goals"]
    assert not Activity.objects.exists()


def test_a_goal_of_another_unit_is_refused(client, team_member, org, goal, other_unit_goal):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity-create", args=[org.north.pk]), activity_form([other_unit_goal]))
    assert response.status_code == 200 and response.context["form"].errors["goals"]
    assert not Activity.objects.exists()


def test_an_end_before_the_start_is_shown_on_the_field(client, team_member, org, goal):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity-create", args=[org.north.pk]),
                           activity_form([goal], start_date="2026-05-01", end_date="2026-04-01"))
    assert response.status_code == 200 and response.context["form"].errors["end_date"]
    assert "error-summary" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_bad_date_gives_a_field_error_not_a_server_error(client, team_member, org, goal):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity-create", args=[org.north.pk]),
                           activity_form([goal], start_date="den första"))
    assert response.status_code == 200 and response.context["form"].errors["start_date"]


def test_personal_data_in_an_activity_is_refused_before_saving(client, team_member, org, goal):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity-create", args=[org.north.pk]),
                           activity_form([goal], description="Gäller 19811218-9876 och hans familj"))
    assert response.status_code == 200 and response.context["form"].errors["description"]
    assert "19811218-9876" not in response.context["form"].errors["description"][0]
    assert not Activity.objects.exists()


def test_board_member_may_not_create_an_activity(client, board_member, org, goal):
    client.force_login(board_member)
    url = reverse("scorecards:activity-create", args=[org.north.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, activity_form([goal])).status_code == 403
    assert not Activity.objects.exists()


def test_member_of_another_team_cannot_create_an_activity_for_this_team(client, other_team_member, org, goal):
    client.force_login(other_team_member)
    url = reverse("scorecards:activity-create", args=[org.north.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, activity_form([goal])).status_code == 404
    assert not Activity.objects.exists()


# --- editing an activity --------------------------------------------------------------------

def test_edit_form_shows_the_activity_as_saved(client, team_member, activity, goal):
    client.force_login(team_member)
    form = client.get(reverse("scorecards:activity-edit", args=[activity.pk])).context["form"]
    assert form.initial["title"] == "Föräldragrupp på kvällstid"
    assert form.initial["goals"] == [goal.pk] and form.initial["version"] == activity.version


def test_team_member_edits_an_activity(client, team_member, activity, goal, second_goal):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity-edit", args=[activity.pk]),
                           activity_form([second_goal], title="Föräldragrupp varje vecka", status="ongoing",
                                         version=activity.version))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Föräldragrupp varje vecka" and activity.version == 2
    assert list(activity.goals.all()) == [second_goal]


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, team_member, activity, goal):
    client.force_login(team_member)
    stale = activity.version
    Activity.objects.filter(pk=activity.pk).update(title="Ändrad av en kollega", version=stale + 1)
    response = client.post(reverse("scorecards:activity-edit", args=[activity.pk]),
                           activity_form([goal], title="Min ändring", version=stale))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'value="Min ändring"' in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Ändrad av en kollega"


def test_an_activity_from_an_earlier_year_keeps_its_goals_when_edited(client, team_member, org, perspective, goal):
    from tests.conftest import make_year

    old_card = Scorecard.objects.create(unit=org.family, year=make_year(2025))
    old_goal = ScorecardGoal.objects.create(scorecard=old_card, perspective=perspective, title="Förra årets mål")
    old = make_activity(org.north, [old_goal], "Fortsätter från 2025")
    client.force_login(team_member)
    form = client.get(reverse("scorecards:activity-edit", args=[old.pk])).context["form"]
    assert set(form.fields["goals"].queryset) == {goal, old_goal}


def test_member_of_another_team_cannot_edit_this_teams_activity(client, other_team_member, activity, goal):
    before = snapshot(activity)
    client.force_login(other_team_member)
    url = reverse("scorecards:activity-edit", args=[activity.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, activity_form([goal], title="Kapad", version=activity.version)).status_code == 404
    assert snapshot(activity) == before


def test_board_member_may_not_edit_an_activity(client, board_member, activity, goal):
    before = snapshot(activity)
    client.force_login(board_member)
    url = reverse("scorecards:activity-edit", args=[activity.pk])
    assert client.post(url, activity_form([goal], title="Ändrad", version=activity.version)).status_code == 403
    assert snapshot(activity) == before


# --- the activity page and its log --------------------------------------------------------------

def test_activity_page_shows_the_activity_and_its_log(client, team_member, activity):
    ActivityUpdate.objects.create(activity=activity, date=datetime.date(2026, 3, 2), text="Första träffen hölls",
                                  status_after=ActivityStatus.ONGOING, author=team_member)
    client.force_login(team_member)
    response = client.get(reverse("scorecards:activity", args=[activity.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Föräldragrupp på kvällstid" in page and "Första träffen hölls" in page and "2026-03-02" in page
    assert reverse("scorecards:activity-edit", args=[activity.pk]) in page
    assert 'id="update-form"' in page


def test_logging_an_update_can_change_the_status(client, team_member, activity):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity", args=[activity.pk]), {
        "update-date": "2026-05-20", "update-text": "Gruppen är klar, åtta familjer deltog",
        "update-status_after": "done"})
    assert response.status_code == 302
    activity.refresh_from_db()
    update = activity.updates.get()
    assert activity.status == ActivityStatus.DONE
    assert update.date == datetime.date(2026, 5, 20) and update.author == team_member


def test_logging_an_update_without_a_status_keeps_the_status(client, team_member, activity):
    client.force_login(team_member)
    client.post(reverse("scorecards:activity", args=[activity.pk]),
                {"update-date": "2026-05-20", "update-text": "Två nya familjer", "update-status_after": ""})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ONGOING and activity.updates.count() == 1


def test_an_update_needs_a_text(client, team_member, activity):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity", args=[activity.pk]),
                           {"update-date": "2026-05-20", "update-text": "", "update-status_after": "done"})
    assert response.status_code == 200 and response.context["form"].errors["text"]
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ONGOING and not activity.updates.exists()


def test_member_of_another_team_gets_404_on_this_teams_activity(client, other_team_member, activity):
    before = snapshot(activity)
    client.force_login(other_team_member)
    url = reverse("scorecards:activity", args=[activity.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"update-date": "2026-05-20", "update-text": "Inte vår", "update-status_after": "done"})
    assert response.status_code == 404
    assert snapshot(activity) == before


def test_outsider_gets_404_on_an_activity(client, outsider, activity):
    client.force_login(outsider)
    assert client.get(reverse("scorecards:activity", args=[activity.pk])).status_code == 404


def test_board_member_reads_an_activity_but_cannot_log(client, board_member, activity):
    before = snapshot(activity)
    client.force_login(board_member)
    url = reverse("scorecards:activity", args=[activity.pk])
    response = client.get(url)
    assert response.status_code == 200 and 'id="update-form"' not in response.content.decode()
    post = client.post(url, {"update-date": "2026-05-20", "update-text": "Nej", "update-status_after": "done"})
    assert post.status_code == 403
    assert snapshot(activity) == before


def test_unit_manager_logs_progress_for_a_team(client, unit_manager, activity):
    client.force_login(unit_manager)
    response = client.post(reverse("scorecards:activity", args=[activity.pk]),
                           {"update-date": "2026-05-20", "update-text": "Chefen noterar", "update-status_after": "paused"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PAUSED


def test_activity_page_queries_do_not_grow_with_the_log(client, team_member, activity, perspective, scorecard,
                                                        django_assert_max_num_queries):
    def add(count):
        for n in range(count):
            ActivityUpdate.objects.create(activity=activity, date=datetime.date(2026, 3, 1) + datetime.timedelta(days=n),
                                          text=f"Anteckning {n}", author=team_member, status_after="ongoing")
            activity.goals.add(ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective, title=f"Mål {n}"))

    client.force_login(team_member)
    add(1)
    with django_assert_max_num_queries(ACTIVITY_PAGE_QUERIES):
        small = _count_queries(client, reverse("scorecards:activity", args=[activity.pk]))
    add(30)
    with django_assert_max_num_queries(ACTIVITY_PAGE_QUERIES):
        large = _count_queries(client, reverse("scorecards:activity", args=[activity.pk]))
    assert small == large
