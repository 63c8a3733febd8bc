"""The Django admin: every model is there, access and rows follow the scope, lists do not make
a query per row, and adopted board reports stay as adopted."""

import datetime
import itertools
import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.admin_scope import ScopedModelAdmin
from governance.models import GoalArea, Membership, OrgUnit, Period, PoliticalGoal, ReportingYear, Role, User
from reporting.models import BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport
from scorecards.models import (
    Activity,
    ActivityUpdate,
    ComparisonValue,
    Indicator,
    Measurement,
    Perspective,
    Scorecard,
    ScorecardGoal,
    ScorecardIndicator,
    Target,
)
from tests.conftest import make_unit, make_user, make_year

PASSWORD = "test-password-123"
_counter = itertools.count(1)


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def listed_pks(response):
    return {obj.pk for obj in response.context["cl"].result_list}


class Side:
    """Rows of every model under one board, made on demand (a fresh row per call)."""

    def __init__(self, *, board, administration, unit, team, year, label):
        self.board, self.administration, self.unit, self.team, self.year, self.label = (
            board, administration, unit, team, year, label)
        self.perspective = Perspective.objects.get_or_create(name="Brukare", defaults={"order": 1})[0]
        self.months = list(Period.objects.filter(year=year, kind="month").order_by("number"))
        self.periods = list(Period.objects.filter(year=year).order_by("start", "-end"))
        self.scorecard = Scorecard.objects.create(unit=unit, year=year)
        self.scorecard_goal = ScorecardGoal.objects.create(scorecard=self.scorecard, perspective=self.perspective,
                                                           title=f"Enhetsmål {label}")
        self.indicator = Indicator.objects.create(name=f"Väntetid {label}", owner=administration, mandate="administration")
        self.activity = Activity.objects.create(team=team, title=f"Aktivitet {label}")
        self.round = ReportingRound.objects.create(board=board, period=self.periods[1], name=f"T1 2026 {label}",
                                                   deadline=datetime.date(2026, 5, 15))
        self.report = BoardReport.objects.create(board=board, round=self.round)

    def n(self):
        return next(_counter)

    def political_goal(self):
        n = self.n()
        return PoliticalGoal.objects.create(board=self.board, code=str(n), title=f"Mål {n} {self.label}",
                                            short_title=f"Mål {n}", valid_from=2023, valid_to=2026)

    def new_unit(self):
        return make_unit(f"Enhet {self.n()} {self.label}", "unit", self.administration)

    def new_indicator(self):
        return Indicator.objects.create(name=f"Mätetal {self.n()} {self.label}", owner=self.administration,
                                        mandate="administration")

    def make(self, model):
        return getattr(self, f"make_{model._meta.model_name}")()

    def make_orgunit(self):
        return make_unit(f"Team {self.n()} {self.label}", "team", self.unit)

    def make_membership(self):
        return make_user(f"person{self.n()}", (self.unit, Role.TEAM_MEMBER)).memberships.get()

    def make_user(self):
        return self.make_membership().user

    def make_goalarea(self):
        return GoalArea.objects.create(board=self.board, name=f"Område {self.n()} {self.label}")

    def make_politicalgoal(self):
        return self.political_goal()

    def make_scorecard(self):
        return Scorecard.objects.create(unit=self.new_unit(), year=self.year)

    def make_scorecardgoal(self):
        return ScorecardGoal.objects.create(scorecard=self.scorecard, perspective=self.perspective,
                                            title=f"Mål {self.n()} {self.label}")

    def make_indicator(self):
        return self.new_indicator()

    def make_scorecardindicator(self):
        return ScorecardIndicator.objects.create(scorecard=self.scorecard, indicator=self.new_indicator(),
                                                 goal=self.scorecard_goal)

    def make_target(self):
        return Target.objects.create(indicator=self.new_indicator(), year=self.year, target_value=10)

    def make_measurement(self):
        return Measurement.objects.create(indicator=self.new_indicator(), unit=self.unit, period=self.months[0], value=3)

    def make_activity(self):
        return Activity.objects.create(team=self.team, title=f"Aktivitet {self.n()} {self.label}",
                                       start_date=datetime.date(2026, 2, 1))

    def make_activityupdate(self):
        return ActivityUpdate.objects.create(activity=self.activity, date=datetime.date(2026, 3, 1), text="Vi har börjat.")

    def make_reportinground(self):
        used = set(ReportingRound.objects.filter(board=self.board).values_list("period", flat=True))
        period = next(p for p in self.periods if p.pk not in used)
        return ReportingRound.objects.create(board=self.board, period=period, name=f"Omgång {self.n()}",
                                             deadline=datetime.date(2026, 9, 15))

    def make_followup(self):
        return FollowUp.objects.create(round=self.round, org_unit=self.unit, political_goal=self.political_goal(),
                                       what_we_did="Vi har arbetat med tidiga insatser.")

    def make_unitreport(self):
        return UnitReport.objects.create(round=self.round, unit=self.new_unit())

    def make_boardreport(self):
        return BoardReport.objects.create(board=self.board, round=self.round,
                                          version_number=BoardReport.objects.filter(round=self.round).count() + 1)

    def make_goalassessment(self):
        return GoalAssessment.objects.create(report=self.report, political_goal=self.political_goal(),
                                             assessment="partly")


# Global tables (no unit): every admin user sees all of them.
GLOBAL_MODELS = {ReportingYear, Period, Perspective, ComparisonValue}
SCOPED_MODELS = [model for model in admin.site._registry if model not in GLOBAL_MODELS]


def make_global(model):
    if model in (ReportingYear, Period):
        used = set(ReportingYear.objects.values_list("year", flat=True))
        reporting_year = make_year(next(y for y in range(2000, 2101) if y not in used))
        return reporting_year if model is ReportingYear else reporting_year.periods.get(kind="month", number=1)
    if model is ComparisonValue:
        return ComparisonValue.objects.create(kpi="U31402", area_code=f"{next(_counter):04d}", area_name="Kommun",
                                              year=2025, value=12)
    return Perspective.objects.create(name=f"Perspektiv {next(_counter)}")


@pytest.fixture
def ours(org, year_2026):
    return Side(board=org.board, administration=org.administration, unit=org.family, team=org.north, year=year_2026,
                label="SN")


@pytest.fixture
def theirs(org, year_2026):
    team = make_unit("Hemtjänst Öst", "team", org.home_care)
    return Side(board=org.elderly_board, administration=org.elderly_admin, unit=org.home_care, team=team,
                year=year_2026, label="ÄN")


@pytest.fixture
def staff_controller(controller):
    return staff(controller)


@pytest.fixture
def board_controller(org):
    """A controller whose grant is on the board itself, so board-level rows are theirs to write."""
    return staff(make_user("namndstrateg", (org.board, Role.CONTROLLER)))


def model_id(model):
    return model.__name__


# --- every model is there --------------------------------------------------------------------


# Models kept out of the admin on purpose, with the reason.
NOT_IN_ADMIN = {
    # Created on Tillit's token pages, which show the key once; the admin could only show its hash.
    "ApiToken",
    # A user's own background work (governance/jobs.py), shown to its owner on /jobb/<id>/.
    "Job",
    # Part of a history row (the API key a change was made through), shown on the history pages.
    "HistoryViaApiToken",
}


def test_every_model_of_the_project_has_an_admin():
    for app_label in ("governance", "scorecards", "reporting"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # django-simple-history's rows: shown on Tillit's own history pages
            if model.__name__ in NOT_IN_ADMIN:
                continue
            assert admin.site.is_registered(model), model


def test_superuser_gets_every_changelist_add_and_change_page(client, superuser, ours, theirs):
    client.force_login(superuser)
    for model in admin.site._registry:
        obj = make_global(model) if model in GLOBAL_MODELS else ours.make(model)
        for url in (changelist_url(model), add_url(model), change_url(obj)):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)


def test_superuser_sees_rows_of_every_board(client, superuser, ours, theirs):
    client.force_login(superuser)
    own, foreign = ours.make_politicalgoal(), theirs.make_politicalgoal()
    assert {own.pk, foreign.pk} <= listed_pks(client.get(changelist_url(PoliticalGoal)))


# --- who gets in -----------------------------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ["board_member", "unit_manager", "team_member", "outsider"])
def test_staff_without_a_controller_grant_gets_403_on_every_changelist(client, request, role_fixture):
    user = staff(request.getfixturevalue(role_fixture))
    client.force_login(user)
    for model in admin.site._registry:
        assert client.get(changelist_url(model)).status_code == 403, model
        assert client.get(add_url(model)).status_code == 403, model


def test_admin_index_lists_the_models_for_a_controller_and_none_for_a_unit_manager(client, staff_controller,
                                                                                  unit_manager):
    client.force_login(staff_controller)
    assert changelist_url(OrgUnit) in client.get(reverse("admin:index")).content.decode()
    client.force_login(staff(unit_manager))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []


def test_unit_manager_with_staff_flag_cannot_open_their_own_scorecard(client, unit_manager, ours):
    client.force_login(staff(unit_manager))
    assert client.get(change_url(ours.scorecard)).status_code == 403


def test_controller_without_staff_flag_is_sent_to_the_login(client, controller):
    client.force_login(controller)
    response = client.get(changelist_url(OrgUnit))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- a controller sees their own board only ------------------------------------------------------


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=model_id)
def test_controller_sees_own_board_rows_and_not_another_boards(client, staff_controller, ours, theirs, model):
    own, foreign = ours.make(model), theirs.make(model)
    client.force_login(staff_controller)

    response = client.get(changelist_url(model))
    assert response.status_code == 200
    listed = listed_pks(response)
    assert own.pk in listed
    assert foreign.pk not in listed
    assert str(foreign) not in response.content.decode()

    assert client.get(change_url(own)).status_code == 200
    response = client.get(change_url(foreign))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")
    assert client.post(delete_url(foreign), {"post": "yes"}).status_code in (302, 403, 404)
    assert model.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("model", sorted(GLOBAL_MODELS, key=model_id), ids=model_id)
def test_controller_sees_global_tables(client, staff_controller, ours, model):
    obj = make_global(model)
    client.force_login(staff_controller)
    response = client.get(changelist_url(model))
    assert response.status_code == 200
    assert obj.pk in listed_pks(response)


def test_controller_cannot_change_or_delete_global_tables(client, staff_controller, ours):
    client.force_login(staff_controller)
    perspective = ours.perspective
    response = client.post(change_url(perspective), {"name": "Ändrat", "order": 1, "description": ""})
    assert response.status_code == 403
    perspective.refresh_from_db()
    assert perspective.name == "Brukare"
    assert client.post(delete_url(ours.year), {"post": "yes"}).status_code == 403
    assert client.get(add_url(Period)).status_code == 403


def test_foreign_key_choices_are_limited_to_readable_units(client, staff_controller, org):
    client.force_login(staff_controller)
    response = client.get(add_url(Membership))
    choices = set(response.context["adminform"].form.fields["org_unit"].queryset)
    assert org.family in choices
    assert org.board in choices  # reading reaches up to one's own board
    assert org.home_care not in choices
    assert org.elderly_board not in choices


def test_autocomplete_offers_no_units_of_another_board(client, staff_controller, org):
    client.force_login(staff_controller)
    url = reverse("admin:autocomplete")
    params = {"app_label": "governance", "model_name": "membership", "field_name": "org_unit"}
    found = client.get(url, {**params, "term": "Hem"}).json()["results"]
    assert found == []
    found = client.get(url, {**params, "term": "Familje"}).json()["results"]
    assert [r["text"] for r in found] == ["Familjebehandling"]


def test_list_filter_does_not_name_another_boards_units(client, staff_controller, ours, theirs):
    ours.make_measurement()
    theirs.make_measurement()
    client.force_login(staff_controller)
    content = client.get(changelist_url(Measurement)).content.decode()
    assert "Familjebehandling" in content
    assert "Hemtjänst" not in content


def test_user_list_of_a_controller_leaves_out_people_of_another_board(client, staff_controller, ours, theirs):
    own, foreign = ours.make_user(), theirs.make_user()
    new_colleague = User.objects.create_user(username="nyanstalld", password=PASSWORD)
    client.force_login(staff_controller)
    listed = listed_pks(client.get(changelist_url(User)))
    assert {own.pk, new_colleague.pk, staff_controller.pk} <= listed
    assert foreign.pk not in listed


# --- what a controller may write -------------------------------------------------------------------


def test_controller_can_add_an_org_unit_through_the_admin_form(client, staff_controller, org):
    client.force_login(staff_controller)
    response = client.post(add_url(OrgUnit), {
        "name": "Team Väst", "kind": "team", "parent": org.family.pk, "external_code": "FAM-01-V", "is_active": "on",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    unit = OrgUnit.objects.get(external_code="FAM-01-V")
    assert unit.parent == org.family
    assert unit.path.startswith(org.family.path)
    assert unit.depth == org.family.depth + 1


def _org_unit_post(**data):
    return {"external_code": "", "is_active": "on", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000", **data}


def test_controller_cannot_add_a_unit_under_another_board(client, staff_controller, org):
    client.force_login(staff_controller)
    response = client.post(add_url(OrgUnit), _org_unit_post(name="Smygenhet", kind="unit", parent=org.elderly_admin.pk))
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not OrgUnit.objects.filter(name="Smygenhet").exists()


def test_controller_cannot_add_a_unit_above_their_grant_or_a_new_board(client, staff_controller, org):
    client.force_login(staff_controller)
    response = client.post(add_url(OrgUnit), _org_unit_post(name="Ny förvaltning", kind="administration",
                                                            parent=org.board.pk))
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    response = client.post(add_url(OrgUnit), _org_unit_post(name="Ny nämnd", kind="board"))
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not OrgUnit.objects.filter(name__in=["Ny förvaltning", "Ny nämnd"]).exists()


def test_controller_sees_but_cannot_change_a_readable_unit_above_their_grant(client, staff_controller, org):
    client.force_login(staff_controller)
    assert client.get(change_url(org.board)).status_code == 200
    response = client.post(change_url(org.board), _org_unit_post(name="Omdöpt", kind="board"))
    assert response.status_code == 403
    org.board.refresh_from_db()
    assert org.board.name == "Socialnämnden"


def test_org_unit_path_and_depth_are_not_in_the_form(client, superuser, org):
    client.force_login(superuser)
    form = client.get(change_url(org.family)).context["adminform"].form
    assert "path" not in form.fields and "depth" not in form.fields
    assert {"name", "kind", "parent", "external_code"} <= set(form.fields)


def test_org_unit_list_shows_the_tree_indented(client, staff_controller, org):
    client.force_login(staff_controller)
    content = client.get(changelist_url(OrgUnit)).content.decode()
    assert "\u2003" * org.north.depth + "Team Norr" in content


def test_changing_a_unit_with_teams_into_a_department_is_refused_with_a_message(client, superuser, org):
    client.force_login(superuser)
    response = client.post(change_url(org.family), _org_unit_post(name="Familjebehandling", kind="department",
                                                                  parent=org.children.pk, external_code="FAM-01"))
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    org.family.refresh_from_db()
    assert org.family.kind == "unit"


def test_controller_cannot_add_a_membership_in_a_unit_they_only_read(client, staff_controller, org, outsider):
    client.force_login(staff_controller)
    response = client.post(add_url(Membership), {"user": outsider.pk, "org_unit": org.board.pk, "role": "controller"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not outsider.memberships.exists()
    response = client.post(add_url(Membership), {"user": outsider.pk, "org_unit": org.family.pk, "role": "unit_manager"})
    assert response.status_code == 302
    assert outsider.memberships.get().org_unit == org.family


def test_controller_cannot_move_a_membership_row_out_of_a_unit_they_only_read(client, staff_controller, org, board_member):
    """The membership inline on a unit the controller manages must not edit a row stored elsewhere."""
    client.force_login(staff_controller)
    membership = board_member.memberships.get()
    response = client.post(change_url(membership), {"user": board_member.pk, "org_unit": org.family.pk,
                                                    "role": "board_member"})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.org_unit == org.board


def test_controller_views_users_but_only_the_superuser_changes_them(client, staff_controller, team_member):
    client.force_login(staff_controller)
    assert client.get(change_url(team_member)).status_code == 200
    response = client.post(change_url(team_member), {"username": "hacked"})
    assert response.status_code == 403
    assert client.get(add_url(User)).status_code == 403
    team_member.refresh_from_db()
    assert team_member.username == "medarbetare"


def test_scorecards_are_the_units_to_write_not_the_controllers(client, staff_controller, ours):
    client.force_login(staff_controller)
    assert client.get(change_url(ours.scorecard)).status_code == 200
    response = client.post(change_url(ours.scorecard), {"unit": ours.unit.pk, "year": ours.year.pk, "state": "archived"})
    assert response.status_code == 403
    ours.scorecard.refresh_from_db()
    assert ours.scorecard.state == "active"


def test_reporting_year_added_in_the_admin_gets_its_periods(client, staff_controller):
    client.force_login(staff_controller)
    response = client.post(add_url(ReportingYear), {
        "year": "2027", "periods-TOTAL_FORMS": "0", "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "0", "periods-MAX_NUM_FORMS": "0",
    })
    assert response.status_code == 302
    year = ReportingYear.objects.get(year=2027)
    assert year.periods.filter(kind="year").count() == 1
    assert year.periods.filter(kind="tertial", parent__kind="year").count() == 3
    assert year.periods.filter(kind="month", parent__kind="tertial").count() == 12
    assert year.periods.get(kind="month", number=5).parent.number == 2
    content = client.get(change_url(year)).content.decode()
    assert "T2 2027" in content and "maj 2027" in content


def test_reporting_year_number_is_read_only_once_made(client, superuser, year_2026):
    client.force_login(superuser)
    form = client.get(change_url(year_2026)).context["adminform"].form
    assert "year" not in form.fields


# --- adopted board reports ----------------------------------------------------------------------------


def _report_post(report, **changes):
    data = {"board": report.board_id, "round": report.round_id, "version_number": report.version_number,
            "previous": "", "state": report.state, "summary": report.summary,
            "goal_assessments-TOTAL_FORMS": "0", "goal_assessments-INITIAL_FORMS": "0",
            "goal_assessments-MIN_NUM_FORMS": "0", "goal_assessments-MAX_NUM_FORMS": "1000"}
    data.update(changes)
    return data


@pytest.fixture
def adopted_report(ours):
    report = ours.report
    report.state = BoardReport.State.ADOPTED
    report.adopted_on = datetime.date(2026, 6, 10)
    report.minute_paragraph = "§ 45"
    report.snapshot = {}
    report.summary = "Som fastställd"
    report.save()
    return report


def test_board_controller_can_change_a_draft_board_report(client, board_controller, ours):
    client.force_login(board_controller)
    response = client.post(change_url(ours.report), _report_post(ours.report, summary="Ny sammanfattning", state="ready"))
    assert response.status_code == 302
    ours.report.refresh_from_db()
    assert (ours.report.summary, ours.report.state) == ("Ny sammanfattning", "ready")
    assert ours.report.version == 2  # an admin edit is a new version, so stale forms elsewhere are refused


@pytest.mark.parametrize("user_fixture", ["board_controller", "superuser"])
def test_adopted_board_report_cannot_be_changed_or_deleted(client, request, user_fixture, adopted_report):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(change_url(adopted_report)).status_code == 200  # still readable
    response = client.post(change_url(adopted_report), _report_post(adopted_report, summary="Ändrad i efterhand"))
    assert response.status_code == 403
    assert client.post(delete_url(adopted_report), {"post": "yes"}).status_code == 403
    adopted_report.refresh_from_db()
    assert adopted_report.summary == "Som fastställd"
    assert adopted_report.is_adopted


def test_goal_assessments_of_an_adopted_report_are_locked(client, board_controller, adopted_report, ours):
    # The model refuses to add to an adopted report (reporting.locks); bulk_create skips that guard.
    [assessment] = GoalAssessment.objects.bulk_create([GoalAssessment(
        report=adopted_report, political_goal=ours.political_goal(), assessment="partly", text="Som fastställd")])
    client.force_login(board_controller)
    response = client.post(change_url(assessment), {"report": adopted_report.pk, "political_goal": assessment.political_goal_id,
                                                    "assessment": "attained", "text": "Ändrad"})
    assert response.status_code == 403
    response = client.post(add_url(GoalAssessment), {"report": adopted_report.pk, "political_goal": ours.political_goal().pk,
                                                     "assessment": "attained", "text": "Ny"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert list(adopted_report.goal_assessments.values_list("text", flat=True)) == ["Som fastställd"]


def test_adoption_is_not_offered_as_a_state_in_the_form(client, board_controller, ours):
    client.force_login(board_controller)
    form = client.get(change_url(ours.report)).context["adminform"].form
    assert "adopted" not in [value for value, _label in form.fields["state"].choices]
    assert "snapshot" not in form.fields


def test_snapshot_is_shown_pretty_printed(client, superuser, adopted_report):
    adopted_report.snapshot = {"goals": [{"title": "Rätt stöd i rätt tid", "assessment": "partly"}]}
    # An adopted report refuses save() (reporting.locks); set the snapshot the raw way.
    BoardReport.objects.filter(pk=adopted_report.pk).update(snapshot=adopted_report.snapshot)
    client.force_login(superuser)
    content = client.get(change_url(adopted_report)).content.decode()
    pretty = json.dumps(adopted_report.snapshot, indent=2, ensure_ascii=False)
    assert "<pre>" in content
    assert pretty.replace('"', "&quot;") in content


# --- query counts ----------------------------------------------------------------------------------

MAX_CHANGELIST_QUERIES = 14


def _changelist_queries(client, model):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(changelist_url(model))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("user_fixture", ["staff_controller", "superuser"])
@pytest.mark.parametrize("model", list(admin.site._registry), ids=model_id)
def test_changelist_queries_do_not_grow_with_rows(client, request, django_assert_max_num_queries, user_fixture,
                                                  model, ours, theirs):
    def add_rows(count):
        for _ in range(count):
            make_global(model) if model in GLOBAL_MODELS else ours.make(model)
            theirs.make(model) if model not in GLOBAL_MODELS else None

    client.force_login(request.getfixturevalue(user_fixture))
    add_rows(3)
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        client.get(changelist_url(model))
    few = _changelist_queries(client, model)
    add_rows(6)
    assert _changelist_queries(client, model) == few


def test_scoped_admins_name_their_unit_path():
    """A ScopedModelAdmin without a scope_field would show every board's rows to a controller."""
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ScopedModelAdmin) and model not in GLOBAL_MODELS:
            assert model_admin.scope_field is not None, model
