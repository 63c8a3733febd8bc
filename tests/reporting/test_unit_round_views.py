"""The unit manager's part of a reporting round: the follow-ups on "Mitt styrkort", the review
page (approve or return with a comment), progress per team and submitting the unit's part."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Period, Role
from reporting.models import FollowUp, ReportingRound, UnitReport
from tests.conftest import make_user
from tests.scorecards.test_scorecard_views import build_scorecard


@pytest.fixture
def card(org, year_2026):
    return build_scorecard(org, year_2026)


@pytest.fixture
def open_round(org, year_2026):
    tertial = Period.objects.get(year=year_2026, kind="tertial", number=2)
    return ReportingRound.objects.create(board=org.board, period=tertial, name="T2 2026",
                                         deadline=datetime.date(2026, 9, 15), state=ReportingRound.State.OPEN,
                                         opened_at=timezone.now())


def follow_up(reporting_round, org_unit, goal, state=FollowUp.State.SUBMITTED, **texts):
    texts.setdefault("what_we_did", f"{org_unit} arbetade med {goal}.")
    texts.setdefault("self_assessment", "partly")
    return FollowUp.objects.create(round=reporting_round, org_unit=org_unit, scorecard_goal=goal, state=state,
                                   submitted_at=None if state == FollowUp.State.DRAFT else timezone.now(), **texts)


@pytest.fixture
def follow_ups(org, card, open_round):
    """Team Norr and Team Söder have submitted; the unit itself has a draft."""
    return {
        "north": follow_up(open_round, org.north, card.goals[0], what_we_did="Vi startade föräldragrupper."),
        "south": follow_up(open_round, org.south, card.goals[1], what_we_did="Vi ringde upp alla på väntelistan."),
        "unit": follow_up(open_round, org.family, card.goals[0], state=FollowUp.State.DRAFT),
    }


@pytest.fixture
def other_unit_manager(org):
    return make_user("chef-utredning", (org.investigation, Role.UNIT_MANAGER))


def url(name, unit, reporting_round, *extra):
    return reverse(f"reporting:{name}", args=[unit.pk, reporting_round.pk, *extra])


def decide(client, org, reporting_round, item, decision, comment="", version=None):
    prefix = f"fu-{item.pk}"
    return client.post(url("unit-review-decide", org.family, reporting_round, item.pk), {
        f"{prefix}-decision": decision, f"{prefix}-comment": comment,
        f"{prefix}-version": item.version if version is None else version,
    })


# --- on the scorecard page --------------------------------------------------------------------


def test_scorecard_page_shows_the_teams_follow_ups_under_their_goals(client, org, unit_manager, card, follow_ups):
    client.force_login(unit_manager)
    response = client.get(reverse("scorecards:scorecard", args=[card.scorecard.pk]))
    text = response.content.decode()
    assert "Vi startade föräldragrupper." in text and "Vi ringde upp alla på väntelistan." in text
    goals = {g.goal.pk: g for block in response.context["detail"].perspectives for g in block.goals}
    assert {f.pk for f in goals[card.goals[0].pk].follow_ups} == {follow_ups["north"].pk, follow_ups["unit"].pk}
    assert response.context["panel"].title == "T2 2026"


def test_scorecard_page_links_to_the_review_and_the_rounds_progress(client, org, unit_manager, card, open_round):
    client.force_login(unit_manager)
    text = client.get(reverse("scorecards:scorecard", args=[card.scorecard.pk])).content.decode()
    assert url("unit-review", org.family, open_round) in text
    assert url("unit-round", org.family, open_round) in text


def test_team_member_sees_only_their_own_teams_follow_ups_on_the_scorecard(client, team_member, card, follow_ups):
    client.force_login(team_member)
    text = client.get(reverse("scorecards:scorecard", args=[card.scorecard.pk])).content.decode()
    assert "Vi startade föräldragrupper." in text
    assert "Vi ringde upp alla på väntelistan." not in text


@pytest.mark.parametrize("teams_follow_ups", [1, 8])
def test_scorecard_page_with_follow_ups_runs_a_fixed_number_of_queries(
        client, org, year_2026, unit_manager, open_round, django_assert_max_num_queries, teams_follow_ups):
    built = build_scorecard(org, year_2026, goals=teams_follow_ups, indicators_per_goal=teams_follow_ups)
    for goal in built.goals:
        follow_up(open_round, org.north, goal)
        follow_up(open_round, org.south, goal)
    client.force_login(unit_manager)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("scorecards:scorecard", args=[built.scorecard.pk]))
    assert response.status_code == 200


# --- the review page --------------------------------------------------------------------------


def test_review_page_lists_the_submitted_follow_ups_of_the_unit_and_its_teams(client, org, unit_manager,
                                                                              follow_ups, open_round):
    client.force_login(unit_manager)
    response = client.get(url("unit-review", org.family, open_round))
    assert response.status_code == 200
    assert [f.pk for f, _ in response.context["waiting"]] == [follow_ups["north"].pk, follow_ups["south"].pk]
    assert [f.pk for f in response.context["others"]] == [follow_ups["unit"].pk]


def test_manager_approves_a_follow_up(client, org, unit_manager, follow_ups, open_round):
    item = follow_ups["north"]
    client.force_login(unit_manager)
    response = decide(client, org, open_round, item, "approve", "Bra jobbat.")
    assert response.status_code == 302 and response.url == url("unit-review", org.family, open_round)
    item.refresh_from_db()
    assert item.state == FollowUp.State.APPROVED and item.reviewed_by == unit_manager
    assert item.review_comment == "Bra jobbat."


def test_manager_returns_a_follow_up_with_a_comment(client, org, unit_manager, follow_ups, open_round):
    item = follow_ups["south"]
    client.force_login(unit_manager)
    response = decide(client, org, open_round, item, "return", "Beskriv effekten för familjerna.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == FollowUp.State.RETURNED and item.review_comment == "Beskriv effekten för familjerna."
    page = client.get(url("unit-review", org.family, open_round)).content.decode()
    assert "Beskriv effekten för familjerna." in page


def test_returning_without_a_comment_is_explained_and_changes_nothing(client, org, unit_manager, follow_ups,
                                                                     open_round):
    item = follow_ups["south"]
    client.force_login(unit_manager)
    response = decide(client, org, open_round, item, "return", "  ")
    assert response.status_code == 200
    forms = dict((f.pk, form) for f, form in response.context["waiting"])
    assert "comment" in forms[item.pk].errors
    item.refresh_from_db()
    assert item.state == FollowUp.State.SUBMITTED


def test_a_review_based_on_an_old_version_is_refused(client, org, unit_manager, follow_ups, open_round):
    item = follow_ups["north"]
    client.force_login(unit_manager)
    response = decide(client, org, open_round, item, "approve", "Ok", version=item.version + 3)
    assert response.status_code == 200
    forms = dict((f.pk, form) for f, form in response.context["waiting"])
    assert forms[item.pk].non_field_errors()
    item.refresh_from_db()
    assert item.state == FollowUp.State.SUBMITTED


def test_a_follow_up_reviewed_meanwhile_is_reported_not_reviewed_again(client, org, unit_manager, follow_ups,
                                                                      open_round):
    item = follow_ups["north"]
    seen_version = item.version
    FollowUp.objects.filter(pk=item.pk).update(state=FollowUp.State.APPROVED, version=seen_version + 1)
    client.force_login(unit_manager)
    response = decide(client, org, open_round, item, "return", "Gör om.", version=seen_version)
    assert response.status_code == 200
    assert item.pk not in [f.pk for f, _ in response.context["waiting"]]
    assert list(response.context["messages"])
    item.refresh_from_db()
    assert item.state == FollowUp.State.APPROVED


def test_team_member_may_read_but_not_review(client, org, team_member, follow_ups, open_round):
    item = follow_ups["north"]
    client.force_login(team_member)
    response = client.get(url("unit-review", org.family, open_round))
    assert response.status_code == 200 and not response.context["can_review"]
    assert 'value="approve"' not in response.content.decode()
    assert decide(client, org, open_round, item, "approve").status_code == 403
    item.refresh_from_db()
    assert item.state == FollowUp.State.SUBMITTED


def test_a_closed_round_can_no_longer_be_reviewed(client, org, unit_manager, follow_ups, open_round):
    ReportingRound.objects.filter(pk=open_round.pk).update(state=ReportingRound.State.CLOSED, closed_at=timezone.now())
    item = follow_ups["north"]
    client.force_login(unit_manager)
    assert 'value="approve"' not in client.get(url("unit-review", org.family, open_round)).content.decode()
    response = decide(client, org, open_round, item, "approve")
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.state == FollowUp.State.SUBMITTED


@pytest.mark.parametrize("per_team", [1, 6])
def test_review_page_runs_a_fixed_number_of_queries(client, org, year_2026, unit_manager, open_round,
                                                    django_assert_max_num_queries, per_team):
    built = build_scorecard(org, year_2026, goals=per_team, indicators_per_goal=1)
    for goal in built.goals:
        follow_up(open_round, org.north, goal)
        follow_up(open_round, org.south, goal, state=FollowUp.State.APPROVED)
    client.force_login(unit_manager)
    with django_assert_max_num_queries(7):
        response = client.get(url("unit-review", org.family, open_round))
    assert len(response.context["waiting"]) == per_team


# --- progress and the unit's report -----------------------------------------------------------


def test_progress_is_shown_per_team(client, org, unit_manager, follow_ups, open_round):
    client.force_login(unit_manager)
    response = client.get(url("unit-round", org.family, open_round))
    assert response.status_code == 200
    teams = {t.team.name: t for t in response.context["progress"].teams}
    assert set(teams) == {"Team Norr", "Team Söder"}
    assert teams["Team Norr"].counts["submitted"] == 1 and teams["Team Norr"].has_reported
    assert response.context["progress"].waiting_for_review == 2
    assert 'id="team-progress"' in response.content.decode()


def test_the_units_part_cannot_be_submitted_while_follow_ups_wait_for_review(client, org, unit_manager, follow_ups,
                                                                            open_round):
    client.force_login(unit_manager)
    response = client.post(url("unit-round", org.family, open_round), {"summary": "Klart.", "reporting_hours": "3,5"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert 'value="3,5"' in response.content.decode()
    assert not UnitReport.objects.exists()


def test_manager_submits_the_units_part_once_the_reviews_are_done(client, org, unit_manager, follow_ups, open_round):
    client.force_login(unit_manager)
    decide(client, org, open_round, follow_ups["north"], "approve")
    decide(client, org, open_round, follow_ups["south"], "return", "Komplettera.")
    response = client.post(url("unit-round", org.family, open_round), {"summary": "Ett bra tertial.",
                                                                      "reporting_hours": "3,5"})
    assert response.status_code == 302
    report = UnitReport.objects.get(round=open_round, unit=org.family)
    assert report.state == UnitReport.State.SUBMITTED and report.submitted_by == unit_manager
    assert str(report.reporting_hours) == "3.5" and report.version == 1


def test_a_bad_number_of_hours_is_explained(client, org, unit_manager, open_round, card):
    client.force_login(unit_manager)
    response = client.post(url("unit-round", org.family, open_round), {"summary": "", "reporting_hours": "många"})
    assert response.status_code == 200 and "reporting_hours" in response.context["form"].errors
    assert not UnitReport.objects.exists()


def test_team_member_may_not_submit_the_units_part(client, org, team_member, open_round, card):
    client.force_login(team_member)
    assert client.get(url("unit-round", org.family, open_round)).status_code == 200
    assert client.post(url("unit-round", org.family, open_round), {"summary": "x"}).status_code == 403
    assert not UnitReport.objects.exists()


@pytest.mark.parametrize("teams", [1, 8])
def test_progress_page_runs_a_fixed_number_of_queries(client, org, year_2026, unit_manager, open_round, card,
                                                      django_assert_max_num_queries, teams):
    from tests.conftest import make_unit

    for n in range(teams):
        team = make_unit(f"Extra team {n}", "team", org.family)
        follow_up(open_round, team, card.goals[0])
    client.force_login(unit_manager)
    with django_assert_max_num_queries(13):
        response = client.get(url("unit-round", org.family, open_round))
    assert len(response.context["progress"].teams) == teams + 2


# --- outside the scope ------------------------------------------------------------------------


def test_manager_of_another_unit_gets_404_and_changes_nothing(client, org, other_unit_manager, follow_ups,
                                                             open_round):
    item = follow_ups["north"]
    client.force_login(other_unit_manager)
    assert client.get(url("unit-round", org.family, open_round)).status_code == 404
    assert client.get(url("unit-review", org.family, open_round)).status_code == 404
    assert decide(client, org, open_round, item, "approve").status_code == 404
    assert client.post(url("unit-round", org.family, open_round), {"summary": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.state == FollowUp.State.SUBMITTED and not UnitReport.objects.exists()


def test_a_follow_up_of_another_unit_cannot_be_reviewed_through_ones_own(client, org, year_2026, open_round,
                                                                        follow_ups):
    manager = make_user("chef-utredning", (org.investigation, Role.UNIT_MANAGER))
    client.force_login(manager)
    item = follow_ups["north"]
    response = client.post(reverse("reporting:unit-review-decide", args=[org.investigation.pk, open_round.pk, item.pk]),
                           {f"fu-{item.pk}-decision": "approve", f"fu-{item.pk}-version": item.version})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.state == FollowUp.State.SUBMITTED


def test_round_of_another_board_is_404(client, org, unit_manager, year_2026, card):
    tertial = Period.objects.get(year=year_2026, kind="tertial", number=1)
    foreign = ReportingRound.objects.create(board=org.elderly_board, period=tertial, name="T1 äldre",
                                            deadline=datetime.date(2026, 5, 15))
    client.force_login(unit_manager)
    assert client.get(url("unit-round", org.family, foreign)).status_code == 404


def test_outsider_gets_404(client, org, outsider, open_round):
    client.force_login(outsider)
    assert client.get(url("unit-round", org.family, open_round)).status_code == 404
    assert client.get(url("unit-review", org.family, open_round)).status_code == 404
