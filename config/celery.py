"""The Celery application for background jobs (governance/jobs.py), used only when
``TILLIT_BROKER_URL`` is set, e.g. ``redis://127.0.0.1:6379/0``. Start a worker with

    TILLIT_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/celery -A config.celery worker --loglevel INFO

Without a broker nothing here is used: jobs run inline in the request."""

import os

import django
from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402

app = Celery("tillit")
app.conf.update(
    broker_url=settings.TILLIT_BROKER_URL or "memory://",
    task_ignore_result=True,  # the result lives in the Job row, not in a result backend
    task_acks_late=True,  # a job whose worker died is handed to another worker
    worker_prefetch_multiplier=1,  # long jobs: take one at a time
    broker_connection_retry_on_startup=True,
)


@app.task(name="tillit.run_job")
def run_job(job_id):
    from governance.jobs import run_job as run

    run(job_id)
