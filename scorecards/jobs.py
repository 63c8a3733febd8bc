"""Scorecards' background jobs (governance/jobs.py): a big import (measurements or Kolada), off the request.

The same importer as the import page, the API and the command (``scorecards.importers``: read
the file, check every row, write all or nothing through the service), run as the user who asked.
The file travels in the job's parameters (base64), so any worker can run it.

- A measurement file of more rows than ``importers.background_rows()`` (5 000) is previewed as a
  job (``dry_run``: every rule checked, nothing written, as the page's own preview) and confirmed as a
  job, from the import page (scorecards/views/imports.py) and from the API
  (scorecards/api/imports.py: 202 with the job's address). The import page's "Importera i
  bakgrunden" button submits any file this way after its preview.
- Progress: the job's message says how many rows are checked and how many values written, of how
  many ("12 000 av 50 000 rader kontrollerade"), and its percentage follows; the job page reads both
  while it reloads itself.
- The result is, for the page's confirm, the row report as a text file; for a preview and for the
  API, the report as JSON (``result_json``): the summary, the file's errors and the rows that are
  wrong (all of them, up to ``MAX_ERROR_ROWS``), without the rows that are right.
"""

import base64
import json

from django.utils.translation import gettext as _

from governance import jobs
from governance.history import through_api_token
from governance.jobs import JobResult, job_function
from governance.models import ApiToken
from scorecards import importers
from scorecards.importers.measurements import CHECKING

MEASUREMENT_IMPORT = "measurement_import"
TEXT, JSON = "text", "json"
MAX_ERROR_ROWS = 2000
JSON_CONTENT_TYPE = "application/json"


def submit_measurement_import(*, user, file_name, data, dry_run=False, result=TEXT, source=None, api_token=None):
    """Record and start the import of ``data`` as a job of ``user``; returns the Job. ``api_token``:
    the key of the API request that asked, which the values' history then names."""
    title = (_("Preview of %(name)s") if dry_run else _("Import of %(name)s")) % {"name": file_name}
    params = {"file_name": file_name, "data": base64.b64encode(data).decode("ascii")}
    if api_token is not None:
        params["api_token"] = api_token.pk
    if dry_run:
        params["dry_run"] = True
    if result != TEXT:
        params["result"] = result
    if source:
        params["source"] = source
    return jobs.submit(user=user, kind=MEASUREMENT_IMPORT, params=params, title=title[:200])


def _number(count):
    return f"{count:,}".replace(",", "\u00a0")


def progress_reporter(progress):
    """``progress(stage, done, total)`` for the importer, told to the job as a percentage and a
    message with the counts: checking is the first half, writing the second."""
    def report(stage, done, total):
        share = done / total if total else 1
        if stage == CHECKING:
            percent = 5 + 45 * share
            message = _("%(done)s of %(total)s rows checked") % {"done": _number(done), "total": _number(total)}
        else:
            percent = 50 + 45 * share
            message = _("%(done)s of %(total)s values written") % {"done": _number(done), "total": _number(total)}
        progress(percent, message)
    return report


def job_report(job):
    """The JSON report a finished import job left (``result_json``), or None while it runs."""
    if not job.has_result or not job.result_content_type.startswith(JSON_CONTENT_TYPE):
        return None
    return json.loads(bytes(job.result).decode("utf-8"))


def result_json(report):
    """The report of a job as JSON: the summary, the file's errors and the rows that are wrong."""
    document = report.as_dict()
    error_rows = [row for row in document.pop("rows", []) if row.get("errors")]
    document["changes"] = report.changes
    document["error_count"] = len(error_rows)
    document["error_rows"] = error_rows[:MAX_ERROR_ROWS]
    return document


@job_function(MEASUREMENT_IMPORT)
def measurement_import_job(*, job, progress, file_name, data, dry_run=False, result=TEXT, source=None,
                           api_token=None):
    content = base64.b64decode(data)
    progress(2, _("Reading the file"))
    token = ApiToken.objects.select_related("created_by").filter(pk=api_token).first() if api_token else None
    with through_api_token(token, job.user):
        report = importers.import_file(user=job.user, data=content, filename=file_name, dry_run=dry_run,
                                       source=source, progress=progress_reporter(progress))
    stem = file_name.rsplit(".", 1)[0] or "import"
    if result == JSON:
        suffix = "forhandsgranskning" if dry_run else "importrapport"
        return JobResult(name=f"{stem}-{suffix}.json", content_type=JSON_CONTENT_TYPE,
                         content=json.dumps(result_json(report), ensure_ascii=False).encode("utf-8"))
    lines = report.text_lines()
    if dry_run:
        heading = _("Preview: nothing was wrong; nothing is saved until the import is confirmed.") if report.ok \
            else _("Nothing was imported.")
    else:
        heading = _("Imported: nothing was wrong and the values are saved.") if report.written else \
            _("Nothing was imported.")
    text = "\n".join([heading, *lines]) + "\n"
    return JobResult(name=f"{stem}-importrapport.txt", content_type="text/plain; charset=utf-8",
                     content=text.encode("utf-8"))
