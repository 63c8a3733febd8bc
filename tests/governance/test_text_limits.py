"""One bound per text field (governance/extensions.py ``text_limits``; a CharField's is its
max_length), and every face refuses the same text: the web forms, the API, the admin, the import
and the services' ``full_clean``. A follow-up saved on the web at the bound comes back through
the API; one character more is refused on both. Issue 12, class 10."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import translation

from governance import extensions
from governance.extensions import COMMENT_TEXT, LONG_TEXT, text_limit
from governance.models import PoliticalGoal
from reporting.models import FollowUp
from scorecards.models import Activity, Indicator, Measurement, ScorecardGoal
from tests.api.conftest import api_as, world  # noqa: F401  (fixtures)
from tests.helpers import admin_post_data

APPS = ("governance", "scorecards", "reporting")
MILLION = "a" * 1_000_000


def _project_models():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue
            yield model


def _text_fields():
    for model in _project_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                yield model, field


# --- the declaration -----------------------------------------------------------------------------

def test_every_text_field_has_a_declared_bound():
    missing = [f"{model._meta.label}.{field.name}" for model, field in _text_fields()
               if extensions.text_limits.limit_for(model, field.name) is None
               and not extensions.text_limits.is_written_by_system(model, field.name)]
    assert missing == [], (
        "Declare a bound for these in the app's AppConfig.ready(): extensions.text_limits.add(Model, field=...) "
        f"(or written_by_system for text no person types): {missing}")


def test_every_bound_is_a_validator_and_a_form_field_max_length():
    for model, field in _text_fields():
        limit = extensions.text_limits.limit_for(model, field.name)
        if limit is None:
            continue
        assert [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)] == [limit], field
        formfield = field.formfield()
        assert formfield.max_length == limit, field
        assert formfield.widget.attrs["maxlength"] == str(limit), field


def test_every_char_field_bound_is_its_max_length():
    for model in _project_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField):
                assert text_limit(model, field.name) == field.max_length


def test_a_field_without_a_bound_is_an_error_not_unbounded():
    with pytest.raises(LookupError):
        text_limit(apps.get_model("governance", "Job"), "error")


@pytest.mark.parametrize("label, field, limit", [
    ("reporting.FollowUp", "what_we_did", LONG_TEXT), ("reporting.FollowUp", "review_comment", COMMENT_TEXT),
    ("scorecards.Activity", "description", LONG_TEXT), ("scorecards.Indicator", "description", LONG_TEXT),
    ("scorecards.Measurement", "comment", COMMENT_TEXT), ("governance.PoliticalGoal", "description", LONG_TEXT),
    ("reporting.GoalAssessment", "text", LONG_TEXT),
])
def test_the_bounds_a_municipality_expects(label, field, limit):
    assert text_limit(apps.get_model(label), field) == limit


def test_hand_written_forms_and_serializers_read_the_one_bound():
    from reporting.api import serializers as reporting_api
    from reporting.forms.compile import GoalAssessmentForm
    from reporting.forms.followup import FollowUpForm
    from reporting.forms.review import ReviewForm
    from scorecards.api import serializers as scorecards_api
    from scorecards.forms.scorecard import MeasurementRowForm

    follow_up = text_limit(FollowUp, "what_we_did")
    assert FollowUpForm.base_fields["what_we_did"].max_length == follow_up
    assert reporting_api.FollowUpUpdateSerializer().fields["what_we_did"].max_length == follow_up
    assert reporting_api.FollowUpCreateSerializer().fields["next_step"].max_length == follow_up
    review = text_limit(FollowUp, "review_comment")
    assert ReviewForm.base_fields["comment"].max_length == reporting_api.ReviewSerializer().fields[
        "comment"].max_length == review
    assessment = text_limit(apps.get_model("reporting", "GoalAssessment"), "text")
    assert GoalAssessmentForm.base_fields["text"].max_length == reporting_api.GoalAssessmentWriteSerializer().fields[
        "text"].max_length == assessment
    comment = text_limit(Measurement, "comment")
    assert MeasurementRowForm.base_fields["comment"].max_length == comment
    assert scorecards_api.MeasurementWriteSerializer().fields["comment"].max_length == comment
    assert scorecards_api.BulkMeasurementRowSerializer().fields["comment"].max_length == comment


def test_full_clean_refuses_a_text_over_its_bound_in_swedish():
    activity = Activity(title="Föräldragrupp", description="x" * (LONG_TEXT + 1))
    with translation.override("sv"), pytest.raises(ValidationError) as caught:
        activity.clean_fields(exclude=["team"])
    assert "som mest" in " ".join(caught.value.message_dict["description"])


# --- a follow-up: the web and the API agree --------------------------------------------------------

def _follow_up_url(world):
    return reverse("reporting:follow-up", args=[world.round.pk, world.org.north.pk, world.goal.pk])


def _web_save(client, world, text, version):
    return client.post(_follow_up_url(world), {
        "what_we_did": text, "effect_for_citizens": "", "learning": "", "next_step": "",
        "self_assessment": "attained", "version": version, "action": "save"}, HTTP_ACCEPT_LANGUAGE="sv")


def test_a_follow_up_saved_on_the_web_at_the_bound_is_patched_back_through_the_api(client, team_member, world,
                                                                                  api_as):
    limit = text_limit(FollowUp, "what_we_did")
    text = "å" * limit
    client.force_login(team_member)
    page = client.get(_follow_up_url(world)).content.decode()
    assert f'maxlength="{limit}"' in page
    response = _web_save(client, world, text, world.follow_up.version)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    world.follow_up.refresh_from_db()
    assert world.follow_up.what_we_did == text
    api = api_as("team_member")
    url = f"/api/v1/follow-ups/{world.follow_up.pk}/"
    served = api.get(url).json()
    response = api.patch(url, {"version": served["version"], "what_we_did": served["what_we_did"]}, format="json")
    assert response.status_code == 200, response.content


def test_one_character_over_the_bound_is_refused_on_the_web_in_swedish(client, team_member, world):
    client.force_login(team_member)
    response = _web_save(client, world, "å" * (text_limit(FollowUp, "what_we_did") + 1), world.follow_up.version)
    assert response.status_code == 200
    errors = response.context["form"].errors["what_we_did"]
    assert any("som mest" in error and "tecken" in error for error in errors), errors
    world.follow_up.refresh_from_db()
    assert world.follow_up.what_we_did == "Vi startade en öppen mottagning."


def test_one_character_over_the_bound_is_a_400_in_the_api(world, api_as):
    api = api_as("team_member")
    url = f"/api/v1/follow-ups/{world.follow_up.pk}/"
    response = api.patch(url, {"version": world.follow_up.version,
                               "learning": "x" * (text_limit(FollowUp, "learning") + 1)}, format="json")
    assert response.status_code == 400 and "learning" in response.json()
    response = api.post("/api/v1/follow-ups/", {
        "round": world.round.pk, "org_unit": world.org.north.pk, "scorecard_goal": world.goal.pk,
        "version": world.follow_up.version, "next_step": "x" * (text_limit(FollowUp, "next_step") + 1)},
        format="json")
    assert response.status_code == 400 and "next_step" in response.json()
    world.follow_up.refresh_from_db()
    assert world.follow_up.version == 1 and world.follow_up.learning == ""


def test_the_service_refuses_a_follow_up_over_the_bound_whatever_the_face(team_member, world):
    from reporting import services

    with pytest.raises(ValidationError) as caught:
        services.follow_up_save(user=team_member, reporting_round=world.round, org_unit=world.org.north,
                                scorecard_goal=world.goal, expected_version=world.follow_up.version,
                                what_we_did="x" * (LONG_TEXT + 1))
    assert "what_we_did" in caught.value.message_dict


# --- a description of a million characters is refused everywhere -----------------------------------

def test_a_million_character_description_is_refused_by_the_api(world, api_as):
    manager = api_as("unit_manager")
    response = manager.post("/api/v1/scorecard-goals/", {
        "scorecard": world.scorecard.pk, "perspective": world.perspective.pk, "title": "Fler får stöd hemma",
        "description": MILLION, "political_goals": [world.political_goal.pk]}, format="json")
    assert response.status_code == 400 and "description" in response.json()
    assert not ScorecardGoal.objects.filter(title="Fler får stöd hemma").exists()
    response = manager.patch(f"/api/v1/indicators/{world.own.pk}/", {"version": world.own.version,
                                                                      "description": MILLION}, format="json")
    assert response.status_code == 400 and "description" in response.json()
    team = api_as("team_member")
    response = team.post("/api/v1/activities/", {"team": world.org.north.pk, "goals": [world.goal.pk],
                                                 "title": "Föräldragrupp", "status": "planned",
                                                 "description": MILLION}, format="json")
    assert response.status_code == 400 and "description" in response.json()
    response = team.post(f"/api/v1/activities/{world.activity.pk}/updates/",
                         {"date": "2026-03-02", "text": "x" * (COMMENT_TEXT + 1)}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    assert Indicator.objects.get(pk=world.own.pk).description == ""
    assert not Activity.objects.filter(title="Föräldragrupp").exists()


def test_a_million_character_description_is_refused_by_the_web_forms(client, team_member, world):
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity-create", args=[world.org.north.pk]), {
        "title": "Föräldragrupp", "description": MILLION, "expected_citizen_value": "", "goals": [world.goal.pk],
        "status": "planned", "start_date": "", "end_date": ""}, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert any("som mest" in error for error in response.context["form"].errors["description"])
    assert not Activity.objects.filter(title="Föräldragrupp").exists()


def test_a_million_character_description_is_refused_by_the_admin(client, superuser, political_goal):
    client.force_login(superuser)
    url = reverse("admin:governance_politicalgoal_change", args=[political_goal.pk])
    form = client.get(url).context["adminform"].form
    assert form.fields["description"].max_length == text_limit(PoliticalGoal, "description")
    assert f'maxlength="{LONG_TEXT}"' in str(form["description"])
    with translation.override("sv"):
        response = client.post(url, admin_post_data(form, description=MILLION), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert any("som mest" in error for error in response.context["adminform"].form.errors["description"])
    political_goal.refresh_from_db()
    assert political_goal.description != MILLION


def test_the_admin_shows_the_bound_of_an_indicators_description(client, superuser, world):
    client.force_login(superuser)
    form = client.get(reverse("admin:scorecards_indicator_change", args=[world.own.pk])).context["adminform"].form
    assert form.fields["description"].max_length == text_limit(Indicator, "description")


def test_an_import_refuses_a_comment_over_the_bound_and_writes_nothing(org, year_2026, controller):
    from scorecards import importers
    from tests.scorecards.import_helpers import HEADER, build_import_setup, csv_bytes

    build_import_setup(org, year_2026)
    before = Measurement.objects.count()
    data = csv_bytes([HEADER, ["FAM-01", "BUT-4M", "2026-01", "78,5", "x" * (COMMENT_TEXT + 1)],
                      ["FAM-01", "BUT-4M", "2026-02", "80", "Bra"]])
    with translation.override("sv"):
        report = importers.import_file(user=controller, data=data)
    assert not report.ok and not report.written
    assert Measurement.objects.count() == before


# --- a constraint says what is wrong, never its name ------------------------------------------------

# Written by the system only, never by a person on a form: a job's progress, the record of a change
# made through an API key.
SYSTEM_CONSTRAINTS = {"job_progress_at_most_100", "historyviaapitoken_one_per_row"}


def _constraints():
    for model in _project_models():
        for constraint in model._meta.constraints:
            if constraint.name not in SYSTEM_CONSTRAINTS:
                yield model, constraint


@pytest.mark.parametrize("model, constraint", list(_constraints()),
                         ids=lambda value: getattr(value, "name", getattr(value, "__name__", "")))
def test_every_constraint_has_a_swedish_sentence(model, constraint):
    assert constraint.violation_error_message != constraint.default_violation_error_message
    with translation.override("en"):
        english = str(constraint.get_violation_error_message())
    with translation.override("sv"):
        swedish = str(constraint.get_violation_error_message())
    assert constraint.name not in english and constraint.name not in swedish
    assert swedish != english, f"{constraint.name}: no Swedish translation of {english!r}"
    assert swedish.endswith(".") and swedish[0].isupper()


def test_a_broken_constraint_is_shown_as_its_sentence_by_full_clean(org, year_2026):
    from scorecards.models import Scorecard

    Scorecard.objects.create(unit=org.family, year=year_2026)
    with translation.override("sv"), pytest.raises(ValidationError) as caught:
        Scorecard(unit=org.family, year=year_2026).full_clean()
    assert caught.value.messages == ["Enheten har redan ett styrkort för det här året."]


def test_an_activity_ending_before_it_starts_is_a_sentence_in_the_api_and_the_web(client, team_member, world,
                                                                                  api_as):
    response = api_as("team_member").patch(f"/api/v1/activities/{world.activity.pk}/", {
        "version": world.activity.version, "start_date": "2026-05-01", "end_date": "2026-04-01"}, format="json")
    assert response.status_code == 400
    assert "activity_start_before_end" not in response.content.decode()
    assert "Slutdatumet kan inte ligga före startdatumet." in response.content.decode()
    client.force_login(team_member)
    response = client.post(reverse("scorecards:activity-create", args=[world.org.north.pk]), {
        "title": "Föräldragrupp", "description": "", "expected_citizen_value": "", "goals": [world.goal.pk],
        "status": "planned", "start_date": "2026-05-01", "end_date": "2026-04-01"}, HTTP_ACCEPT_LANGUAGE="sv")
    page = response.content.decode()
    assert response.status_code == 200 and "activity_start_before_end" not in page
    assert "Slutdatumet kan inte ligga före startdatumet." in page


def test_the_admin_shows_a_broken_check_constraint_as_its_sentence(client, superuser, political_goal):
    client.force_login(superuser)
    url = reverse("admin:governance_politicalgoal_change", args=[political_goal.pk])
    form = client.get(url).context["adminform"].form
    data = admin_post_data(form, valid_from=2026, valid_to=2024)
    with translation.override("sv"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="sv")
    page = response.content.decode()
    assert response.status_code == 200 and "politicalgoal_valid_span" not in page
    assert "Ett politiskt mål kan inte sluta före det år det börjar." in page
