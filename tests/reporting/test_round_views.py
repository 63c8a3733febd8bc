"""Journey 4: the controller opens and closes reporting rounds (Omgångar) and sees which units
and teams have not reported. A board member may read the reports but not run the rounds
(403, nothing changes); rounds of another board are not found (404)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from governance.models import Role
from reporting.models import ReportingRound, UnitReport
from scorecards.models import ScorecardGoal
from tests.conftest import make_user
from tests.reporting.test_evidence import grow, period, report_world  # noqa: F401  (fixture)


def detail_url(reporting_round):
    return reverse("reporting:round-detail", args=[reporting_round.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def other_controller(org):
    return make_user("aldrestrateg", (org.elderly_admin, Role.CONTROLLER))


@pytest.fixture
def planned_t3(report_world):
    return ReportingRound.objects.create(board=report_world.org.board, period=period(report_world.year, "tertial", 3),
                                         name="T3 2026", deadline=datetime.date(2027, 1, 15))


# --- the list -----------------------------------------------------------------------------------------

def test_controller_sees_the_rounds_with_state_deadline_and_progress(client, report_world, planned_t3, controller):
    UnitReport.objects.create(round=report_world.round, unit=report_world.org.investigation,
                              state=UnitReport.State.SUBMITTED, submitted_at=timezone.now())
    client.force_login(controller)
    response = client.get(reverse("reporting:rounds"))
    assert response.status_code == 200
    lines = {line.round: line for line in response.context["lines"]}
    assert list(lines) == [planned_t3, report_world.round]  # latest first
    line = lines[report_world.round]
    assert (line.units_submitted, line.units_total) == (1, 3)
    assert (line.follow_ups_reported, line.follow_ups_total) == (3, 4)
    html = response.content.decode()
    assert "Delårsrapport T2 2026" in html and '<span class="state state-planned">' in html
    assert "15 september 2026" in html


def test_the_rounds_page_is_where_a_controller_lands(client, controller, org):
    client.force_login(controller)
    assert client.get("/").url == reverse("reporting:rounds")


# --- creating a round ------------------------------------------------------------------------------------

def test_controller_creates_a_round_for_a_tertial(client, report_world, controller):
    client.force_login(controller)
    t3 = period(report_world.year, "tertial", 3)
    response = client.post(reverse("reporting:round-create"), {
        "board": report_world.org.board.pk, "period": t3.pk, "name": "", "deadline": "2027-01-15"})
    created = ReportingRound.objects.get(period=t3)
    assert response.status_code == 302 and response.url == detail_url(created)
    assert created.name == "T3 2026" and created.state == ReportingRound.State.PLANNED
    assert created.deadline == datetime.date(2027, 1, 15)


def test_a_round_for_a_month_cannot_be_chosen(client, report_world, controller):
    client.force_login(controller)
    august = period(report_world.year, "month", 8)
    response = client.post(reverse("reporting:round-create"), {
        "board": report_world.org.board.pk, "period": august.pk, "deadline": "2026-09-30"})
    assert response.status_code == 200 and "period" in response.context["form"].errors
    assert not ReportingRound.objects.filter(period=august).exists()


def test_a_second_round_for_the_same_period_is_refused_with_a_message(client, report_world, controller):
    client.force_login(controller)
    response = client.post(reverse("reporting:round-create"), {
        "board": report_world.org.board.pk, "period": report_world.round.period.pk, "name": "Igen",
        "deadline": "2026-09-30"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'class="error-summary"' in response.content.decode()
    assert ReportingRound.objects.count() == 1


def test_bad_input_gives_field_errors_and_keeps_what_was_typed(client, report_world, controller):
    client.force_login(controller)
    response = client.post(reverse("reporting:round-create"), {
        "board": report_world.org.board.pk, "period": "", "name": "Verksamhetsberättelse", "deadline": "den femte"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "period" in errors and "deadline" in errors
    assert 'value="Verksamhetsberättelse"' in response.content.decode()


def test_a_controller_cannot_create_a_round_for_another_board(client, report_world, controller, org):
    client.force_login(controller)
    response = client.post(reverse("reporting:round-create"), {
        "board": org.elderly_board.pk, "period": period(report_world.year, "tertial", 3).pk, "deadline": "2027-01-15"})
    assert response.status_code == 200 and "board" in response.context["form"].errors
    assert not ReportingRound.objects.filter(board=org.elderly_board).exists()


# --- opening and closing -----------------------------------------------------------------------------------

def test_controller_opens_a_planned_round(client, planned_t3, controller):
    client.force_login(controller)
    response = client.post(reverse("reporting:round-open", args=[planned_t3.pk]), {"version": planned_t3.version})
    assert response.status_code == 302 and response.url == detail_url(planned_t3)
    planned_t3.refresh_from_db()
    assert planned_t3.state == ReportingRound.State.OPEN and planned_t3.opened_at is not None


def test_controller_closes_and_reopens_a_round(client, report_world, controller):
    client.force_login(controller)
    reporting_round = report_world.round
    client.post(reverse("reporting:round-close", args=[reporting_round.pk]), {"version": reporting_round.version})
    reporting_round.refresh_from_db()
    assert reporting_round.state == ReportingRound.State.CLOSED and reporting_round.closed_at is not None
    page = client.get(detail_url(reporting_round)).content.decode()
    assert 'id="open-round"' in page and 'id="close-round"' not in page
    client.post(reverse("reporting:round-open", args=[reporting_round.pk]), {"version": reporting_round.version})
    reporting_round.refresh_from_db()
    assert reporting_round.state == ReportingRound.State.OPEN and reporting_round.closed_at is None


def test_a_stale_click_is_refused_with_a_message(client, report_world, controller):
    client.force_login(controller)
    old_version = report_world.round.version
    ReportingRound.objects.filter(pk=report_world.round.pk).update(version=old_version + 1)  # someone else saved
    response = client.post(reverse("reporting:round-close", args=[report_world.round.pk]), {"version": old_version})
    assert response.status_code == 302
    assert any("Reload the page" in m or "Ladda om" in m for m in messages_of(response))
    report_world.round.refresh_from_db()
    assert report_world.round.state == ReportingRound.State.OPEN


def test_closing_a_round_that_is_not_open_is_explained_not_an_error(client, planned_t3, controller):
    client.force_login(controller)
    response = client.post(reverse("reporting:round-close", args=[planned_t3.pk]), {"version": planned_t3.version})
    assert response.status_code == 302 and messages_of(response)
    planned_t3.refresh_from_db()
    assert planned_t3.state == ReportingRound.State.PLANNED


def test_opening_and_closing_need_a_post(client, report_world, controller):
    client.force_login(controller)
    assert client.get(reverse("reporting:round-close", args=[report_world.round.pk])).status_code == 405


# --- progress ------------------------------------------------------------------------------------------

def test_controller_sees_which_units_and_teams_have_not_reported(client, report_world, controller):
    UnitReport.objects.create(round=report_world.round, unit=report_world.org.investigation,
                              state=UnitReport.State.SUBMITTED, submitted_at=timezone.now())
    client.force_login(controller)
    response = client.get(detail_url(report_world.round))
    assert response.status_code == 200
    assert [p.unit.name for p in response.context["not_submitted"]] == ["Familjebehandling", "Ekonomiskt bistånd"]
    assert [t.team.name for t in response.context["teams_not_reported"]] == ["Team Söder"]
    html = response.content.decode()
    assert 'id="units-not-reported"' in html and "Team Söder" in html


def test_progress_lists_unit_goals_that_no_follow_up_speaks_to(client, report_world, controller):
    ScorecardGoal.objects.create(scorecard=report_world.family.scorecard, perspective=report_world.perspective,
                                 title="Medarbetarna har tid för reflektion")
    client.force_login(controller)
    response = client.get(detail_url(report_world.round))
    family = next(p for p in response.context["progress"] if p.unit == report_world.org.family)
    assert [g.title for g in family.uncovered_goals] == ["Medarbetarna har tid för reflektion"]
    assert "Medarbetarna har tid för reflektion" in response.content.decode()


# --- who may not -----------------------------------------------------------------------------------------

def test_a_board_member_cannot_manage_rounds_and_nothing_changes(client, report_world, planned_t3, board_member):
    client.force_login(board_member)
    assert client.get(reverse("reporting:rounds")).status_code == 403
    assert client.get(reverse("reporting:round-create")).status_code == 403
    assert client.post(reverse("reporting:round-create"), {
        "board": report_world.org.board.pk, "period": period(report_world.year, "year", 1).pk,
        "deadline": "2027-02-15"}).status_code == 403
    assert client.get(detail_url(report_world.round)).status_code == 403
    assert client.post(reverse("reporting:round-close", args=[report_world.round.pk]),
                       {"version": report_world.round.version}).status_code == 403
    assert client.post(reverse("reporting:round-open", args=[planned_t3.pk]),
                       {"version": planned_t3.version}).status_code == 403
    assert ReportingRound.objects.count() == 2
    assert ReportingRound.objects.get(pk=report_world.round.pk).state == ReportingRound.State.OPEN
    assert ReportingRound.objects.get(pk=planned_t3.pk).state == ReportingRound.State.PLANNED


@pytest.mark.parametrize("who", ["unit_manager", "team_member"])
def test_units_and_teams_cannot_manage_rounds(client, report_world, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reporting:rounds")).status_code == 403
    assert client.post(reverse("reporting:round-close", args=[report_world.round.pk]),
                       {"version": report_world.round.version}).status_code == 403
    assert ReportingRound.objects.get(pk=report_world.round.pk).state == ReportingRound.State.OPEN


def test_a_controller_of_another_board_does_not_find_the_round(client, report_world, other_controller):
    client.force_login(other_controller)
    assert client.get(detail_url(report_world.round)).status_code == 404
    assert client.post(reverse("reporting:round-close", args=[report_world.round.pk]),
                       {"version": report_world.round.version}).status_code == 404
    lines = client.get(reverse("reporting:rounds")).context["lines"]
    assert report_world.round not in [line.round for line in lines]
    assert ReportingRound.objects.get(pk=report_world.round.pk).state == ReportingRound.State.OPEN


def test_an_outsider_may_do_nothing(client, report_world, outsider):
    client.force_login(outsider)
    assert client.get(reverse("reporting:rounds")).status_code == 403
    assert client.get(detail_url(report_world.round)).status_code == 404
    assert client.post(reverse("reporting:round-close", args=[report_world.round.pk])).status_code == 404
    assert ReportingRound.objects.get(pk=report_world.round.pk).state == ReportingRound.State.OPEN


# --- queries -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page,limit", [("list", 12), ("detail", 14)])
def test_round_pages_run_a_fixed_number_of_queries(client, report_world, controller, page, limit,
                                                   django_assert_max_num_queries):
    client.force_login(controller)
    url = reverse("reporting:rounds") if page == "list" else detail_url(report_world.round)
    with django_assert_max_num_queries(limit) as small:
        assert client.get(url).status_code == 200
    grow(report_world, 6)
    for number in (1, 3):  # more rounds, too
        ReportingRound.objects.create(board=report_world.org.board, period=period(report_world.year, "tertial", number),
                                      name=f"T{number} 2026", deadline=datetime.date(2026, 12, 1))
    with django_assert_max_num_queries(limit) as large:
        response = client.get(url)
        assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    if page == "detail":
        assert len(response.context["progress"]) == 9
