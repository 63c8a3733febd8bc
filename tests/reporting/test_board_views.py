"""Journey 3: the board member's goal report (Målrapport), its drill-down into one goal and the
trend charts. Read only; scoped: unit managers and team members see their own part, outsiders
and other boards nothing (404)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from governance.models import Role
from reporting.models import ReportingRound
from reporting.rules import DivergenceKind
from tests.conftest import make_user
from tests.reporting.test_evidence import grow, period, report_world  # noqa: F401  (fixture)


def in_swedish(text):
    with translation.override("sv"):
        return str(text)


def report_url(world):
    return reverse("reporting:goal-report-round", args=[world.round.pk])


def goal_url(world, goal=None):
    return reverse("reporting:goal-report-goal", args=[world.round.pk, (goal or world.goal_support).pk])


def chart_url(link, reporting_round, fmt="svg"):
    name = "reporting:indicator-chart" if fmt == "svg" else "reporting:indicator-chart-png"
    return reverse(name, kwargs={"link_pk": link.pk, "round_pk": reporting_round.pk})


@pytest.fixture
def other_board_member(org):
    return make_user("aldreledamot", (org.elderly_board, Role.BOARD_MEMBER))


# --- landing and choosing a round ----------------------------------------------------------------------

def test_board_member_lands_on_the_latest_opened_round_of_their_board(client, report_world, board_member):
    ReportingRound.objects.create(board=report_world.org.board, period=period(report_world.year, "tertial", 3),
                                  name="T3 2026", deadline=datetime.date(2027, 1, 15))  # planned: not yet
    client.force_login(board_member)
    response = client.get(reverse("reporting:goal-report"))
    assert response.status_code == 302 and response.url == report_url(report_world)


def test_board_member_can_choose_another_round(client, report_world, board_member):
    t1 = ReportingRound.objects.create(board=report_world.org.board, period=period(report_world.year, "tertial", 1),
                                       name="T1 2026", deadline=datetime.date(2026, 5, 15),
                                       state=ReportingRound.State.CLOSED, opened_at=timezone.now(),
                                       closed_at=timezone.now())
    client.force_login(board_member)
    page = client.get(report_url(report_world))
    assert f'<option value="{t1.pk}"' in page.content.decode()
    response = client.get(reverse("reporting:goal-report"), {"round": t1.pk})
    assert response.status_code == 302 and response.url == reverse("reporting:goal-report-round", args=[t1.pk])


def test_choosing_a_round_of_another_board_is_not_found(client, report_world, board_member, org):
    other = ReportingRound.objects.create(board=org.elderly_board, period=report_world.round.period, name="T2 Äldre",
                                          deadline=datetime.date(2026, 9, 15))
    client.force_login(board_member)
    assert client.get(reverse("reporting:goal-report"), {"round": other.pk}).status_code == 404
    assert client.get(reverse("reporting:goal-report"), {"round": "nonsense"}).status_code == 404


def test_a_board_without_rounds_says_so(client, org, board_member):
    client.force_login(board_member)
    response = client.get(reverse("reporting:goal-report"))
    assert response.status_code == 200
    assert response.templates[0].name == "reporting/board/no_rounds.html"


# --- the report ----------------------------------------------------------------------------------------

def test_the_report_shows_one_row_per_political_goal(client, report_world, board_member):
    client.force_login(board_member)
    response = client.get(report_url(report_world))
    assert response.status_code == 200
    html = response.content.decode()
    assert [s.goal_id for s in response.context["goals"]] == [report_world.goal_support.pk, report_world.goal_children.pk]
    assert html.count('<th scope="row"><a href="/malrapport/') == 2
    assert report_world.goal_support.title in html and report_world.goal_old.title not in html
    assert goal_url(report_world) in html


def test_the_report_shows_the_counts_per_status_with_words(client, report_world, board_member):
    client.force_login(board_member)
    response = client.get(report_url(report_world))
    summary = response.context["goals"][0]
    assert [(c.code, c.count) for c in summary.mandated] == [("met", 1), ("not_met", 1)]
    assert [(c.code, c.count) for c in summary.self_assessments] == [("attained", 1), ("partly", 1), ("not_attained", 1)]
    html = response.content.decode()
    assert '<span class="status status-not_met">' in html  # a word in a badge, never colour alone


def test_the_divergence_signal_is_shown_in_words(client, report_world, board_member):
    client.force_login(board_member)
    response = client.get(report_url(report_world))
    html = response.content.decode()
    summary = response.context["goals"][0]
    assert [(d.where, d.text) for d in summary.divergences] == [("Familjebehandling", DivergenceKind.NUMBERS_WORSE.label)]
    assert in_swedish(DivergenceKind.NUMBERS_WORSE.label) in html
    # The unit named links to its place in the goal's drill-down.
    unit_id = summary.divergences[0].unit_id
    assert f'<a href="{goal_url(report_world)}?unit={unit_id}#unit-{unit_id}">Familjebehandling</a>:' in html


def test_the_report_shows_the_controllers_assessment(client, report_world, board_member):
    client.force_login(board_member)
    html = client.get(report_url(report_world)).content.decode()
    assert report_world.assessment.text in html
    assert '<span class="status status-partly">' in html


def test_only_the_controller_sees_the_suggested_assessment(client, report_world, board_member, controller):
    client.force_login(board_member)
    assert 'class="suggestion' not in client.get(report_url(report_world)).content.decode()
    client.force_login(controller)
    assert 'class="suggestion' in client.get(report_url(report_world)).content.decode()


def test_the_report_is_read_only(client, report_world, board_member):
    client.force_login(board_member)
    assert client.post(report_url(report_world)).status_code == 405
    assert client.post(goal_url(report_world)).status_code == 405


def test_the_report_prints_without_the_menu_and_the_round_chooser(client, report_world, board_member):
    from django.contrib.staticfiles import finders

    ReportingRound.objects.create(board=report_world.org.board, period=period(report_world.year, "tertial", 1),
                                  name="T1 2026", deadline=datetime.date(2026, 5, 15))
    client.force_login(board_member)
    html = client.get(report_url(report_world)).content.decode()
    assert 'class="report-chooser"' in html
    css = open(finders.find("css/tillit.css"), encoding="utf-8").read()
    print_rules = "".join(block.split("}\n}")[0] for block in css.split("@media print")[1:])
    assert ".report-chooser" in print_rules and ".site-header" in print_rules


# --- the drill-down ----------------------------------------------------------------------------------

def test_the_drill_down_shows_every_contributing_unit(client, report_world, board_member):
    client.force_login(board_member)
    response = client.get(goal_url(report_world))
    assert response.status_code == 200
    units = [unit.name for unit in response.context["units"]]
    assert units == ["Familjebehandling", "Barnutredning", "Ekonomiskt bistånd"]


def test_the_drill_down_shows_indicators_with_target_status_and_chart(client, report_world, board_member):
    client.force_login(board_member)
    html = client.get(goal_url(report_world)).content.decode()
    assert report_world.mandated.name in html and "SoL 11 kap. 2 §" in html
    assert "≥ 90,0 %" in html and "60,0 %" in html  # target and value, with a decimal comma
    assert chart_url(report_world.family.mandated_link, report_world.round) in html
    assert 'alt="' in html and 'class="chart-data"' in html  # the text alternative beside each chart


def test_the_chart_has_its_values_as_a_table(client, report_world, board_member):
    client.force_login(board_member)
    response = client.get(goal_url(report_world))
    family = response.context["units"][0]
    chart = family.indicators[0].chart
    assert [p.label for p in chart.points][-1] == "aug 2026"
    html = response.content.decode()
    assert "<th scope=\"row\">aug 2026</th>" in html
    assert chart.description in html.replace("&#x27;", "'")


def test_the_drill_down_shows_submitted_texts_and_hides_drafts(client, report_world, board_member):
    client.force_login(board_member)
    html = client.get(goal_url(report_world)).content.decode()
    assert "Team Norr införde kvällstider" in html
    assert "Team Söder införde kvällstider" not in html  # still a draft
    assert "Handläggningstiden ökade under sommaren." in html


def test_the_drill_down_shows_the_teams_activities_with_their_latest_update(client, report_world, board_member):
    client.force_login(board_member)
    html = client.get(goal_url(report_world)).content.decode()
    assert report_world.family.activity.title in html and "Första kvällen hölls." in html


def test_a_goal_of_another_year_or_board_is_not_found(client, report_world, board_member, org):
    from governance.models import PoliticalGoal

    client.force_login(board_member)
    assert client.get(goal_url(report_world, report_world.goal_old)).status_code == 404
    elderly_goal = PoliticalGoal.objects.create(board=org.elderly_board, code="1", title="Trygg äldreomsorg",
                                                short_title="Trygg", valid_from=2023, valid_to=2026)
    assert client.get(goal_url(report_world, elderly_goal)).status_code == 404


# --- scope ---------------------------------------------------------------------------------------------

def test_a_unit_manager_sees_only_their_units_part_of_the_report(client, report_world, unit_manager):
    client.force_login(unit_manager)
    response = client.get(goal_url(report_world))
    assert response.status_code == 200
    assert [unit.name for unit in response.context["units"]] == ["Familjebehandling"]
    assert "Barnutredning" not in response.content.decode()


def test_a_team_member_reads_their_own_teams_part(client, report_world, team_member):
    client.force_login(team_member)
    html = client.get(goal_url(report_world)).content.decode()
    assert "Team Norr införde kvällstider" in html and "Utredningsteam" not in html


@pytest.mark.parametrize("who", ["outsider", "other_board_member"])
def test_outsiders_get_not_found_everywhere(client, report_world, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(report_url(report_world)).status_code == 404
    assert client.get(goal_url(report_world)).status_code == 404
    assert client.get(chart_url(report_world.family.mandated_link, report_world.round)).status_code == 404


def test_an_outsider_without_any_board_gets_not_found_on_the_landing_page(client, report_world, outsider):
    client.force_login(outsider)
    assert client.get(reverse("reporting:goal-report")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, report_world):
    response = client.get(report_url(report_world))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- charts --------------------------------------------------------------------------------------------

def test_the_chart_is_served_as_svg_with_private_caching(client, report_world, board_member):
    client.force_login(board_member)
    response = client.get(chart_url(report_world.family.mandated_link, report_world.round))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") and b"<svg" in response.content
    assert "private" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]


def test_the_chart_is_also_served_as_png(client, report_world, board_member):
    client.force_login(board_member)
    response = client.get(chart_url(report_world.family.own_link, report_world.round, fmt="png"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_a_unit_manager_cannot_see_another_units_chart(client, report_world, unit_manager):
    client.force_login(unit_manager)
    assert client.get(chart_url(report_world.family.mandated_link, report_world.round)).status_code == 200
    assert client.get(chart_url(report_world.investigation.mandated_link, report_world.round)).status_code == 404


# --- an adopted report is frozen ---------------------------------------------------------------------------

def adopt(world, controller, *, indexed=True):
    """Adopt the round's report the way the workflow does: freeze its snapshot, with its index
    (``indexed=False``: as a report stored before the index existed)."""
    from reporting.snapshot import build_snapshot

    snapshot = build_snapshot(user=controller, reporting_round=world.round)
    world.report.state, world.report.adopted_on, world.report.minute_paragraph = "adopted", datetime.date(2026, 10, 20), "§ 87"
    world.report.store_snapshot(snapshot)
    # An adopted report refuses save() (reporting.locks), and this may adopt it again, larger.
    type(world.report).objects.filter(pk=world.report.pk).update(
        state=world.report.state, adopted_on=world.report.adopted_on, minute_paragraph=world.report.minute_paragraph,
        snapshot=snapshot, snapshot_index=world.report.snapshot_index if indexed else None)


def change_everything_after_adoption(world):
    from scorecards.models import Measurement

    Measurement.objects.filter(unit=world.org.family, indicator=world.mandated).update(value=99)
    # The models refuse to save a part of an adopted report; a queryset update is the one way
    # round that (reporting.locks), and even then the report shows what the board adopted.
    world.assessment.text = "Ändrad efter beslutet."
    type(world.assessment).objects.filter(pk=world.assessment.pk).update(text=world.assessment.text)
    world.goal_support.title = "Ett nytt namn på målet"
    world.goal_support.save()


def test_an_adopted_report_shows_what_the_board_adopted(client, report_world, board_member, controller):
    adopt(report_world, controller)
    change_everything_after_adoption(report_world)
    client.force_login(board_member)
    html = client.get(report_url(report_world)).content.decode()
    assert 'id="frozen-notice"' in html and "§ 87" in html
    assert "Invånare får rätt stöd i rätt tid" in html and "Ett nytt namn på målet" not in html
    assert report_world.assessment.text not in html and "Väntetiderna har minskat" in html
    summary = client.get(report_url(report_world)).context["goals"][0]
    assert [(c.code, c.count) for c in summary.mandated] == [("met", 1), ("not_met", 1)]
    assert [d.where for d in summary.divergences] == ["Familjebehandling"]


def test_an_adopted_reports_drill_down_and_charts_keep_the_adopted_values(client, report_world, board_member,
                                                                          controller):
    adopt(report_world, controller)
    change_everything_after_adoption(report_world)
    client.force_login(board_member)
    response = client.get(goal_url(report_world))
    html = response.content.decode()
    assert "60,0 %" in html and "99,0 %" not in html
    assert [unit.name for unit in response.context["units"]] == ["Familjebehandling", "Barnutredning",
                                                                 "Ekonomiskt bistånd"]
    chart = response.context["units"][0].indicators[0].chart
    assert [p.text for p in chart.points][-1] == "60,0 %"
    svg = client.get(chart_url(report_world.family.mandated_link, report_world.round)).content.decode()
    assert "99,0" not in svg


def test_a_correction_of_an_adopted_report_shows_the_live_data_again(client, report_world, board_member, controller):
    from reporting.models import BoardReport

    adopt(report_world, controller)
    BoardReport.objects.create(board=report_world.org.board, round=report_world.round, version_number=2,
                               previous=report_world.report)
    change_everything_after_adoption(report_world)
    client.force_login(board_member)
    html = client.get(report_url(report_world)).content.decode()
    assert 'id="frozen-notice"' not in html and "Ett nytt namn på målet" in html


def test_a_unit_manager_keeps_seeing_only_their_part_of_an_adopted_report(client, report_world, unit_manager,
                                                                          controller):
    adopt(report_world, controller)
    client.force_login(unit_manager)
    response = client.get(goal_url(report_world))
    assert [unit.name for unit in response.context["units"]] == ["Familjebehandling"]
    assert "Barnutredning" not in response.content.decode()


# --- queries -------------------------------------------------------------------------------------------

# The drill-down runs three steps: the goal's evidence (as the report), its units, and the rows of
# the page's units.
@pytest.mark.parametrize("page,limit", [("report", 22), ("goal", 32)])
def test_report_pages_run_a_fixed_number_of_queries(client, report_world, board_member, page, limit,
                                                    django_assert_max_num_queries):
    client.force_login(board_member)
    url = report_url(report_world) if page == "report" else goal_url(report_world)
    with django_assert_max_num_queries(limit) as small:
        assert client.get(url).status_code == 200
    grow(report_world, 6)
    with django_assert_max_num_queries(limit) as large:
        response = client.get(url)
        assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    if page == "goal":
        assert len(response.context["units"]) == 9


@pytest.mark.parametrize("page", ["report", "goal"])
def test_an_adopted_report_runs_a_fixed_number_of_queries(client, report_world, board_member, controller, page,
                                                          django_assert_max_num_queries):
    url = report_url(report_world) if page == "report" else goal_url(report_world)
    adopt(report_world, controller)
    client.force_login(board_member)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    grow(report_world, 4)
    adopt(report_world, controller)  # a larger report
    with django_assert_max_num_queries(12) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
