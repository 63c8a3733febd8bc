"""A team writes its follow-up of a unit goal in the open round: save a draft, submit it, revise
it when the manager returns it. Outside the scope is a 404, readable but not allowed a 403, and
nothing changes either way."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Period, Role
from reporting.models import FollowUp, ReportingRound
from reporting.selectors import follow_ups_by_goal, open_round_for
from scorecards.models import Perspective, Scorecard, ScorecardGoal
from tests.conftest import make_user

# session, user, scope, unit, round, goal, its political goals, follow-up
FOLLOW_UP_PAGE_QUERIES = 8


@pytest.fixture
def perspective(db):
    return Perspective.objects.create(name="Invånare/brukare", order=1)


@pytest.fixture
def goal(org, year_2026, perspective):
    scorecard = Scorecard.objects.create(unit=org.family, year=year_2026)
    return ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective, title="Stöd inom två veckor")


@pytest.fixture
def open_round(org, year_2026):
    return make_round(org.board, year_2026, 2, "Delårsrapport T2 2026", state=ReportingRound.State.OPEN)


def make_round(board, year, tertial, name, state):
    period = Period.objects.get(year=year, kind="tertial", number=tertial)
    now = timezone.now()
    return ReportingRound.objects.create(
        board=board, period=period, name=name, deadline=datetime.date(year.year, 4 * tertial, 15), state=state,
        opened_at=now if state != ReportingRound.State.PLANNED else None,
        closed_at=now if state == ReportingRound.State.CLOSED else None)


@pytest.fixture
def url(open_round, org, goal):
    return reverse("reporting:follow-up", args=[open_round.pk, org.north.pk, goal.pk])


@pytest.fixture
def other_team_member(org):
    return make_user("soder", (org.south, Role.TEAM_MEMBER))


TEXTS = {"what_we_did": "Vi startade en föräldragrupp på kvällstid.", "effect_for_citizens": "Färre akuta möten.",
         "learning": "Kvällstid passar fler.", "next_step": "Fortsätta under hösten.", "self_assessment": "partly"}


def post_data(action="save", version="", **overrides):
    return {**TEXTS, "version": version, "action": action, **overrides}


def follow_up_of(org, goal):
    return FollowUp.objects.filter(org_unit=org.north, scorecard_goal=goal).first()


# --- reading -----------------------------------------------------------------------------------

def test_team_member_opens_an_empty_follow_up_for_a_goal(client, team_member, url, goal):
    client.force_login(team_member)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stöd inom två veckor" in page and "Delårsrapport T2 2026" in page
    assert 'id="follow-up-form"' in page and "status-followup-none" in page


def test_open_round_is_the_boards_open_round_with_the_nearest_deadline(org, year_2026, open_round):
    make_round(org.board, year_2026, 3, "T3 2026", state=ReportingRound.State.OPEN)
    make_round(org.board, year_2026, 1, "T1 2026", state=ReportingRound.State.CLOSED)
    make_round(org.elderly_board, year_2026, 1, "Äldre T1", state=ReportingRound.State.OPEN)
    assert open_round_for(org.north) == open_round
    assert open_round_for(org.home_care).name == "Äldre T1"


def test_no_round_is_open_for_a_board_without_one(org, year_2026):
    make_round(org.board, year_2026, 1, "T1 2026", state=ReportingRound.State.CLOSED)
    assert open_round_for(org.north) is None


def test_follow_ups_by_goal_lists_every_unit_goal(team_member, org, goal, open_round, perspective):
    second = ScorecardGoal.objects.create(scorecard=goal.scorecard, perspective=perspective, title="Barnets röst")
    written = FollowUp.objects.create(round=open_round, org_unit=org.north, scorecard_goal=goal)
    lines = follow_ups_by_goal(user=team_member, org_unit=org.north, reporting_round=open_round)
    assert [(line.goal, line.follow_up) for line in lines] == [(goal, written), (second, None)]


# --- writing -----------------------------------------------------------------------------------

def test_team_member_saves_a_draft(client, team_member, url, org, goal):
    client.force_login(team_member)
    response = client.post(url, post_data("save"))
    assert response.status_code == 302 and response.url == url
    follow_up = follow_up_of(org, goal)
    assert follow_up.state == FollowUp.State.DRAFT and follow_up.what_we_did == TEXTS["what_we_did"]
    assert follow_up.author == team_member
    page = client.get(url).content.decode()
    assert "status-followup-draft" in page and TEXTS["learning"] in page


def test_a_draft_is_saved_again_with_its_version(client, team_member, url, org, goal):
    client.force_login(team_member)
    client.post(url, post_data("save"))
    first = follow_up_of(org, goal)
    client.post(url, post_data("save", version=first.version, learning="Mer att lära"))
    again = follow_up_of(org, goal)
    assert again.learning == "Mer att lära" and again.version == first.version + 1


def test_team_member_submits_the_follow_up(client, team_member, url, org, goal):
    client.force_login(team_member)
    response = client.post(url, post_data("submit"))
    assert response.status_code == 302
    follow_up = follow_up_of(org, goal)
    assert follow_up.state == FollowUp.State.SUBMITTED and follow_up.submitted_at is not None
    page = client.get(url).content.decode()
    assert "status-followup-submitted" in page and 'id="follow-up-form"' not in page
    assert TEXTS["what_we_did"] in page


def test_submitting_without_text_or_assessment_shows_the_services_field_errors(client, team_member, url, org, goal):
    client.force_login(team_member)
    response = client.post(url, post_data("submit", what_we_did="  ", self_assessment=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["what_we_did"] and errors["self_assessment"]
    assert "error-summary" in response.content.decode()
    assert TEXTS["learning"] in response.content.decode()  # what was typed is kept
    assert follow_up_of(org, goal) is None  # a refused submission saves nothing


def test_a_refused_submission_leaves_the_draft_as_it_was(client, team_member, url, org, goal):
    client.force_login(team_member)
    client.post(url, post_data("save", learning="Utkast"))
    draft = follow_up_of(org, goal)
    client.post(url, post_data("submit", version=draft.version, self_assessment="", learning="Ändrat"))
    after = follow_up_of(org, goal)
    assert (after.state, after.learning, after.version) == (FollowUp.State.DRAFT, "Utkast", draft.version)


def test_a_returned_follow_up_shows_the_managers_comment_and_can_be_resubmitted(
        client, team_member, url, org, goal, open_round):
    returned = FollowUp.objects.create(round=open_round, org_unit=org.north, scorecard_goal=goal,
                                       state=FollowUp.State.RETURNED, submitted_at=timezone.now(),
                                       what_we_did="Kort", self_assessment="attained",
                                       review_comment="Beskriv vad familjerna märkte")
    client.force_login(team_member)
    page = client.get(url).content.decode()
    assert "Beskriv vad familjerna märkte" in page and 'id="follow-up-form"' in page
    assert "status-followup-returned" in page
    response = client.post(url, post_data("submit", version=returned.version))
    assert response.status_code == 302
    assert follow_up_of(org, goal).state == FollowUp.State.SUBMITTED


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, team_member, url, org, goal):
    client.force_login(team_member)
    client.post(url, post_data("save"))
    seen = follow_up_of(org, goal)
    FollowUp.objects.filter(pk=seen.pk).update(learning="En kollegas text", version=seen.version + 1)
    response = client.post(url, post_data("save", version=seen.version, learning="Min text"))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert "Min text" in response.content.decode()
    assert follow_up_of(org, goal).learning == "En kollegas text"


def test_a_follow_up_written_meanwhile_is_not_overwritten_by_a_blank_form(client, team_member, url, org, goal, open_round):
    FollowUp.objects.create(round=open_round, org_unit=org.north, scorecard_goal=goal, learning="Redan skrivet")
    client.force_login(team_member)
    response = client.post(url, post_data("save", version=""))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert follow_up_of(org, goal).learning == "Redan skrivet"


def test_personal_data_in_a_follow_up_is_refused(client, team_member, url, org, goal):
    client.force_login(team_member)
    response = client.post(url, post_data("save", effect_for_citizens="Ring mamman på 070-123 45 67"))
    assert response.status_code == 200 and response.context["form"].errors["effect_for_citizens"]
    assert follow_up_of(org, goal) is None


def test_unit_manager_writes_a_teams_follow_up(client, unit_manager, url, org, goal):
    client.force_login(unit_manager)
    assert client.post(url, post_data("save")).status_code == 302
    assert follow_up_of(org, goal).author == unit_manager


def test_a_closed_round_shows_the_follow_up_read_only(client, team_member, org, goal, year_2026):
    closed = make_round(org.board, year_2026, 1, "T1 2026", state=ReportingRound.State.CLOSED)
    FollowUp.objects.create(round=closed, org_unit=org.north, scorecard_goal=goal, what_we_did="Gjort i T1")
    client.force_login(team_member)
    url = reverse("reporting:follow-up", args=[closed.pk, org.north.pk, goal.pk])
    page = client.get(url).content.decode()
    assert "Gjort i T1" in page and 'id="follow-up-form"' not in page
    response = client.post(url, post_data("save", version=1))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert FollowUp.objects.get(round=closed).what_we_did == "Gjort i T1"


@pytest.mark.parametrize("size", [1, 20])
def test_follow_up_page_queries_are_fixed(client, team_member, url, org, goal, open_round, perspective, size,
                                          django_assert_max_num_queries):
    from governance.models import PoliticalGoal

    for n in range(size):
        political = PoliticalGoal.objects.create(board=org.board, code=str(n), title=f"Nämndmål {n}",
                                                 short_title=f"Mål {n}", valid_from=2023, valid_to=2026)
        goal.political_goals.add(political)
        ScorecardGoal.objects.create(scorecard=goal.scorecard, perspective=perspective, title=f"Mål {n}")
    FollowUp.objects.create(round=open_round, org_unit=org.north, scorecard_goal=goal, what_we_did="Text")
    client.force_login(team_member)
    with django_assert_max_num_queries(FOLLOW_UP_PAGE_QUERIES):
        assert client.get(url).status_code == 200


# --- outside the scope -------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["other_team_member", "outsider"])
def test_users_who_cannot_read_the_team_get_404_and_change_nothing(client, request, who, url, org, goal):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 404
    assert client.post(url, post_data("submit")).status_code == 404
    assert not FollowUp.objects.exists()


def test_board_member_reads_a_follow_up_but_cannot_write_it(client, board_member, url, org, goal, open_round):
    # Submitted: a draft is not the board's to read (tests/permissions/test_drafts.py).
    FollowUp.objects.create(round=open_round, org_unit=org.north, scorecard_goal=goal, what_we_did="Vårt utkast",
                            state=FollowUp.State.SUBMITTED, submitted_at=timezone.now())
    client.force_login(board_member)
    response = client.get(url)
    assert response.status_code == 200 and 'id="follow-up-form"' not in response.content.decode()
    assert client.post(url, post_data("save", version=1)).status_code == 403
    assert follow_up_of(org, goal).what_we_did == "Vårt utkast"


def test_a_goal_of_another_unit_is_not_found(client, team_member, org, open_round, year_2026, perspective):
    other = ScorecardGoal.objects.create(scorecard=Scorecard.objects.create(unit=org.investigation, year=year_2026),
                                         perspective=perspective, title="Utredningar i tid")
    client.force_login(team_member)
    url = reverse("reporting:follow-up", args=[open_round.pk, org.north.pk, other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, post_data("save")).status_code == 404
    assert not FollowUp.objects.exists()


def test_a_round_of_another_board_is_not_found(client, superuser, org, goal, year_2026):
    elderly_round = make_round(org.elderly_board, year_2026, 2, "Äldre T2", state=ReportingRound.State.OPEN)
    client.force_login(superuser)
    url = reverse("reporting:follow-up", args=[elderly_round.pk, org.north.pk, goal.pk])
    assert client.get(url).status_code == 404


def test_a_goal_of_another_year_is_not_found(client, team_member, org, open_round, perspective):
    from tests.conftest import make_year

    old = ScorecardGoal.objects.create(scorecard=Scorecard.objects.create(unit=org.family, year=make_year(2025)),
                                       perspective=perspective, title="Förra året")
    client.force_login(team_member)
    assert client.get(reverse("reporting:follow-up", args=[open_round.pk, org.north.pk, old.pk])).status_code == 404
