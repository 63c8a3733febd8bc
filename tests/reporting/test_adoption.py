"""The board report's workflow in the services (docs/architecture.md §5 steps 3–4): the controller compiles
the report (an assessment per political goal and a summary) and marks it ready; the board's
decision is recorded with its date and minute paragraph, and adoption freezes the report. After
that no service changes it, and later changes to goals, indicators or values do not alter what
it says; a correction is a new version that points at the adopted one."""

import copy
import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.concurrency import StaleWrite
from governance.models import Role
from reporting import services
from reporting.models import BoardReport, GoalAssessment
from reporting.rules import Assessment
from scorecards.models import Measurement
from tests.conftest import make_user
from tests.reporting.test_evidence import TODAY, period, report_world  # noqa: F401  (fixture)

DECISION_DAY = datetime.date(2026, 10, 21)


@pytest.fixture
def other_controller(org):
    """A controller serving another board (Äldrenämnden)."""
    return make_user("aldrestrateg", (org.elderly_admin, Role.CONTROLLER))


def assess_every_goal(world, user, report):
    for goal, assessment in ((world.goal_support, Assessment.PARTLY), (world.goal_children, Assessment.TOO_EARLY)):
        services.goal_assessment_set(user=user, report=report, political_goal=goal, assessment=assessment,
                                     text=f"Bedömning av mål {goal.code}.",
                                     expected_version=_assessment_version(report, goal))
    return BoardReport.objects.get(pk=report.pk)


def _assessment_version(report, goal):
    return GoalAssessment.objects.filter(report=report, political_goal=goal).values_list("version", flat=True).first()


@pytest.fixture
def ready_report(report_world, controller):
    report = assess_every_goal(report_world, controller, report_world.report)
    report = services.board_report_update(user=controller, report=report, summary="Ett tertial med kortare väntan.",
                                          expected_version=report.version)
    return services.board_report_mark_ready(user=controller, report=report, expected_version=report.version)


@pytest.fixture
def adopted_report(ready_report, controller):
    return services.board_report_adopt(user=controller, report=ready_report, adopted_on=DECISION_DAY,
                                       minute_paragraph="§ 45", expected_version=ready_report.version, today=TODAY)


def frozen_state(report):
    report = BoardReport.objects.get(pk=report.pk)
    assessments = list(report.goal_assessments.order_by("pk").values_list("political_goal_id", "assessment", "text",
                                                                            "version"))
    return (report.state, report.summary, report.adopted_on, report.minute_paragraph, report.version, report.snapshot,
            assessments)


# --- starting --------------------------------------------------------------------------------------------

def test_controller_starts_a_draft_report_for_a_round_without_one(report_world, controller):
    report_world.report.delete()
    report = services.board_report_start(user=controller, reporting_round=report_world.round)
    assert report.state == BoardReport.State.DRAFT and report.version_number == 1
    assert report.board == report_world.org.board


def test_starting_again_returns_the_rounds_current_report(report_world, controller):
    report = services.board_report_start(user=controller, reporting_round=report_world.round)
    assert report == report_world.report
    assert BoardReport.objects.filter(round=report_world.round).count() == 1


# --- who may compile and record the decision -----------------------------------------------------------

@pytest.mark.parametrize("who", ["board_member", "unit_manager", "team_member", "outsider", "other_controller"])
def test_only_the_boards_controllers_compile_the_report(request, who, report_world):
    user = request.getfixturevalue(who)
    report = report_world.report
    before = frozen_state(report)
    with pytest.raises(PermissionDenied):
        services.board_report_start(user=user, reporting_round=report_world.round)
    with pytest.raises(PermissionDenied):
        services.board_report_update(user=user, report=report, summary="Ändrad", expected_version=report.version)
    with pytest.raises(PermissionDenied):
        services.goal_assessment_set(user=user, report=report, political_goal=report_world.goal_children,
                                     assessment=Assessment.ATTAINED, text="")
    with pytest.raises(PermissionDenied):
        services.board_report_mark_ready(user=user, report=report, expected_version=report.version)
    assert frozen_state(report) == before


@pytest.mark.parametrize("who", ["board_member", "unit_manager", "team_member", "outsider", "other_controller"])
def test_only_the_boards_controllers_record_the_decision_and_correct(request, who, ready_report, controller):
    user = request.getfixturevalue(who)
    before = frozen_state(ready_report)
    with pytest.raises(PermissionDenied):
        services.board_report_adopt(user=user, report=ready_report, adopted_on=DECISION_DAY, minute_paragraph="§ 45",
                                    expected_version=ready_report.version)
    assert frozen_state(ready_report) == before
    adopted = services.board_report_adopt(user=controller, report=ready_report, adopted_on=DECISION_DAY,
                                          minute_paragraph="§ 45", expected_version=ready_report.version, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.board_report_correct(user=user, report=adopted)
    assert BoardReport.objects.filter(round=ready_report.round).count() == 1


def test_the_board_member_never_writes_even_their_own_boards_report(report_world, board_member):
    with pytest.raises(PermissionDenied):
        services.goal_assessment_set(user=board_member, report=report_world.report,
                                     political_goal=report_world.goal_support, assessment=Assessment.ATTAINED,
                                     expected_version=report_world.assessment.version)
    report_world.assessment.refresh_from_db()
    assert report_world.assessment.assessment == Assessment.PARTLY


# --- compiling ------------------------------------------------------------------------------------------

def test_controller_assesses_a_goal_and_changes_the_assessment(report_world, controller):
    created = services.goal_assessment_set(user=controller, report=report_world.report,
                                           political_goal=report_world.goal_children, assessment=Assessment.ATTAINED,
                                           text="Tryggheten ökar.")
    assert (created.assessment, created.text, created.version) == (Assessment.ATTAINED, "Tryggheten ökar.", 1)
    changed = services.goal_assessment_set(user=controller, report=report_world.report,
                                           political_goal=report_world.goal_children, assessment=Assessment.PARTLY,
                                           text="Delvis.", expected_version=1)
    assert changed.pk == created.pk and (changed.assessment, changed.version) == (Assessment.PARTLY, 2)


def test_a_goal_outside_the_rounds_year_or_board_cannot_be_assessed(report_world, controller):
    with pytest.raises(ValidationError) as error:
        services.goal_assessment_set(user=controller, report=report_world.report, political_goal=report_world.goal_old,
                                     assessment=Assessment.ATTAINED)
    assert "political_goal" in error.value.message_dict
    assert not GoalAssessment.objects.filter(political_goal=report_world.goal_old).exists()


def test_personal_data_in_the_motivation_or_summary_is_refused(report_world, controller):
    with pytest.raises(ValidationError) as error:
        services.goal_assessment_set(user=controller, report=report_world.report,
                                     political_goal=report_world.goal_children, assessment=Assessment.ATTAINED,
                                     text="Gäller barnet 201212121212.")
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.board_report_update(user=controller, report=report_world.report, summary="Se 201212121212.",
                                     expected_version=report_world.report.version)
    assert "summary" in error.value.message_dict
    report_world.report.refresh_from_db()
    assert report_world.report.summary == ""


def test_mark_ready_needs_every_goal_assessed(report_world, controller):
    with pytest.raises(ValidationError) as error:
        services.board_report_mark_ready(user=controller, report=report_world.report,
                                         expected_version=report_world.report.version)
    message = " ".join(error.value.messages)
    assert report_world.goal_children.title in message and report_world.goal_support.title not in message
    report_world.report.refresh_from_db()
    assert report_world.report.state == BoardReport.State.DRAFT


def test_a_motivation_without_an_assessment_does_not_count_as_assessed(report_world, controller):
    services.goal_assessment_set(user=controller, report=report_world.report, political_goal=report_world.goal_children,
                                 assessment="", text="Ännu inte bedömt.")
    with pytest.raises(ValidationError):
        services.board_report_mark_ready(user=controller, report=report_world.report,
                                         expected_version=report_world.report.version)


def test_a_report_with_every_goal_assessed_is_marked_ready(ready_report):
    assert ready_report.state == BoardReport.State.READY
    assert ready_report.summary == "Ett tertial med kortare väntan."


def test_changing_a_ready_report_makes_it_a_draft_again(ready_report, report_world, controller):
    goal = report_world.goal_children
    services.goal_assessment_set(user=controller, report=ready_report, political_goal=goal,
                                 assessment=Assessment.PARTLY, text="Omprövad.",
                                 expected_version=_assessment_version(ready_report, goal))
    report = BoardReport.objects.get(pk=ready_report.pk)
    assert report.state == BoardReport.State.DRAFT
    report = services.board_report_mark_ready(user=controller, report=report, expected_version=report.version)
    report = services.board_report_update(user=controller, report=report, summary="Ny sammanfattning.",
                                          expected_version=report.version)
    assert report.state == BoardReport.State.DRAFT


# --- recording the decision -----------------------------------------------------------------------------

def test_a_draft_cannot_be_adopted(report_world, controller):
    report = assess_every_goal(report_world, controller, report_world.report)
    with pytest.raises(ValidationError):
        services.board_report_adopt(user=controller, report=report, adopted_on=DECISION_DAY, minute_paragraph="§ 45",
                                    expected_version=report.version)
    report.refresh_from_db()
    assert report.state == BoardReport.State.DRAFT and report.snapshot is None


@pytest.mark.parametrize("adopted_on,paragraph,fields", [
    (None, "§ 45", {"adopted_on"}),
    (DECISION_DAY, "", {"minute_paragraph"}),
    (DECISION_DAY, "   ", {"minute_paragraph"}),
    (None, "", {"adopted_on", "minute_paragraph"}),
])
def test_adoption_needs_the_date_and_the_paragraph(ready_report, controller, adopted_on, paragraph, fields):
    with pytest.raises(ValidationError) as error:
        services.board_report_adopt(user=controller, report=ready_report, adopted_on=adopted_on,
                                    minute_paragraph=paragraph, expected_version=ready_report.version)
    assert set(error.value.message_dict) == fields
    ready_report.refresh_from_db()
    assert ready_report.state == BoardReport.State.READY and ready_report.snapshot is None


def test_adoption_records_the_decision_and_stores_a_snapshot_of_the_report(adopted_report, report_world, controller):
    assert adopted_report.state == BoardReport.State.ADOPTED
    assert (adopted_report.adopted_on, adopted_report.minute_paragraph) == (DECISION_DAY, "§ 45")
    assert adopted_report.adopted_recorded_by == controller
    snapshot = adopted_report.snapshot
    assert snapshot["report"]["state"] == "adopted" and snapshot["report"]["minute_paragraph"] == "§ 45"
    assert snapshot["report"]["adopted_on"] == "2026-10-21"
    assert snapshot["report"]["summary"] == "Ett tertial med kortare väntan."
    goals = {g["id"]: g for g in snapshot["goals"]}
    assert set(goals) == {report_world.goal_support.pk, report_world.goal_children.pk}
    assert goals[report_world.goal_support.pk]["assessment"]["code"] == "partly"
    assert goals[report_world.goal_children.pk]["assessment"]["code"] == "too_early"
    assert goals[report_world.goal_support.pk]["title"] == report_world.goal_support.title
    rows = goals[report_world.goal_support.pk]["indicators"]
    values = {(row["unit"]["name"], row["name"]): row["value"] for row in rows}
    assert values[("Familjebehandling", report_world.mandated.name)] == "60"


# --- the adopted report is frozen ------------------------------------------------------------------------

def test_no_service_changes_an_adopted_report(adopted_report, report_world, controller):
    before = frozen_state(adopted_report)
    version = adopted_report.version
    attempts = [
        lambda: services.board_report_update(user=controller, report=adopted_report, summary="Ändrad i efterhand",
                                             expected_version=version),
        lambda: services.goal_assessment_set(user=controller, report=adopted_report,
                                             political_goal=report_world.goal_support, assessment=Assessment.ATTAINED,
                                             text="Ändrad", expected_version=2),
        lambda: services.goal_assessment_set(user=controller, report=adopted_report,
                                             political_goal=report_world.goal_children, assessment="", text=""),
        lambda: services.board_report_mark_ready(user=controller, report=adopted_report, expected_version=version),
        lambda: services.board_report_adopt(user=controller, report=adopted_report,
                                            adopted_on=datetime.date(2026, 11, 2), minute_paragraph="§ 99",
                                            expected_version=version),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    assert frozen_state(adopted_report) == before


def test_later_changes_to_values_goals_and_indicators_do_not_alter_the_snapshot(adopted_report, report_world):
    snapshot = copy.deepcopy(adopted_report.snapshot)
    change_the_world(report_world)
    adopted_report.refresh_from_db()
    assert adopted_report.snapshot == snapshot


def change_the_world(world):
    """What happens in the organisation after the decision: a value corrected, a goal renamed,
    an indicator renamed."""
    Measurement.objects.filter(indicator=world.mandated, unit=world.org.family,
                               period=period(world.year, "month", 8)).update(value=97)
    type(world.goal_support).objects.filter(pk=world.goal_support.pk).update(title="Ett nytt namn på målet")
    type(world.mandated).objects.filter(pk=world.mandated.pk).update(name="Ett nytt namn på mätetalet")


def _without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_later_changes_do_not_alter_the_adopted_report_pages(client, adopted_report, report_world, board_member,
                                                             controller):
    urls = [reverse("reporting:goal-report-round", args=[report_world.round.pk]),
            reverse("reporting:goal-report-goal", args=[report_world.round.pk, report_world.goal_support.pk]),
            reverse("reporting:board-report-compile", args=[report_world.round.pk])]
    client.force_login(controller)
    before = [_without_tokens(client.get(url).content.decode()) for url in urls]
    assert "60,0" in before[1] and report_world.mandated.name in before[1]
    change_the_world(report_world)
    after = [_without_tokens(client.get(url).content.decode()) for url in urls]
    assert after == before
    assert "Ett nytt namn" not in "".join(after) and "97,0" not in after[1]
    client.force_login(board_member)
    page = client.get(urls[1]).content.decode()
    assert "60,0" in page and report_world.goal_support.title in page and "Ett nytt namn" not in page


# --- corrections -------------------------------------------------------------------------------------------

def test_a_correction_is_a_new_draft_version_pointing_at_the_adopted_one(adopted_report, controller):
    before = frozen_state(adopted_report)
    correction = services.board_report_correct(user=controller, report=adopted_report)
    assert correction.version_number == 2 and correction.previous == adopted_report
    assert correction.state == BoardReport.State.DRAFT and correction.snapshot is None
    assert correction.summary == adopted_report.summary
    copied = sorted(correction.goal_assessments.values_list("political_goal_id", "assessment", "text"))
    original = sorted(adopted_report.goal_assessments.values_list("political_goal_id", "assessment", "text"))
    assert copied == original and len(copied) == 2
    assert frozen_state(adopted_report) == before


def test_the_correction_is_edited_and_adopted_while_the_first_version_stays(adopted_report, report_world, controller):
    before = frozen_state(adopted_report)
    correction = services.board_report_correct(user=controller, report=adopted_report)
    goal = report_world.goal_support
    services.goal_assessment_set(user=controller, report=correction, political_goal=goal,
                                 assessment=Assessment.NOT_ATTAINED, text="Rättad: utredningstiderna brister.",
                                 expected_version=_assessment_version(correction, goal))
    correction.refresh_from_db()
    correction = services.board_report_mark_ready(user=controller, report=correction,
                                                  expected_version=correction.version)
    correction = services.board_report_adopt(user=controller, report=correction, adopted_on=datetime.date(2026, 11, 18),
                                             minute_paragraph="§ 61", expected_version=correction.version, today=TODAY)
    assert correction.is_adopted
    goals = {g["id"]: g for g in correction.snapshot["goals"]}
    assert goals[goal.pk]["assessment"]["code"] == "not_attained"
    assert correction.snapshot["report"]["previous_id"] == adopted_report.pk
    assert frozen_state(adopted_report) == before


def test_only_one_correction_of_a_version_is_started(adopted_report, controller):
    services.board_report_correct(user=controller, report=adopted_report)
    with pytest.raises(ValidationError):
        services.board_report_correct(user=controller, report=adopted_report)
    assert BoardReport.objects.filter(round=adopted_report.round).count() == 2


def test_a_report_not_adopted_is_not_corrected_but_edited(ready_report, controller):
    with pytest.raises(ValidationError):
        services.board_report_correct(user=controller, report=ready_report)
    assert BoardReport.objects.filter(round=ready_report.round).count() == 1


def test_an_older_version_is_not_adopted_once_a_correction_exists(adopted_report, controller):
    correction = services.board_report_correct(user=controller, report=adopted_report)
    with pytest.raises(ValidationError):
        services.board_report_adopt(user=controller, report=adopted_report, adopted_on=DECISION_DAY,
                                    minute_paragraph="§ 46", expected_version=adopted_report.version)
    assert services.board_report_start(user=controller, reporting_round=adopted_report.round) == correction


# --- stale versions ----------------------------------------------------------------------------------------

def test_writes_based_on_an_old_version_of_the_report_are_refused(report_world, controller):
    report = report_world.report
    old = report.version
    report = services.board_report_update(user=controller, report=report, summary="Först.", expected_version=old)
    with pytest.raises(StaleWrite):
        services.board_report_update(user=controller, report=report, summary="Sedan.", expected_version=old)
    report = assess_every_goal(report_world, controller, report)
    with pytest.raises(StaleWrite):
        services.board_report_mark_ready(user=controller, report=report, expected_version=old)
    report.refresh_from_db()
    assert report.summary == "Först." and report.state == BoardReport.State.DRAFT


def test_an_assessment_based_on_an_old_version_is_refused(report_world, controller):
    old = report_world.assessment.version
    services.goal_assessment_set(user=controller, report=report_world.report, political_goal=report_world.goal_support,
                                 assessment=Assessment.ATTAINED, text="Ny.", expected_version=old)
    with pytest.raises(StaleWrite):
        services.goal_assessment_set(user=controller, report=report_world.report,
                                     political_goal=report_world.goal_support, assessment=Assessment.NOT_ATTAINED,
                                     text="Gammal sida.", expected_version=old)
    report_world.assessment.refresh_from_db()
    assert (report_world.assessment.assessment, report_world.assessment.text) == (Assessment.ATTAINED, "Ny.")


def test_a_decision_based_on_an_old_version_is_refused(ready_report, controller):
    with pytest.raises(StaleWrite):
        services.board_report_adopt(user=controller, report=ready_report, adopted_on=DECISION_DAY,
                                    minute_paragraph="§ 45", expected_version=ready_report.version - 1)
    ready_report.refresh_from_db()
    assert ready_report.state == BoardReport.State.READY and ready_report.snapshot is None
