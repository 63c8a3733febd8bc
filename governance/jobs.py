"""Long work off the request: background jobs (a full-year board workbook for a large city, a big
import), with progress the user can follow on ``/jobb/<id>/`` and the result to download when
done.

The machinery is generic and lives in governance, which imports neither app above it; the apps
register their job functions here (``@job_function("board_workbook")`` in ``reporting.jobs``),
as the layering asks (docs/architecture.md §10).

- ``submit(user=..., kind=..., params=...)`` records a ``Job`` and hands it to the task queue:
  Celery on Redis when ``TILLIT_BROKER_URL`` is set (a worker runs
  ``celery -A config.celery worker``), otherwise the job runs at once, inline in the request, so
  the demo and the tests need nothing extra. Either way the user lands on the job's page.
- ``run_job(job_id)`` runs a recorded job: the worker calls it, and so does ``submit`` inline.
  A job function is called as ``function(job=job, progress=progress, **params)``; it reports
  progress with ``progress(percent, message)`` and returns a ``JobResult`` (file name, content
  type, bytes). Any exception marks the job failed with a message in Swedish for the user; the
  details go to the log.
- The result is stored in the database with the job, so any app server can hand it out (the
  app servers keep no files of their own; see docs/scaling.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """One piece of long work for one user, and its result."""

    Status = JobStatus

    kind = models.CharField(_("kind"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="jobs")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result_name = models.CharField(_("result file name"), max_length=200, blank=True)
    result_content_type = models.CharField(max_length=200, blank=True)
    result = models.BinaryField(_("result"), null=True, blank=True, editable=False)

    class Meta:
        app_label = "governance"
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.title or self.kind} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def has_result(self):
        return self.status == JobStatus.DONE and bool(self.result_name)


@dataclass
class JobResult:
    name: str
    content_type: str
    content: bytes


_REGISTRY = {}


def job_function(kind):
    """Register ``function(*, job, progress, **params) -> JobResult`` as the work of ``kind``."""
    def register(function):
        _REGISTRY[kind] = function
        return function
    return register


def registered_kinds():
    return sorted(_REGISTRY)


def broker_url():
    return getattr(settings, "TILLIT_BROKER_URL", "") or ""


def submit(*, user, kind, params=None, title=""):
    """Record a job for ``user`` and start it: on the task queue when a broker is configured, else
    at once in this process. Returns the job (finished already when it ran inline)."""
    if kind not in _REGISTRY:
        raise ValueError(f"Unknown job kind {kind!r}.")
    job = Job.objects.create(kind=kind, user=user, params=params or {}, title=title)
    if broker_url():
        from config.celery import app

        # After the commit, or the worker might look for a job that is not there yet.
        transaction.on_commit(lambda: app.send_task("tillit.run_job", args=[job.pk]))
    else:
        run_job(job.pk)
        job.refresh_from_db()
    return job


def _update(job_id, **fields):
    Job.objects.filter(pk=job_id).update(**fields)


def run_job(job_id):
    """Run the recorded job ``job_id`` to its end; never raises for a failure of the work."""
    job = Job.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    _update(job.pk, status=JobStatus.RUNNING, started_at=timezone.now(), progress=0,
            message=gettext("Started"))

    def progress(percent, message=""):
        _update(job.pk, progress=max(0, min(100, int(percent))), message=str(message)[:300])

    try:
        function = _REGISTRY[job.kind]
        result = function(job=job, progress=progress, **job.params)
    except Exception as error:  # the user gets a clear message, the log the details
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _update(job.pk, status=JobStatus.FAILED, finished_at=timezone.now(),
                error=_failure_message(error))
        return
    _update(job.pk, status=JobStatus.DONE, finished_at=timezone.now(), progress=100,
            message=gettext("Done"), result_name=result.name, result_content_type=result.content_type,
            result=result.content)


def _failure_message(error):
    from django.core.exceptions import PermissionDenied, ValidationError

    if isinstance(error, PermissionDenied):
        return gettext("You no longer have permission to do this.")
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ObjectGone):
        return str(error)
    return gettext("The job failed. Try again, and contact the administrator if it fails again.")


class ObjectGone(Exception):
    """What a job works on no longer exists; the message is shown to the user."""


def jobs_for(user):
    """The jobs ``user`` may see: their own."""
    return Job.objects.filter(user=user)
