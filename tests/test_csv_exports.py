"""CSV exports of the lists users see: the same rows as the page, through the same selectors and
filters, with the same scope (an outsider gets the page's 404 or 403 for the export too)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from governance.models import Role
from reporting.models import UnitReport
from scorecards.models import ActivityStatus, ActivityUpdate
from tests.conftest import make_user
from tests.reporting.test_evidence import grow, period, report_world  # noqa: F401  (fixture)
from tests.scorecards.test_team_views import (  # noqa: F401  (fixtures)
    _build_team_data, goal, make_activity, open_round, perspective, scorecard, second_goal)

CSV = {"format": "csv"}
# session, user, scope, team, current year, the activities, their goals: none per row
ACTIVITY_EXPORT_QUERIES = 7


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def team_url(team):
    return reverse("scorecards:team-detail", args=[team.pk])


# --- the team's activities ---------------------------------------------------------------------

@pytest.fixture
def activities(org, goal, second_goal):
    planned = make_activity(org.north, [goal], "Föräldragrupp; kvällstid", start_date=datetime.date(2026, 2, 1))
    ongoing = make_activity(org.north, [goal, second_goal], "Hembesök", status=ActivityStatus.ONGOING,
                            start_date=datetime.date(2026, 1, 10), end_date=datetime.date(2026, 6, 30))
    ActivityUpdate.objects.create(activity=ongoing, date=datetime.date(2026, 3, 4), text="Framsteg")
    formula = make_activity(org.north, [], "=HYPERLINK(\"http://x\")", status=ActivityStatus.ONGOING)
    make_activity(org.south, [goal], "Söders aktivitet", status=ActivityStatus.ONGOING)
    return planned, ongoing, formula


def test_the_activity_export_holds_the_same_rows_as_the_page_with_the_same_filter(client, team_member, org,
                                                                                    activities):
    client.force_login(team_member)
    params = {"status": ["ongoing"], "sort": "title"}
    page = client.get(team_url(org.north), params)
    page_titles = [row.record.title for row in page.context["table"].rows]
    rows = rows_of(client.get(team_url(org.north), {**params, **CSV}))
    assert len(rows[0]) == 6
    assert [r[0].removeprefix("'") for r in rows[1:]] == page_titles == ['=HYPERLINK("http://x")', "Hembesök"]


def test_the_activity_export_writes_words_dates_and_goals_as_plain_text(client, team_member, org, activities, goal,
                                                                         second_goal):
    client.force_login(team_member)
    rows = rows_of(client.get(team_url(org.north), {"sort": "title", **CSV}))
    by_title = {r[0]: r for r in rows[1:]}
    ongoing = by_title["Hembesök"]
    with translation.override("sv"):
        assert ongoing[1] == str(ActivityStatus.ONGOING.label)  # the word the page shows
    assert ongoing[2] == f"{goal.title}, {second_goal.title}"
    assert ongoing[3:] == ["2026-01-10", "2026-06-30", "2026-03-04"]
    assert by_title["Föräldragrupp; kvällstid"][4:] == ["", ""]
    assert "'=HYPERLINK(\"http://x\")" in by_title  # never a formula in a spreadsheet
    assert "Söders aktivitet" not in by_title


def test_the_activity_export_exports_every_row_not_one_page(client, team_member, org, goal):
    for n in range(25):
        make_activity(org.north, [goal], f"Aktivitet {n:02}")
    client.force_login(team_member)
    assert len(rows_of(client.get(team_url(org.north), {"page": 2, **CSV}))) == 26


def test_the_team_page_links_to_the_export_with_its_filters(client, team_member, org, activities):
    client.force_login(team_member)
    html = client.get(team_url(org.north), {"status": "ongoing", "page": 1}).content.decode()
    assert 'id="activities-csv"' in html
    assert "?status=ongoing&amp;format=csv" in html and "page=1&amp;format" not in html


def test_an_outsider_cannot_export_a_teams_activities(client, outsider, org, activities):
    client.force_login(outsider)
    assert client.get(team_url(org.north), CSV).status_code == 404


def test_another_unit_cannot_export_the_teams_activities(client, org, activities):
    client.force_login(make_user("utredare", (org.investigation_team, Role.TEAM_MEMBER)))
    assert client.get(team_url(org.north), CSV).status_code == 404


def test_the_activity_export_runs_a_fixed_number_of_queries(client, team_member, org, goal, perspective, scorecard,
                                                            open_round, django_assert_max_num_queries):
    client.force_login(team_member)
    params = {"status": ["planned"], "sort": "-latest_update", **CSV}
    _build_team_data(org, goal, perspective, scorecard, open_round, 1)
    with django_assert_max_num_queries(ACTIVITY_EXPORT_QUERIES) as small:
        small_rows = rows_of(client.get(team_url(org.north), params))
    _build_team_data(org, goal, perspective, scorecard, open_round, 10)
    with django_assert_max_num_queries(ACTIVITY_EXPORT_QUERIES) as large:
        large_rows = rows_of(client.get(team_url(org.north), params))
    assert len(large_rows) > len(small_rows) > 1
    assert len(large.captured_queries) == len(small.captured_queries)


# --- the goal report ---------------------------------------------------------------------------

def report_url(world):
    return reverse("reporting:goal-report-round", args=[world.round.pk])


def test_the_goal_report_export_has_one_row_per_political_goal_as_the_page(client, report_world, board_member):
    client.force_login(board_member)
    page = client.get(report_url(report_world))
    assert 'id="goal-report-csv"' in page.content.decode()
    rows = rows_of(client.get(report_url(report_world), CSV))
    goals = page.context["goals"]
    assert [(r[0], r[1]) for r in rows[1:]] == [(g.code, g.title) for g in goals]
    first = rows[1]
    summary = goals[0]
    assert first[2] == ", ".join(f"{c.label}: {c.count}" for c in summary.mandated)
    assert first[5] == "; ".join(f"{d.where}: {d.text}" for d in summary.divergences)
    assert first[5].startswith("Familjebehandling: ")
    assert first[6] == summary.assessment_label and first[7] == report_world.assessment.text
    assert len(rows[0]) == 8  # the suggestion is for the controller only


def test_the_controller_exports_the_suggestion_too(client, report_world, controller):
    client.force_login(controller)
    rows = rows_of(client.get(report_url(report_world), CSV))
    assert len(rows[0]) == 9


def test_a_unit_manager_exports_only_their_part(client, report_world, unit_manager):
    client.force_login(unit_manager)
    page = client.get(report_url(report_world))
    rows = rows_of(client.get(report_url(report_world), CSV))
    assert [r[2:6] for r in rows[1:]] == [
        [", ".join(f"{c.label}: {c.count}" for c in g.mandated), ", ".join(f"{c.label}: {c.count}" for c in g.own),
         ", ".join(f"{c.label}: {c.count}" for c in g.self_assessments),
         "; ".join(f"{d.where}: {d.text}" for d in g.divergences)] for g in page.context["goals"]]


def test_an_outsider_cannot_export_the_goal_report(client, report_world, outsider):
    client.force_login(outsider)
    assert client.get(report_url(report_world), CSV).status_code == 404


# --- reporting rounds --------------------------------------------------------------------------

def test_the_rounds_export_holds_the_rounds_of_the_page(client, report_world, controller):
    UnitReport.objects.create(round=report_world.round, unit=report_world.org.investigation,
                              state=UnitReport.State.SUBMITTED, submitted_at=timezone.now())
    client.force_login(controller)
    page = client.get(reverse("reporting:rounds"))
    assert 'id="rounds-csv"' in page.content.decode()
    rows = rows_of(client.get(reverse("reporting:rounds"), CSV))
    assert [r[0] for r in rows[1:]] == [line.round.name for line in page.context["lines"]]
    line = next(r for r in rows[1:] if r[0] == report_world.round.name)
    assert line[1] == report_world.org.board.name
    assert line[3] == report_world.round.deadline.isoformat()
    assert line[5:] == ["1", "3", "3", "4"]


@pytest.mark.parametrize("who", ["board_member", "outsider"])
def test_those_who_do_not_run_rounds_cannot_export_them(client, report_world, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reporting:rounds"), CSV).status_code == 403


def progress_url(world):
    return reverse("reporting:round-detail", args=[world.round.pk])


def test_the_round_progress_export_has_one_row_per_unit_as_the_page(client, report_world, controller):
    submitted = timezone.now()
    UnitReport.objects.create(round=report_world.round, unit=report_world.org.investigation,
                              state=UnitReport.State.SUBMITTED, submitted_at=submitted)
    client.force_login(controller)
    page = client.get(progress_url(report_world))
    assert 'id="progress-csv"' in page.content.decode()
    rows = rows_of(client.get(progress_url(report_world), CSV))
    progress = page.context["progress"]
    assert [r[0] for r in rows[1:]] == [p.unit.name for p in progress]
    for row, p in zip(rows[1:], progress):
        assert row[3:7] == [str(p.counts[s]) for s in ("draft", "submitted", "returned", "approved")]
        assert row[7] == ", ".join(t.team.name for t in p.teams_not_reported)
        assert bool(row[2]) == p.has_submitted
    investigation = next(r for r in rows[1:] if r[0] == report_world.org.investigation.name)
    assert investigation[2] == timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M:%S")


def test_a_controller_of_another_board_cannot_export_the_progress(client, report_world, org):
    client.force_login(make_user("aldrestrateg", (org.elderly_admin, Role.CONTROLLER)))
    assert client.get(progress_url(report_world), CSV).status_code == 404


def test_a_board_member_cannot_export_the_progress(client, report_world, board_member):
    client.force_login(board_member)
    assert client.get(progress_url(report_world), CSV).status_code == 403
