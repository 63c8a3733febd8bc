"""Importing measurements from a file in the browser: upload → preview → confirm.

The uploaded file is kept in the user's session between the preview and the confirm (base64,
with its SHA-256 and name, under a random token; at most a few pending files per session, and
only files within the size limit). Nothing parsed is trusted across requests: the preview and
the confirm both read the stored bytes again and run the one importer
(``scorecards.importers.import_file``), the preview as a dry run (written and rolled back, so it
says exactly what the confirm will do) and the confirm for real, checking every row again; if
anything changed in between, the confirm shows the new report and writes nothing. The confirm
also sends the hash it was shown, so a stale page cannot confirm another file.

A measurement file of more rows than ``importers.background_rows()`` (5 000) is previewed and
confirmed as background jobs (scorecards/jobs.py): the upload starts the preview job, the preview
page shows its progress (rows checked, values written, of how many; it reloads itself) and, when
it is done, the summary and the wrong rows; the confirm starts the import job and shows its page.
"""

import base64
import hashlib
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from governance import scope
from governance.jobs import jobs_for
from governance.scope import Action
from scorecards import importers
from scorecards.importers.kolada import may_import_kolada
from scorecards.jobs import JSON, job_report, submit_measurement_import

SESSION_KEY = "tillit_imports"
MAX_PENDING = 3
REFRESH_SECONDS = 2


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (semicolon or comma separated) or Excel (.xlsx) with the columns enhetskod, "
                               "indikatorkod, period, värde, kommentar; or a saved Kolada JSON answer."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.json,text/csv,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        message = importers.size_error(upload.size)
        if message:
            raise forms.ValidationError(message)
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def mark_invalid(self):
        """Link the error to the field for screen readers."""
        if self.errors.get("file"):
            self.fields["file"].widget.attrs.update({"aria-invalid": "true", "aria-describedby": "id_file_errors"})


def _require_importer(user):
    if not scope.scope_for(user).has_any(Action.ENTER_MEASUREMENTS):
        raise PermissionDenied


def _pending(request):
    return request.session.get(SESSION_KEY, {})


def _store(request, *, name, data):
    pending = dict(_pending(request))
    while len(pending) >= MAX_PENDING:
        pending.pop(next(iter(pending)))
    token = secrets.token_urlsafe(16)
    pending[token] = {"name": name, "sha256": hashlib.sha256(data).hexdigest(),
                      "data": base64.b64encode(data).decode("ascii")}
    request.session[SESSION_KEY] = pending
    return token


def _load(request, token):
    entry = _pending(request).get(token)
    if entry is None:
        raise Http404(_("This upload is no longer available. Upload the file again."))
    data = base64.b64decode(entry["data"])
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise Http404(_("This upload is no longer available. Upload the file again."))
    return entry, data


def _remember_job(request, token, job_pk):
    pending = dict(_pending(request))
    pending[token] = {**pending[token], "preview_job": job_pk}
    request.session[SESSION_KEY] = pending


def _preview_job_page(request, entry, token):
    """The preview of a big file: the preview job's progress, then its summary and wrong rows."""
    job = jobs_for(request.user).filter(pk=entry["preview_job"]).first()
    if job is None:
        raise Http404(_("This upload is no longer available. Upload the file again."))
    response = render(request, "scorecards/imports/preview_job.html", {
        "job": job, "report": job_report(job), "entry": entry, "token": token,
        "refresh": None if job.is_finished else REFRESH_SECONDS,
    })
    patch_cache_control(response, private=True, no_store=True)
    return response


def _forget(request, token):
    pending = dict(_pending(request))
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    _require_importer(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            token = _store(request, name=upload.name, data=data)
            if importers.runs_in_background(data, upload.name):
                job = submit_measurement_import(user=request.user, file_name=upload.name, data=data, dry_run=True,
                                                result=JSON)
                _remember_job(request, token, job.pk)
            return redirect("scorecards:import-preview", token=token)
        form.mark_invalid()
    return render(request, "scorecards/imports/start.html", {
        "form": form, "can_import_kolada": may_import_kolada(request.user),
        "max_megabytes": importers.max_bytes() // (1024 * 1024),
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, token):
    """GET: what the file would do (a dry run). POST: do it, after checking it all again."""
    _require_importer(request.user)
    entry, data = _load(request, token)
    confirming = request.method == "POST"
    if confirming and request.POST.get("sha256") != entry["sha256"]:
        messages.error(request, _("The file changed since the preview. Check the preview again before importing."))
        return redirect("scorecards:import-preview", token=token)
    if not confirming and entry.get("preview_job"):
        return _preview_job_page(request, entry, token)
    if confirming and ("background" in request.POST or entry.get("preview_job")):
        # A big file: the same importer runs as a background job (checking every row again, all or
        # nothing), and the job page shows its progress and, when done, the row report.
        _forget(request, token)
        job = submit_measurement_import(user=request.user, file_name=entry["name"], data=data)
        return redirect("job", pk=job.pk)
    try:
        report = importers.import_file(user=request.user, data=data, filename=entry["name"], dry_run=not confirming)
    except PermissionDenied as error:
        report = None
        denied = str(error) or _("You may not import this file.")
    else:
        denied = ""
    if confirming and report is not None and report.ok:
        _forget(request, token)
        if report.written:
            messages.success(request, _("The file “%(name)s” was imported: %(count)s value(s) saved.")
                             % {"name": entry["name"], "count": report.changes})
        else:
            messages.info(request, _("The file “%(name)s” holds nothing new; nothing was changed.")
                          % {"name": entry["name"]})
        return redirect("scorecards:import")
    template = ("scorecards/imports/preview_kolada.html" if report is not None and report.kind == "kolada"
                else "scorecards/imports/preview.html")
    return render(request, template, {
        "report": report, "denied": denied, "entry": entry, "token": token, "confirming": confirming,
    })


urlpatterns = [
    path("importera/", import_start, name="import"),
    path("importera/<str:token>/", import_preview, name="import-preview"),
]
