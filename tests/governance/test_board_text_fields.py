"""Every text field of the project's models is declared either bound for the board (guarded
against personal data, governance/extensions.py) or internal; and the guard holds on the real
faces: the API, a ModelForm, the admin and the scan."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.utils import translation

from governance import extensions, privacy
from governance.models import Period, PoliticalGoal
from reporting.models import ReportingRound
from scorecards.models import Indicator
from tests.helpers import admin_post_data

PNR = "19811218-9876"  # valid check digit, not a real person's number
APPS = ("governance", "scorecards", "reporting")


def _project_models():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue  # django-simple-history's copies and M2M tables: the scan reads history itself
            yield model


def test_every_text_field_is_declared_guarded_or_internal():
    missing = []
    for model in _project_models():
        declared = set(extensions.board_text_fields.fields_for(model)) | set(
            extensions.internal_text_fields.fields_for(model))
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)) and field.name not in declared:
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == [], (
        "Declare these in the app's AppConfig.ready(): extensions.board_text_fields (reaches the board) "
        f"or extensions.internal_text_fields: {missing}")


def test_no_field_is_declared_both_ways():
    for model, fields in extensions.board_text_fields.items():
        assert not set(fields) & set(extensions.internal_text_fields.fields_for(model)), model


@pytest.mark.parametrize("label, field", [
    ("scorecards.ScorecardGoal", "title"), ("scorecards.ScorecardGoal", "description"),
    ("scorecards.Indicator", "name"), ("scorecards.Indicator", "description"),
    ("scorecards.ScorecardIndicator", "analysis"), ("scorecards.Target", "comment"),
    ("scorecards.Measurement", "comment"), ("reporting.ReportingRound", "name"),
    ("reporting.BoardReport", "summary"), ("reporting.GoalAssessment", "text"),
    ("governance.PoliticalGoal", "description"),
])
def test_the_fields_of_the_issue_are_guarded(label, field):
    model = apps.get_model(label)
    assert field in extensions.board_text_fields.fields_for(model)
    assert privacy.no_personal_data_validator in model._meta.get_field(field).validators


def test_require_no_personal_data_in_reads_the_registry(db):
    indicator = Indicator(name=f"Antal ärenden för {PNR}", description="Ring 070-123 45 67")
    with pytest.raises(privacy.ValidationError) as caught:
        privacy.require_no_personal_data_in(indicator)
    assert set(caught.value.message_dict) == {"name", "description"}
    assert "9876" not in str(caught.value)


def test_full_clean_rejects_a_personnummer_in_a_round_name(org, year_2026):
    period = Period.objects.get(year=year_2026, kind="tertial", number=1)
    reporting_round = ReportingRound(board=org.board, period=period, name=f"T1 {PNR}",
                                     deadline=datetime.date(2026, 5, 15))
    with pytest.raises(privacy.ValidationError) as caught:
        reporting_round.full_clean()
    assert "name" in caught.value.message_dict


def test_the_scan_finds_indicator_names_and_round_names(org, year_2026):
    period = Period.objects.get(year=year_2026, kind="tertial", number=1)
    # Written past the guard, straight into the database, as before the guard existed.
    reporting_round = ReportingRound.objects.create(board=org.board, period=period, name=f"T1 {PNR}",
                                                    deadline=datetime.date(2026, 5, 15))
    indicator = Indicator.objects.create(owner=org.north, name=f"Besök hos 19811218\u20139876",
                                         description="Kontakta kalle.karlsson@example.se")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("scan_personal_data", "--no-history", stdout=out)
    text = out.getvalue()
    assert f"reporting.ReportingRound #{reporting_round.pk} name" in text
    assert f"scorecards.Indicator #{indicator.pk} name" in text
    assert f"scorecards.Indicator #{indicator.pk} description" in text
    assert "9876" not in text


# --- the real faces -----------------------------------------------------------------------------


def test_the_unit_goal_form_shows_a_swedish_error_and_saves_nothing(client, unit_manager, org, year_2026):
    from django.urls import reverse

    from scorecards.models import ScorecardGoal
    from tests.scorecards.test_scorecard_views import build_scorecard, goal_post

    card = build_scorecard(org, year_2026)
    before = ScorecardGoal.objects.count()
    client.force_login(unit_manager)
    response = client.post(reverse("scorecards:goal-create", args=[card.scorecard.pk]),
                           goal_post(card, description=f"Gäller pojken 19811218\u200b\u20149876."),
                           HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    errors = response.context["form"].errors["description"]
    assert any("personnummer" in error for error in errors), errors
    assert ScorecardGoal.objects.count() == before


def test_the_admin_refuses_a_personnummer_in_a_political_goals_description(client, superuser, political_goal):
    from django.urls import reverse

    client.force_login(superuser)
    url = reverse("admin:governance_politicalgoal_change", args=[political_goal.pk])
    form = client.get(url).context["adminform"].form
    data = admin_post_data(form, description=f"Se ärendet för {PNR}.")
    with translation.override("sv"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200, response.status_code
    errors = response.context["adminform"].form.errors
    assert "description" in errors, errors
    political_goal.refresh_from_db()
    assert PNR not in political_goal.description


def test_the_round_form_refuses_a_personnummer_in_the_name(client, controller, org, year_2026):
    from django.urls import reverse

    client.force_login(controller)
    t3 = Period.objects.get(year=year_2026, kind="tertial", number=3)
    response = client.post(reverse("reporting:round-create"), {
        "board": org.board.pk, "period": t3.pk, "name": "T3 19811218\uff0d9876", "deadline": "2027-01-15"},
        HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert any("personnummer" in error for error in response.context["form"].errors["name"])
    assert not ReportingRound.objects.filter(period=t3).exists()
