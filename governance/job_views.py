"""The page of a background job (``/jobb/<id>/``) and its result (``/jobb/<id>/resultat/``).
Only the job's owner sees either; to anyone else the job does not exist (404). While the job
runs, the page reloads itself every few seconds (a meta refresh: no script, so the strict content
security policy has nothing to allow)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from governance.jobs import jobs_for

REFRESH_SECONDS = 2


def _own_job(user, pk, **extra):
    job = jobs_for(user).filter(pk=pk).defer("result").first()
    if job is None:
        raise Http404(_("No such job."))
    return job


@login_required
@require_safe
def job_detail(request, pk):
    job = _own_job(request.user, pk)
    response = render(request, "governance/job.html", {
        "job": job, "refresh": None if job.is_finished else REFRESH_SECONDS,
        "recent": jobs_for(request.user).defer("result").exclude(pk=job.pk)[:10],
    })
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_safe
def job_result(request, pk):
    job = jobs_for(request.user).filter(pk=pk).first()
    if job is None or not job.has_result:
        raise Http404(_("No such job."))
    response = HttpResponse(bytes(job.result), content_type=job.result_content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


urlpatterns = [
    path("jobb/<int:pk>/", job_detail, name="job"),
    path("jobb/<int:pk>/resultat/", job_result, name="job-result"),
]
