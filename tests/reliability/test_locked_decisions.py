"""Locked decisions (issue #6.3, docs/architecture.md §5): what an adopted board report froze (the report and
its assessments, the values it shows and the approved follow-ups in it) cannot be changed through
the services, the HTML views, the API, the admin, the importer's command or the models themselves.
A correction of the report is the one way to change them again (reporting.locks)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from reporting import services as reporting_services
from reporting.models import FOLLOW_UP_LOCKED_MESSAGE, BoardReport, FollowUp, GoalAssessment
from reporting.rules import Assessment
from scorecards import services as scorecard_services
from scorecards.models import MEASUREMENT_LOCKED_MESSAGE, Measurement
from tests.reporting.test_evidence import TODAY, period, report_world  # noqa: F401  (fixture)

DECISION_DAY = datetime.date(2026, 10, 21)


def adopt(world, controller):
    report = BoardReport.objects.get(pk=world.report.pk)
    for goal in (world.goal_support, world.goal_children):
        version = GoalAssessment.objects.filter(report=report, political_goal=goal).values_list("version", flat=True).first()
        reporting_services.goal_assessment_set(user=controller, report=report, political_goal=goal,
                                               assessment=Assessment.PARTLY, text="Bedömning.", expected_version=version)
    report = BoardReport.objects.get(pk=report.pk)
    report = reporting_services.board_report_mark_ready(user=controller, report=report, expected_version=report.version)
    return reporting_services.board_report_adopt(user=controller, report=report, adopted_on=DECISION_DAY,
                                                 minute_paragraph="§ 45", expected_version=report.version, today=TODAY)


@pytest.fixture
def world(report_world, controller):  # noqa: F811
    # A September value: after the T2 round's period, so not shown in its report, so not frozen.
    report_world.september = Measurement.objects.create(
        indicator=report_world.mandated, unit=report_world.org.family, period=period(report_world.year, "month", 9),
        value=61)
    report_world.adopted = adopt(report_world, controller)
    return report_world


def august(world):
    return Measurement.objects.get(indicator=world.mandated, unit=world.org.family, period__kind="month",
                                   period__number=8)


def approved_follow_up(world):
    return world.family.follow_ups[0]  # Team Norr's approved follow-up


def message(text):
    with translation.override("sv"):
        return str(text)


# --- what adoption freezes -----------------------------------------------------------------------------------

def test_adoption_freezes_the_values_and_approved_follow_ups_the_report_shows(world):
    shown_values = Measurement.objects.filter(unit__in=[world.org.family, world.org.investigation], period__number__lte=8,
                                              period__year=world.year).exclude(period__kind="year")
    assert shown_values.count() == 9 and all(m.locked for m in shown_values)
    assert set(world.adopted.frozen_measurements.all()) == set(shown_values)
    follow_ups = FollowUp.objects.filter(round=world.round)
    assert {f.pk for f in follow_ups if f.locked} == {f.pk for f in follow_ups if f.state == FollowUp.State.APPROVED}
    assert not FollowUp.objects.get(pk=world.family.follow_ups[1].pk).locked  # Team Söder's draft


def test_a_value_the_report_does_not_show_stays_editable(world, unit_manager):
    september = Measurement.objects.get(pk=world.september.pk)
    assert not september.locked
    saved = scorecard_services.measurement_record(user=unit_manager, indicator=world.mandated, unit=world.org.family,
                                                  period=september.period, value=70, expected_version=september.version)
    assert saved.value == 70


# --- services ------------------------------------------------------------------------------------------------

def test_the_service_refuses_to_change_a_frozen_value_and_writes_nothing(world, unit_manager):
    value = august(world)
    history_before = value.history.count()
    with pytest.raises(ValidationError) as refused:
        scorecard_services.measurement_record(user=unit_manager, indicator=world.mandated, unit=world.org.family,
                                              period=value.period, value=99, expected_version=value.version)
    assert refused.value.code == "locked"
    assert Measurement.objects.get(pk=value.pk).value == 60
    assert value.history.count() == history_before


def test_recording_a_frozen_value_again_unchanged_is_harmless(world, controller):
    value = august(world)
    same = scorecard_services.measurement_record(user=controller, indicator=world.mandated, unit=world.org.family,
                                                 period=value.period, value="60", expected_version=value.version)
    assert same.version == value.version


def test_the_follow_up_services_refuse_a_frozen_follow_up(world, team_member, unit_manager):
    follow_up = approved_follow_up(world)
    with pytest.raises(ValidationError) as refused:
        reporting_services.follow_up_save(user=team_member, reporting_round=world.round, org_unit=world.org.north,
                                          scorecard_goal=world.family.goal, what_we_did="Ändrad i efterhand.",
                                          expected_version=follow_up.version)
    assert refused.value.code == "locked"
    for service in (reporting_services.follow_up_approve, reporting_services.follow_up_return):
        with pytest.raises(ValidationError):
            service(user=unit_manager, follow_up=follow_up, comment="Gör om.", expected_version=follow_up.version)
    assert FollowUp.objects.get(pk=follow_up.pk).what_we_did == follow_up.what_we_did


def test_the_report_services_refuse_an_adopted_report(world, controller):
    report = world.adopted
    with pytest.raises(ValidationError):
        reporting_services.board_report_update(user=controller, report=report, summary="Ny", expected_version=report.version)
    with pytest.raises(ValidationError):
        reporting_services.goal_assessment_set(user=controller, report=report, political_goal=world.goal_support,
                                               assessment=Assessment.ATTAINED)
    assert BoardReport.objects.get(pk=report.pk).summary == report.summary


# --- HTML views ----------------------------------------------------------------------------------------------

def test_the_value_grid_refuses_a_frozen_value_with_the_message(client, world, unit_manager):
    value = august(world)
    client.force_login(unit_manager)
    url = reverse("scorecards:grid", args=[world.family.scorecard.pk, value.period.pk])
    prefix = f"row-{world.mandated.pk}"
    response = client.post(url, {f"{prefix}-value": "99", f"{prefix}-comment": "", f"{prefix}-version": value.version})
    assert response.status_code == 200
    assert message(MEASUREMENT_LOCKED_MESSAGE) in response.content.decode()
    assert Measurement.objects.get(pk=value.pk).value == 60


def test_the_follow_up_page_refuses_a_frozen_follow_up_with_the_message(client, world, team_member):
    follow_up = approved_follow_up(world)
    client.force_login(team_member)
    url = reverse("reporting:follow-up", args=[world.round.pk, world.org.north.pk, world.family.goal.pk])
    response = client.post(url, {"what_we_did": "Ändrad i efterhand.", "effect_for_citizens": "", "learning": "",
                                 "next_step": "", "self_assessment": Assessment.ATTAINED, "version": follow_up.version})
    assert response.status_code == 200
    assert message(FOLLOW_UP_LOCKED_MESSAGE) in response.content.decode()
    assert FollowUp.objects.get(pk=follow_up.pk).what_we_did == follow_up.what_we_did


# --- API -----------------------------------------------------------------------------------------------------

def test_the_api_refuses_to_change_a_frozen_value(world, unit_manager):
    value = august(world)
    api = APIClient()
    api.force_authenticate(unit_manager)
    response = api.patch(reverse("api:measurement-detail", args=[value.pk]), {"version": value.version, "value": "99"},
                         format="json")
    assert response.status_code == 400, response.content
    assert Measurement.objects.get(pk=value.pk).value == 60
    response = api.post(reverse("api:measurement-list"), {"indicator": world.mandated.pk, "unit": world.org.family.pk,
                                                          "period": value.period.pk, "value": "98"}, format="json")
    assert response.status_code == 400, response.content
    assert Measurement.objects.get(pk=value.pk).value == 60


# --- the importer's management command ----------------------------------------------------------------------

def test_the_import_command_refuses_a_file_that_changes_a_frozen_value(world, controller, tmp_path):
    type(world.mandated).objects.filter(pk=world.mandated.pk).update(external_code="BUT-4M")
    path = tmp_path / "utfall.csv"
    path.write_text("enhetskod;indikatorkod;period;värde;kommentar\nFAM-01;BUT-4M;2026-08;99;\n", encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises((CommandError, SystemExit)):  # the command fails, with the row report on stderr
        call_command("import_measurements", str(path), user=controller.username, stderr=stderr)
    assert message(MEASUREMENT_LOCKED_MESSAGE) in stderr.getvalue()
    assert Measurement.objects.get(pk=august(world).pk).value == 60
    # the same file with the adopted value is a harmless no-op
    path.write_text("enhetskod;indikatorkod;period;värde;kommentar\nFAM-01;BUT-4M;2026-08;60;\n", encoding="utf-8")
    call_command("import_measurements", str(path), user=controller.username, stdout=io.StringIO())
    assert Measurement.objects.get(pk=august(world).pk).version == august(world).version


# --- admin ---------------------------------------------------------------------------------------------------

@pytest.fixture
def staff_controller(controller):
    controller.is_staff = True
    controller.save(update_fields=["is_staff"])
    return controller


def frozen_rows(world):
    return {
        "measurement": august(world),
        "followup": FollowUp.objects.get(pk=approved_follow_up(world).pk),
        "boardreport": BoardReport.objects.get(pk=world.adopted.pk),
        "goalassessment": GoalAssessment.objects.filter(report=world.adopted).first(),
    }


@pytest.mark.parametrize("who", ["staff_controller", "superuser"])
@pytest.mark.parametrize("kind", ["measurement", "followup", "boardreport", "goalassessment"])
def test_the_admin_shows_frozen_rows_read_only_and_refuses_to_change_or_delete_them(request, client, world, who, kind):
    user = request.getfixturevalue(who)
    client.force_login(user)
    obj = frozen_rows(world)[kind]
    opts = obj._meta
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read only: no save button
    assert client.post(change_url, {}).status_code == 403
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    # the bulk delete action refuses a selection with a frozen row
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert type(obj).objects.filter(pk=obj.pk).exists()


# --- the models themselves (the shell, a script) ------------------------------------------------------------

def test_the_models_refuse_to_save_or_delete_frozen_rows(world):
    rows = frozen_rows(world)
    rows["measurement"].value = 1
    rows["followup"].what_we_did = "Ändrad i skalet."
    rows["boardreport"].summary = "Ändrad i skalet."
    rows["goalassessment"].text = "Ändrad i skalet."
    attempts = [obj.save for obj in rows.values()] + [obj.delete for obj in rows.values()] + [
        Measurement.objects.filter(pk=rows["measurement"].pk).delete,
        FollowUp.objects.filter(pk=rows["followup"].pk).delete,
        lambda: GoalAssessment.objects.create(report=rows["boardreport"], political_goal=world.goal_old, assessment=""),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError), transaction.atomic():
            attempt()
    fresh = frozen_rows(world)
    assert fresh["measurement"].value == 60 and fresh["boardreport"].summary == rows["boardreport"].history.first().summary


def test_a_stale_copy_read_before_adoption_cannot_be_saved_either(report_world, controller):  # noqa: F811
    before = Measurement.objects.get(indicator=report_world.mandated, unit=report_world.org.family,
                                     period__kind="month", period__number=8)
    adopt(report_world, controller)
    before.value = 1  # this copy still says locked=False
    with pytest.raises(ValidationError):
        before.save()


# --- the correction ------------------------------------------------------------------------------------------

def test_a_correction_releases_what_the_corrected_version_froze_and_its_adoption_freezes_again(world, controller,
                                                                                               unit_manager):
    correction = reporting_services.board_report_correct(user=controller, report=world.adopted)
    value = august(world)
    assert not value.locked and not FollowUp.objects.get(pk=approved_follow_up(world).pk).locked
    corrected = scorecard_services.measurement_record(user=unit_manager, indicator=world.mandated, unit=world.org.family,
                                                      period=value.period, value=58, expected_version=value.version)
    assert corrected.value == 58
    # the adopted version is untouched: its snapshot still says 60
    adopted = BoardReport.objects.get(pk=world.adopted.pk)
    assert adopted.is_adopted and "60" in str(adopted.snapshot)
    # the correction's assessments were copied with their history
    assert all(a.history.count() == 1 for a in correction.goal_assessments.all())
    correction = reporting_services.board_report_mark_ready(user=controller, report=correction,
                                                            expected_version=correction.version)
    reporting_services.board_report_adopt(user=controller, report=correction, adopted_on=DECISION_DAY,
                                          minute_paragraph="§ 52", expected_version=correction.version, today=TODAY)
    assert august(world).locked and august(world).value == 58


def test_an_outsider_gets_no_further_than_before(world, outsider):
    value = august(world)
    with pytest.raises(Exception) as refused:
        scorecard_services.measurement_record(user=outsider, indicator=world.mandated, unit=world.org.family,
                                              period=value.period, value=99)
    assert type(refused.value).__name__ == "PermissionDenied"



def test_giving_up_a_correction_freezes_the_adopted_version_again(world, controller):
    correction = reporting_services.board_report_correct(user=controller, report=world.adopted)
    assert not august(world).locked
    correction.delete()
    assert august(world).locked and FollowUp.objects.get(pk=approved_follow_up(world).pk).locked


def test_a_value_two_adopted_reports_show_stays_frozen_while_one_of_them_is_corrected(world, controller):
    # A second adopted report showing the same August value (e.g. the annual report of the same board).
    other = BoardReport.objects.create(board=world.org.board, round=world.round, version_number=9)
    BoardReport.objects.filter(pk=other.pk).update(state=BoardReport.State.ADOPTED, adopted_on=DECISION_DAY,
                                                   minute_paragraph="§ 60", snapshot=world.adopted.snapshot)
    other.frozen_measurements.set([august(world)])
    reporting_services.board_report_correct(user=controller, report=world.adopted)
    assert august(world).locked
    assert not Measurement.objects.get(indicator=world.mandated, unit=world.org.family, period__kind="month",
                                       period__number=7).locked
