"""Scorecards' background jobs (governance/jobs.py): a big import (measurements or Kolada), off the request.

The same importer as the import page, the API and the command (``scorecards.importers``: read
the file, check every row, write all or nothing through the service), run as the user who asked;
the result is the row report as a text file. The file travels in the job's parameters (base64),
so any worker can run it. The import page's "Importera i bakgrunden" button (scorecards/views/imports.py)
submits it after the preview."""

import base64

from django.utils.translation import gettext as _

from governance import jobs
from governance.jobs import JobResult, job_function
from scorecards import importers

MEASUREMENT_IMPORT = "measurement_import"


def submit_measurement_import(*, user, file_name, data):
    return jobs.submit(user=user, kind=MEASUREMENT_IMPORT,
                       params={"file_name": file_name, "data": base64.b64encode(data).decode("ascii")},
                       title=_("Import of %(name)s") % {"name": file_name})


@job_function(MEASUREMENT_IMPORT)
def measurement_import_job(*, job, progress, file_name, data):
    content = base64.b64decode(data)
    progress(10, _("Reading, checking and writing the file"))
    report = importers.import_file(user=job.user, data=content, filename=file_name)
    lines = report.text_lines()
    written = report.written
    heading = _("Imported: nothing was wrong and the values are saved.") if written else \
        _("Nothing was imported.")
    text = "\n".join([heading, *lines]) + "\n"
    return JobResult(name=f"{file_name.rsplit('.', 1)[0]}-importrapport.txt", content_type="text/plain; charset=utf-8",
                     content=text.encode("utf-8"))
