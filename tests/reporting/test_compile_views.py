"""The controller compiles the board report and records the board's decision
(``/malrapport/<round>/sammanstall/``): the evidence and the suggestion per goal, the controller's
own assessment, the summary, "mark ready", the decision and, once adopted, the frozen report and
a correction. Writes go through the services; their errors come back on the form that was sent,
with what the user typed; a stale page is refused with a message; nothing is ever a 500."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from governance.concurrency import StaleWrite
from governance.models import Role
from reporting import services
from reporting.models import BoardReport, GoalAssessment
from reporting.rules import Assessment
from tests.conftest import make_user
from tests.reporting.test_evidence import TODAY, grow, report_world  # noqa: F401  (fixture)


def in_swedish(text):
    with translation.override("sv"):
        return str(text)


def compile_url(world):
    return reverse("reporting:board-report-compile", args=[world.round.pk])


def assess_url(world, goal):
    return reverse("reporting:board-report-assess", args=[world.round.pk, goal.pk])


def url(name, world):
    return reverse(f"reporting:{name}", args=[world.round.pk])


def assessment_data(goal, *, assessment="attained", text="Målet är nått.", version="", report=""):
    prefix = f"goal-{goal.pk}"
    return {f"{prefix}-assessment": assessment, f"{prefix}-text": text, f"{prefix}-version": version,
            f"{prefix}-report": report}


def state(report):
    report = BoardReport.objects.get(pk=report.pk)
    return (report.state, report.summary, report.version, report.snapshot,
            list(report.goal_assessments.order_by("pk").values_list("assessment", "text", "version")))


@pytest.fixture
def compiling(client, controller):
    client.force_login(controller)
    return client


@pytest.fixture
def ready_world(report_world, controller):
    report = report_world.report
    services.goal_assessment_set(user=controller, report=report, political_goal=report_world.goal_children,
                                 assessment=Assessment.TOO_EARLY, text="Insatserna har just börjat.")
    report.refresh_from_db()
    report_world.report = services.board_report_mark_ready(user=controller, report=report,
                                                           expected_version=report.version)
    return report_world


@pytest.fixture
def adopted_world(ready_world, controller):
    report = ready_world.report
    ready_world.report = services.board_report_adopt(user=controller, report=report,
                                                     adopted_on=datetime.date(2026, 10, 21), minute_paragraph="§ 45",
                                                     expected_version=report.version, today=TODAY)
    return ready_world


# --- the page --------------------------------------------------------------------------------------------

def test_controller_sees_the_evidence_and_a_form_per_political_goal(compiling, report_world):
    response = compiling.get(compile_url(report_world))
    assert response.status_code == 200
    html = response.content.decode()
    assert [block.summary.goal_id for block in response.context["goals"]] == [
        report_world.goal_support.pk, report_world.goal_children.pk]
    for goal in (report_world.goal_support, report_world.goal_children):
        assert f'id="goal-{goal.pk}-form"' in html and assess_url(report_world, goal) in html
    support = response.context["goals"][0].summary
    assert [(c.code, c.count) for c in support.mandated] == [("met", 1), ("not_met", 1)]
    assert ">Familjebehandling</a>:" in html  # the divergence, in words, linked to the unit
    assert '<span class="status status-not_met">' in html


def test_the_suggestion_is_labelled_as_such_and_never_fills_in_the_form(compiling, report_world):
    GoalAssessment.objects.filter(pk=report_world.assessment.pk).delete()
    response = compiling.get(compile_url(report_world))
    block = response.context["goals"][0]
    assert block.summary.suggestion_label == Assessment.PARTLY.label
    assert block.form["assessment"].value() in ("", None) and not block.form["text"].value()
    html = response.content.decode()
    suggestion = html.split(f'id="goal-{report_world.goal_support.pk}-suggestion"')[1].split("</p>")[0]
    assert in_swedish(Assessment.PARTLY.label) in suggestion and 'class="badge"' in suggestion
    form_html = html.split(f'id="goal-{report_world.goal_support.pk}-form"')[1].split("</form>")[0]
    assert form_html.count("selected") == 1 and '<option value="" selected>' in form_html


def test_the_form_starts_from_the_controllers_saved_assessment(compiling, report_world):
    block = compiling.get(compile_url(report_world)).context["goals"][0]
    assert block.form["assessment"].value() == Assessment.PARTLY
    assert block.form["text"].value() == report_world.assessment.text
    assert block.form["version"].value() == report_world.assessment.version


def test_looking_at_the_page_does_not_start_a_report(compiling, report_world):
    report_world.report.delete()
    response = compiling.get(compile_url(report_world))
    assert response.status_code == 200 and response.context["report"] is None
    assert not BoardReport.objects.exists()


def test_the_goal_report_links_to_the_compile_page_for_controllers_only(client, report_world, controller, board_member):
    report_url = reverse("reporting:goal-report-round", args=[report_world.round.pk])
    client.force_login(controller)
    html = client.get(report_url).content.decode()
    assert compile_url(report_world) in html and url("board-workbook", report_world) in html
    client.force_login(board_member)
    html = client.get(report_url).content.decode()
    assert compile_url(report_world) not in html and url("board-workbook", report_world) in html


def test_the_compile_page_links_to_the_workbook(compiling, report_world):
    assert url("board-workbook", report_world) in compiling.get(compile_url(report_world)).content.decode()


# --- assessing a goal ------------------------------------------------------------------------------------

def test_controller_saves_an_assessment_of_a_goal(compiling, report_world):
    goal = report_world.goal_children
    response = compiling.post(assess_url(report_world, goal), assessment_data(goal, report=report_world.report.pk))
    assert response.status_code == 302 and response.url.endswith(f"#goal-{goal.pk}")
    saved = GoalAssessment.objects.get(report=report_world.report, political_goal=goal)
    assert (saved.assessment, saved.text) == ("attained", "Målet är nått.")


def test_the_first_assessment_starts_the_draft_report(compiling, report_world):
    report_world.report.delete()
    goal = report_world.goal_support
    response = compiling.post(assess_url(report_world, goal), assessment_data(goal))
    assert response.status_code == 302
    report = BoardReport.objects.get(round=report_world.round)
    assert report.state == BoardReport.State.DRAFT
    assert report.goal_assessments.get().assessment == "attained"


def test_changing_a_saved_assessment_from_the_current_version(compiling, report_world):
    goal, saved = report_world.goal_support, report_world.assessment
    response = compiling.post(assess_url(report_world, goal), assessment_data(
        goal, assessment="not_attained", text="Utredningstiderna väger tyngst.", version=saved.version,
        report=report_world.report.pk))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.assessment, saved.version) == ("not_attained", 2)


def test_a_stale_assessment_is_refused_and_what_was_typed_is_kept(compiling, report_world, controller):
    goal, saved = report_world.goal_support, report_world.assessment
    services.goal_assessment_set(user=controller, report=report_world.report, political_goal=goal,
                                 assessment=Assessment.ATTAINED, text="Någon annans bedömning.",
                                 expected_version=saved.version)
    response = compiling.post(assess_url(report_world, goal), assessment_data(
        goal, assessment="not_attained", text="Min text som inte får försvinna.", version=saved.version,
        report=report_world.report.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert in_swedish(StaleWrite.message) in html
    assert "Min text som inte får försvinna." in html
    saved.refresh_from_db()
    assert saved.text == "Någon annans bedömning."


def test_an_assessment_saved_by_someone_else_since_the_page_was_shown_is_not_overwritten(compiling, report_world,
                                                                                         controller):
    goal = report_world.goal_children  # the page showed no assessment of this goal
    services.goal_assessment_set(user=controller, report=report_world.report, political_goal=goal,
                                 assessment=Assessment.ATTAINED, text="Kollegans bedömning.")
    response = compiling.post(assess_url(report_world, goal), assessment_data(
        goal, assessment="not_attained", text="Min bedömning.", report=report_world.report.pk))
    assert response.status_code == 200
    assert in_swedish(StaleWrite.message) in response.content.decode()
    assert GoalAssessment.objects.get(political_goal=goal).text == "Kollegans bedömning."


def test_personal_data_in_the_motivation_is_shown_under_the_field(compiling, report_world):
    goal = report_world.goal_children
    response = compiling.post(assess_url(report_world, goal), assessment_data(
        goal, text="Gäller 201212121212 och hennes familj.", report=report_world.report.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_goal-{goal.pk}-text_errors"' in html
    assert f'id="goal-{goal.pk}-errors"' in html and "201212121212" in html  # the typed text stays in the form
    assert not GoalAssessment.objects.filter(political_goal=goal).exists()


def test_an_unknown_assessment_is_a_field_error(compiling, report_world):
    goal = report_world.goal_children
    response = compiling.post(assess_url(report_world, goal), assessment_data(goal, assessment="brilliant"))
    assert response.status_code == 200
    assert f'id="id_goal-{goal.pk}-assessment_errors"' in response.content.decode()
    assert not GoalAssessment.objects.filter(political_goal=goal).exists()


def test_a_goal_outside_the_rounds_year_is_refused_with_a_message(compiling, report_world):
    goal = report_world.goal_old
    response = compiling.post(assess_url(report_world, goal), assessment_data(goal, report=report_world.report.pk))
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not GoalAssessment.objects.filter(political_goal=goal).exists()


def test_a_goal_of_another_board_is_not_found(compiling, report_world, org):
    other = type(report_world.goal_support).objects.create(board=org.elderly_board, code="1", title="Trygg äldreomsorg",
                                                           valid_from=2023, valid_to=2026)
    response = compiling.post(assess_url(report_world, other), assessment_data(other))
    assert response.status_code == 404
    assert not GoalAssessment.objects.filter(political_goal=other).exists()


def test_a_page_shown_for_another_version_of_the_report_is_stale(compiling, adopted_world, controller):
    correction = services.board_report_correct(user=controller, report=adopted_world.report)
    goal = adopted_world.goal_support
    copied = correction.goal_assessments.get(political_goal=goal)
    response = compiling.post(assess_url(adopted_world, goal), assessment_data(
        goal, version=copied.version, report=adopted_world.report.pk))
    assert response.status_code == 200
    assert in_swedish(StaleWrite.message) in response.content.decode()
    copied.refresh_from_db()
    assert copied.assessment == Assessment.PARTLY


# --- the summary -----------------------------------------------------------------------------------------

def test_controller_saves_the_summary(compiling, report_world):
    report = report_world.report
    response = compiling.post(url("board-report-summary", report_world), {
        "summary-summary": "Tertialet präglades av kortare väntan.", "summary-version": report.version,
        "summary-report": report.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.summary == "Tertialet präglades av kortare väntan."


def test_a_stale_summary_is_refused_and_kept_in_the_form(compiling, report_world, controller):
    report = report_world.report
    services.board_report_update(user=controller, report=report, summary="Kollegans text.",
                                 expected_version=report.version)
    response = compiling.post(url("board-report-summary", report_world), {
        "summary-summary": "Min sammanfattning.", "summary-version": report.version, "summary-report": report.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert in_swedish(StaleWrite.message) in html and "Min sammanfattning." in html
    report.refresh_from_db()
    assert report.summary == "Kollegans text."


# --- ready for the board ---------------------------------------------------------------------------------

def test_mark_ready_lists_the_goals_without_an_assessment(compiling, report_world):
    report = report_world.report
    response = compiling.post(url("board-report-ready", report_world),
                              {"ready-version": report.version, "ready-report": report.pk})
    assert response.status_code == 200
    errors = response.content.decode().split('id="ready-errors"')[1].split("</div>")[0]
    assert report_world.goal_children.title in errors and report_world.goal_support.title not in errors
    report.refresh_from_db()
    assert report.state == BoardReport.State.DRAFT


def test_a_report_with_every_goal_assessed_is_marked_ready_and_offers_the_decision(compiling, report_world, controller):
    services.goal_assessment_set(user=controller, report=report_world.report, political_goal=report_world.goal_children,
                                 assessment=Assessment.TOO_EARLY, text="")
    report = BoardReport.objects.get(pk=report_world.report.pk)
    response = compiling.post(url("board-report-ready", report_world),
                              {"ready-version": report.version, "ready-report": report.pk}, follow=True)
    report.refresh_from_db()
    assert report.state == BoardReport.State.READY
    html = response.content.decode()
    assert 'id="decision-form"' in html and 'id="ready-form"' not in html


def test_the_decision_form_is_not_offered_on_a_draft(compiling, report_world):
    html = compiling.get(compile_url(report_world)).content.decode()
    assert 'id="decision-form"' not in html and 'id="decision-waiting"' in html


# --- the board's decision --------------------------------------------------------------------------------

def decision(world, *, adopted_on="2026-10-21", paragraph="§ 45", version=None):
    report = BoardReport.objects.get(pk=world.report.pk)
    return {"decision-adopted_on": adopted_on, "decision-minute_paragraph": paragraph,
            "decision-version": report.version if version is None else version, "decision-report": report.pk}


def test_a_decision_without_date_and_paragraph_shows_both_field_errors(compiling, ready_world):
    response = compiling.post(url("board-report-adopt", ready_world),
                              decision(ready_world, adopted_on="", paragraph=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_decision-adopted_on_errors"' in html and 'id="id_decision-minute_paragraph_errors"' in html
    assert BoardReport.objects.get(pk=ready_world.report.pk).state == BoardReport.State.READY


def test_a_date_that_is_not_a_date_is_a_field_error(compiling, ready_world):
    response = compiling.post(url("board-report-adopt", ready_world), decision(ready_world, adopted_on="i tisdags"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_decision-adopted_on_errors"' in html and 'value="§ 45"' in html
    assert BoardReport.objects.get(pk=ready_world.report.pk).state == BoardReport.State.READY


def test_recording_the_decision_adopts_and_freezes_the_report(compiling, ready_world, controller):
    response = compiling.post(url("board-report-adopt", ready_world), decision(ready_world), follow=True)
    report = BoardReport.objects.get(pk=ready_world.report.pk)
    assert report.state == BoardReport.State.ADOPTED and report.minute_paragraph == "§ 45"
    assert report.adopted_on == datetime.date(2026, 10, 21) and report.adopted_recorded_by == controller
    assert report.snapshot["report"]["state"] == "adopted"
    html = response.content.decode()
    assert 'id="frozen-notice"' in html and 'id="correction-form"' in html
    assert 'class="compile-form"' not in html  # no form changes the adopted report
    assert "§ 45" in html


def test_a_stale_decision_is_refused(compiling, ready_world):
    data = decision(ready_world, version=ready_world.report.version - 1)
    response = compiling.post(url("board-report-adopt", ready_world), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert in_swedish(StaleWrite.message) in html and 'value="§ 45"' in html
    assert BoardReport.objects.get(pk=ready_world.report.pk).state == BoardReport.State.READY


def test_a_decision_on_a_report_that_became_a_draft_meanwhile_says_why(compiling, ready_world, controller):
    data = decision(ready_world)
    report = BoardReport.objects.get(pk=ready_world.report.pk)
    services.board_report_update(user=controller, report=report, summary="Ändrad", expected_version=report.version)
    response = compiling.post(url("board-report-adopt", ready_world), {**data, "decision-version": ""})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert BoardReport.objects.get(pk=report.pk).state == BoardReport.State.DRAFT


# --- the adopted report ----------------------------------------------------------------------------------

def test_the_adopted_report_is_shown_from_its_snapshot(compiling, adopted_world):
    response = compiling.get(compile_url(adopted_world))
    assert response.context["frozen"] is True
    html = response.content.decode()
    assert 'id="frozen-notice"' in html and "Insatserna har just börjat." in html
    assert f'id="goal-{adopted_world.goal_support.pk}-form"' not in html and 'id="summary-form"' not in html


def test_no_route_changes_the_adopted_report(compiling, adopted_world):
    report = adopted_world.report
    before = state(report)
    goal = adopted_world.goal_support
    responses = [
        compiling.post(assess_url(adopted_world, goal), assessment_data(goal, version=2, report=report.pk)),
        compiling.post(url("board-report-summary", adopted_world), {
            "summary-summary": "Ändrad", "summary-version": report.version, "summary-report": report.pk}),
        compiling.post(url("board-report-ready", adopted_world),
                       {"ready-version": report.version, "ready-report": report.pk}),
        compiling.post(url("board-report-adopt", adopted_world), decision(adopted_world, paragraph="§ 99")),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert all("error" in [m.level_tag for m in r.context["messages"]] or b"error-summary" in r.content
               for r in responses)
    assert state(report) == before


def test_controller_starts_a_correction(compiling, adopted_world):
    report = adopted_world.report
    response = compiling.post(url("board-report-correct", adopted_world),
                              {"correction-version": report.version, "correction-report": report.pk}, follow=True)
    correction = BoardReport.objects.get(round=adopted_world.round, version_number=2)
    assert correction.previous == report and correction.state == BoardReport.State.DRAFT
    html = response.content.decode()
    assert 'id="correction-notice"' in html and "§ 45" in html
    block = response.context["goals"][0]
    assert block.form["assessment"].value() == Assessment.PARTLY  # copied from the adopted version
    assert BoardReport.objects.get(pk=report.pk).state == BoardReport.State.ADOPTED


def test_a_second_correction_of_the_same_version_is_refused_with_a_message(compiling, adopted_world, controller):
    report = adopted_world.report
    services.board_report_correct(user=controller, report=report)
    response = compiling.post(url("board-report-correct", adopted_world),
                              {"correction-version": report.version, "correction-report": report.pk}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert BoardReport.objects.filter(round=adopted_world.round).count() == 2


# --- who may ---------------------------------------------------------------------------------------------

@pytest.fixture
def other_controller(org):
    return make_user("aldrestrateg", (org.elderly_admin, Role.CONTROLLER))


@pytest.mark.parametrize("who", ["board_member", "unit_manager", "team_member"])
def test_readers_who_do_not_compile_get_403_and_change_nothing(client, request, who, ready_world):
    client.force_login(request.getfixturevalue(who))
    report = ready_world.report
    before = state(report)
    goal = ready_world.goal_support
    assert client.get(compile_url(ready_world)).status_code == 403
    data = assessment_data(goal, version=1, report=report.pk)
    assert client.post(assess_url(ready_world, goal), data).status_code == 403
    assert client.post(url("board-report-summary", ready_world), {"summary-summary": "x"}).status_code == 403
    assert client.post(url("board-report-ready", ready_world), {}).status_code == 403
    assert client.post(url("board-report-adopt", ready_world), decision(ready_world)).status_code == 403
    assert client.post(url("board-report-correct", ready_world), {}).status_code == 403
    assert state(report) == before


@pytest.mark.parametrize("who", ["outsider", "other_controller"])
def test_users_outside_the_board_get_404_and_change_nothing(client, request, who, ready_world):
    client.force_login(request.getfixturevalue(who))
    report = ready_world.report
    before = state(report)
    goal = ready_world.goal_support
    assert client.get(compile_url(ready_world)).status_code == 404
    assert client.post(assess_url(ready_world, goal), assessment_data(goal, version=1)).status_code == 404
    assert client.post(url("board-report-adopt", ready_world), decision(ready_world)).status_code == 404
    assert state(report) == before


def test_anonymous_users_are_sent_to_the_login(client, report_world):
    response = client.get(compile_url(report_world))
    assert response.status_code == 302 and "/logga-in/" in response.url


def test_the_write_routes_only_take_posts(compiling, report_world):
    for name in ("board-report-summary", "board-report-ready", "board-report-adopt", "board-report-correct"):
        assert compiling.get(url(name, report_world)).status_code == 405
    assert compiling.get(assess_url(report_world, report_world.goal_support)).status_code == 405


# --- queries ---------------------------------------------------------------------------------------------

def count_queries(client, page_url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url).status_code == 200
    return len(queries)


def test_the_compile_page_runs_the_same_queries_whatever_the_size(compiling, report_world,
                                                                  django_assert_max_num_queries):
    small = count_queries(compiling, compile_url(report_world))
    grow(report_world, 6)
    with django_assert_max_num_queries(small):
        compiling.get(compile_url(report_world))
    assert count_queries(compiling, compile_url(report_world)) == small


def adopt(world, user, report):
    for goal in (world.goal_support, world.goal_children):
        services.goal_assessment_set(user=user, report=report, political_goal=goal, assessment=Assessment.TOO_EARLY,
                                     text="", expected_version=report.goal_assessments.filter(political_goal=goal)
                                     .values_list("version", flat=True).first())
    report.refresh_from_db()
    report = services.board_report_mark_ready(user=user, report=report, expected_version=report.version)
    return services.board_report_adopt(user=user, report=report, adopted_on=datetime.date(2026, 10, 21),
                                       minute_paragraph="§ 45", expected_version=report.version, today=TODAY)


def test_the_adopted_page_runs_the_same_queries_whatever_the_size(compiling, report_world, controller,
                                                                  django_assert_max_num_queries):
    first = adopt(report_world, controller, report_world.report)
    small = count_queries(compiling, compile_url(report_world))
    grow(report_world, 6)
    correction = services.board_report_correct(user=controller, report=first)
    larger = adopt(report_world, controller, correction)
    assert len(str(larger.snapshot)) > 3 * len(str(first.snapshot))
    with django_assert_max_num_queries(small):
        compiling.get(compile_url(report_world))
    assert count_queries(compiling, compile_url(report_world)) == small
