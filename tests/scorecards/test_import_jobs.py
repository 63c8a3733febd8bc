"""Issue 12: a measurement file of more rows than the background threshold is previewed and
confirmed as background jobs, on the import page and over the API (202 with the job's address);
the job tells how many rows are checked and values written, of how many. Jobs run inline in the
tests (no broker); the threshold is lowered so that a few rows make a "big" file."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from governance.jobs import Job, JobStatus
from scorecards import importers
from scorecards.importers import measurements as measurement_importer
from scorecards.jobs import progress_reporter, submit_measurement_import
from scorecards.models import Measurement
from tests.scorecards.import_helpers import HEADER, build_import_setup, csv_bytes, measurement_count, xlsx_bytes

ROWS = [["FAM-01", "BUT-4M", f"2026-{m:02d}", f"{70 + m},5", ""] for m in range(1, 7)]


@pytest.fixture
def setup(org, year_2026, settings):
    settings.TILLIT_BROKER_URL = ""
    settings.TILLIT_IMPORT_BACKGROUND_ROWS = 4
    return build_import_setup(org, year_2026)


def test_the_estimate_of_rows_decides_where_the_import_runs(setup):
    small, big = csv_bytes([HEADER, *ROWS[:3]]), csv_bytes([HEADER, *ROWS])
    assert not importers.runs_in_background(small) and importers.runs_in_background(big)
    assert importers.estimated_rows(xlsx_bytes([HEADER, *ROWS], empty_last_rows=0), "u.xlsx") == 6
    assert importers.estimated_rows(b'{"values": []}', "k.json") == 0


def test_a_big_file_is_previewed_as_a_job_and_confirmed_as_another(client, setup, unit_manager):
    client.force_login(unit_manager)
    response = client.post(reverse("scorecards:import"), {"file": SimpleUploadedFile("utfall.csv",
                                                                                     csv_bytes([HEADER, *ROWS]))})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    job = Job.objects.get(user=unit_manager)
    assert job.params.get("dry_run") is True and job.status == JobStatus.DONE, job.error
    assert measurement_count() == 0  # a preview writes nothing
    html = preview.content.decode()
    assert 'id="import-summary"' in html and 'id="import-background"' in html
    sha = preview.context["entry"]["sha256"]
    confirmed = client.post(response["Location"], {"sha256": sha})
    second = Job.objects.exclude(pk=job.pk).get(user=unit_manager)
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("job", args=[second.pk])
    assert second.status == JobStatus.DONE and not second.params.get("dry_run")
    assert measurement_count() == 6
    assert Measurement.objects.get(period__number=6, period__kind="month").value == Decimal("76.5")
    assert second.progress == 100


def test_a_big_file_with_a_wrong_row_shows_it_and_offers_no_confirm(client, setup, unit_manager):
    client.force_login(unit_manager)
    bad = [*ROWS, ["FAM-01", "NO-SUCH", "2026-07", "1", ""]]
    response = client.post(reverse("scorecards:import"),
                           {"file": SimpleUploadedFile("fel.csv", csv_bytes([HEADER, *bad]))})
    html = client.get(response["Location"]).content.decode()
    assert 'id="row-8"' in html and "NO-SUCH" in html
    assert 'id="import-background"' not in html and 'id="error-summary"' in html
    assert measurement_count() == 0


def test_a_running_preview_shows_its_progress_and_reloads(client, setup, unit_manager, monkeypatch):
    from governance import jobs

    monkeypatch.setattr(jobs, "run_job", lambda job_id: None)  # stays queued, as with a busy worker
    client.force_login(unit_manager)
    response = client.post(reverse("scorecards:import"), {"file": SimpleUploadedFile("utfall.csv",
                                                                                     csv_bytes([HEADER, *ROWS]))})
    job = Job.objects.get(user=unit_manager)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=27, message="3 av 6 rader kontrollerade")
    html = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh"' in html
    assert 'value="27"' in html and "3 av 6 rader kontrollerade" in html
    assert reverse("job", args=[job.pk]) in html


def test_the_preview_job_of_another_user_is_not_shown(client, setup, unit_manager, controller):
    job = submit_measurement_import(user=controller, file_name="x.csv", data=csv_bytes([HEADER, *ROWS]), dry_run=True,
                                    result="json")
    client.force_login(unit_manager)
    session = client.session
    session["tillit_imports"] = {"tok": {"name": "x.csv", "sha256": "0" * 64, "data": "", "preview_job": job.pk}}
    session.save()
    assert client.get(reverse("scorecards:import-preview", args=["tok"])).status_code == 404


def test_the_job_reports_rows_checked_and_values_written_of_how_many(setup, controller, monkeypatch):
    monkeypatch.setattr(measurement_importer, "PROGRESS_EVERY", 2)
    calls = []
    importers.import_file(user=controller, data=csv_bytes([HEADER, *ROWS]),
                          progress=progress_reporter(lambda percent, message: calls.append((int(percent), message))))
    messages = [message for _percent, message in calls]
    assert messages[:3] == ["2 av 6 rader kontrollerade", "4 av 6 rader kontrollerade", "6 av 6 rader kontrollerade"]
    assert messages[-1] == "6 av 6 värden skrivna"
    percents = [percent for percent, _message in calls]
    assert percents == sorted(percents) and percents[-1] == 95


@pytest.fixture
def api(setup):
    return APIClient()


def test_the_api_answers_202_with_the_job_for_a_big_file(api, setup, unit_manager):
    api.force_authenticate(unit_manager)
    url = reverse("api:import-measurements")
    response = api.post(f"{url}?dry_run=1", data=csv_bytes([HEADER, *ROWS]), content_type="text/csv")
    assert response.status_code == 202, response.content
    job_url = response.json()["job"]["url"]
    assert response["Location"] == job_url
    state = api.get(job_url).json()
    assert state["status"] == "done" and state["progress"] == 100
    assert state["report"]["ok"] and state["report"]["dry_run"] and state["report"]["counts"]["new"] == 6
    assert measurement_count() == 0
    response = api.post(url, data=csv_bytes([HEADER, *ROWS]), content_type="text/csv")
    assert response.status_code == 202
    state = api.get(response.json()["job"]["url"]).json()
    assert state["report"]["written"] and measurement_count() == 6
    assert set(Measurement.objects.values_list("source", flat=True)) == {Measurement.Source.API}


def test_the_api_job_lists_the_wrong_rows_and_writes_nothing(api, setup, unit_manager):
    api.force_authenticate(unit_manager)
    bad = [*ROWS, ["FAM-01", "NO-SUCH", "2026-07", "1", ""]]
    response = api.post(reverse("api:import-measurements"), data=csv_bytes([HEADER, *bad]), content_type="text/csv")
    state = api.get(response.json()["job"]["url"]).json()
    report = state["report"]
    assert not report["ok"] and report["error_count"] == 1
    assert [row["row"] for row in report["error_rows"]] == [8]
    assert "rows" not in report and measurement_count() == 0


def test_an_import_job_is_only_for_its_owner(api, setup, unit_manager, controller):
    api.force_authenticate(unit_manager)
    response = api.post(reverse("api:import-measurements"), data=csv_bytes([HEADER, *ROWS]), content_type="text/csv")
    job_url = response.json()["job"]["url"]
    api.force_authenticate(controller)
    assert api.get(job_url).status_code == 404
    api.force_authenticate(None)
    assert api.get(job_url).status_code in (401, 403)


def test_a_small_file_is_still_answered_at_once(api, setup, unit_manager):
    api.force_authenticate(unit_manager)
    response = api.post(reverse("api:import-measurements"), data=csv_bytes([HEADER, *ROWS[:2]]),
                        content_type="text/csv")
    assert response.status_code == 200 and response.json()["written"]
    assert not Job.objects.exists()


def test_the_json_result_holds_the_summary_and_the_wrong_rows(setup, controller):
    job = submit_measurement_import(user=controller, file_name="u.csv", data=csv_bytes([HEADER, *ROWS]), dry_run=True,
                                    result="json")
    assert job.result_name == "u-forhandsgranskning.json" and job.result_content_type == "application/json"
    document = json.loads(bytes(job.result))
    assert document["changes"] == 6 and document["error_rows"] == [] and document["dry_run"]


def test_a_job_asked_for_through_a_key_names_the_key_in_the_values_history(setup, controller, unit_manager):
    """A worker has no request: the job carries the key that asked, and the values' history names it
    (and its creator) as the key's own request would."""
    from governance import services as governance_services
    from governance.models import HistoryViaApiToken

    token, _key = governance_services.token_create(user=controller, for_user=controller, name="Nattlig överföring")
    job = submit_measurement_import(user=controller, file_name="utfall.csv", data=csv_bytes([HEADER, *ROWS]),
                                    result="json", source=Measurement.Source.API, api_token=token)
    assert job.status == JobStatus.DONE, job.error
    history_ids = [m.history.order_by("-history_id").first().pk for m in Measurement.objects.all()]
    via = HistoryViaApiToken.objects.filter(history_model="scorecards.measurement", history_id__in=history_ids)
    assert len(history_ids) == 6 and sorted(v.token_id for v in via) == [token.pk] * 6
    assert {v.token_created_by for v in via} == {controller}


def test_a_job_without_a_key_names_none(setup, controller):
    from governance.models import HistoryViaApiToken

    job = submit_measurement_import(user=controller, file_name="utfall.csv", data=csv_bytes([HEADER, *ROWS]))
    assert job.status == JobStatus.DONE, job.error
    assert Measurement.objects.count() == 6 and not HistoryViaApiToken.objects.exists()
