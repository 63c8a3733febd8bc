"""Background jobs (governance/jobs.py): the board workbook made off the request, its page, its
result, and — once, against the real broker — the same job on a Celery worker over Redis."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from fixtures import large_org
from governance import jobs
from governance.jobs import Job, JobResult, JobStatus
from governance.models import User
from reporting.jobs import BOARD_WORKBOOK

ROOT = Path(__file__).resolve().parents[2]
SIZE = large_org.OrgSize(units=2, years=1, teams_per_unit=1, indicators_per_scorecard=3, goals_per_scorecard=2,
                         activities_per_team=1, updates_per_activity=1, political_goals=2)


@pytest.fixture
def small_org(db):
    return large_org.generate_org(SIZE, prefix="J2")


def test_workbook_job_runs_inline_without_a_broker_and_offers_the_file(client, small_org, settings):
    settings.TILLIT_BROKER_URL = ""
    controller = small_org.users["controller"]
    client.force_login(controller)
    response = client.post(reverse("reporting:board-workbook-job", args=[small_org.latest_round.pk]))
    job = Job.objects.get(user=controller)
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.progress == 100 and job.started_at and job.finished_at
    page = client.get(reverse("job", args=[job.pk]))
    assert page.status_code == 200
    assert b'id="job-download"' in page.content
    assert b'http-equiv="refresh"' not in page.content  # finished: no more reloading
    download = client.get(reverse("job-result", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(download.content), read_only=True)
    assert len(book.sheetnames) >= 4


def test_job_page_and_result_are_only_for_the_owner(client, small_org, settings):
    settings.TILLIT_BROKER_URL = ""
    job = jobs.submit(user=small_org.users["controller"], kind=BOARD_WORKBOOK,
                      params={"round_pk": small_org.latest_round.pk})
    client.force_login(small_org.users["board_member"])
    assert client.get(reverse("job", args=[job.pk])).status_code == 404
    assert client.get(reverse("job-result", args=[job.pk])).status_code == 404


def test_starting_a_job_needs_a_post_and_a_readable_round(client, small_org, outsider, settings):
    settings.TILLIT_BROKER_URL = ""
    url = reverse("reporting:board-workbook-job", args=[small_org.latest_round.pk])
    client.force_login(small_org.users["controller"])
    assert client.get(url).status_code == 405
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert not Job.objects.exists()


def test_a_running_job_page_reloads_itself_and_shows_progress(client, small_org):
    job = Job.objects.create(kind=BOARD_WORKBOOK, user=small_org.users["controller"], status=JobStatus.RUNNING,
                             progress=40, message="Skriver arbetsboken")
    client.force_login(small_org.users["controller"])
    page = client.get(reverse("job", args=[job.pk]))
    assert b'http-equiv="refresh"' in page.content
    assert b'value="40"' in page.content
    assert client.get(reverse("job-result", args=[job.pk])).status_code == 404


def test_a_failing_job_is_marked_failed_with_a_message_and_no_result(small_org, settings):
    settings.TILLIT_BROKER_URL = ""
    job = jobs.submit(user=small_org.users["controller"], kind=BOARD_WORKBOOK, params={"round_pk": 999999})
    assert job.status == JobStatus.FAILED
    assert job.error and not job.has_result


def test_an_unexpected_error_gives_a_generic_message_not_the_exception(small_org, settings):
    settings.TILLIT_BROKER_URL = ""

    @jobs.job_function("test_broken")
    def broken(*, job, progress):
        progress(30, "halvvägs")
        raise RuntimeError("secret internals")

    job = jobs.submit(user=small_org.users["controller"], kind="test_broken")
    assert job.status == JobStatus.FAILED and "secret internals" not in job.error and job.error


def test_progress_is_recorded_while_the_job_runs(small_org, settings):
    settings.TILLIT_BROKER_URL = ""
    seen = []

    @jobs.job_function("test_progress")
    def work(*, job, progress):
        progress(150, "för mycket")
        seen.append(Job.objects.get(pk=job.pk).progress)
        return JobResult(name="x.txt", content_type="text/plain", content=b"ok")

    job = jobs.submit(user=small_org.users["controller"], kind="test_progress")
    assert seen == [100] and job.status == JobStatus.DONE and bytes(job.result) == b"ok"


def test_unknown_job_kind_is_refused(small_org):
    with pytest.raises(ValueError):
        jobs.submit(user=small_org.users["controller"], kind="no-such-kind")
    assert not Job.objects.exists()


def _database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_workbook_job_runs_on_a_real_celery_worker_over_redis(settings):
    broker = os.environ.get("TILLIT_TEST_BROKER_URL", "")
    if not broker:
        if os.environ.get("CI") == "true" and connection.vendor == "postgresql":
            pytest.fail("CI runs the broker test on PostgreSQL: set TILLIT_TEST_BROKER_URL (see .ci/run).")
        pytest.skip("TILLIT_TEST_BROKER_URL is not set: the job tests above ran inline; this one needs Redis.")
    if connection.vendor != "postgresql":
        pytest.fail("The broker test needs PostgreSQL (a worker process cannot see an in-memory SQLite database).")
    org = large_org.generate_org(SIZE, prefix="W2")
    env = {**os.environ, "DATABASE_URL": _database_url(), "TILLIT_BROKER_URL": broker, "DEBUG": "true"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config.celery", "worker", "--pool", "solo", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        settings.TILLIT_BROKER_URL = broker
        job = jobs.submit(user=User.objects.get(pk=org.users["controller"].pk), kind=BOARD_WORKBOOK,
                          params={"round_pk": org.latest_round.pk})
        assert job.status == JobStatus.QUEUED  # handed to the queue, not run here
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            assert worker.poll() is None, worker.stdout.read().decode(errors="replace")
            time.sleep(0.5)
        assert job.status == JobStatus.DONE, job.error or "the worker did not finish the job in 90 s"
        assert load_workbook(io.BytesIO(bytes(job.result)), read_only=True).sheetnames
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_a_big_import_runs_as_a_job_with_the_row_report_as_result(small_org, settings):
    from scorecards.jobs import submit_measurement_import
    from scorecards.models import Measurement

    settings.TILLIT_BROKER_URL = ""
    csv = "enhet;indikator;period;värde;kommentar\r\nJ2-E0001;J2-E0001-I01;2026-03;42,5;\r\n".encode("utf-8-sig")
    job = submit_measurement_import(user=small_org.users["unit_manager"], file_name="utfall.csv", data=csv)
    assert job.status == JobStatus.DONE, job.error
    assert Measurement.objects.get(unit__external_code="J2-E0001", indicator__external_code="J2-E0001-I01",
                                   period__year__year=2026, period__kind="month", period__number=3).value == 42.5
    assert job.result_name == "utfall-importrapport.txt"


def test_a_bad_import_job_writes_nothing_and_reports_the_rows(small_org, settings):
    from scorecards.jobs import submit_measurement_import
    from scorecards.models import Measurement

    settings.TILLIT_BROKER_URL = ""
    before = Measurement.objects.count()
    csv = "enhet;indikator;period;värde\r\nJ2-E0001;NO-SUCH;2026-03;1\r\n".encode("utf-8")
    job = submit_measurement_import(user=small_org.users["unit_manager"], file_name="fel.csv", data=csv)
    assert job.status == JobStatus.DONE  # the job worked; the file was wrong
    assert Measurement.objects.count() == before
    assert "NO-SUCH" in bytes(job.result).decode("utf-8")
