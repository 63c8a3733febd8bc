"""Reporting's background jobs (governance/jobs.py): the full board workbook of a round.

For a large city the workbook of a year takes seconds to build (docs/benchmarks.md), too long
to hold a request open behind a load balancer; "Skapa i bakgrunden" on the goal report runs the
same export as the direct download (``reporting.workbook.export_snapshot`` and
``write_workbook``), as the user who asked, with the same scope, off the request."""

import io

from django.utils.translation import gettext as _

from governance.jobs import JobResult, ObjectGone, job_function
from reporting import selectors, workbook
from reporting.models import ReportingRound

BOARD_WORKBOOK = "board_workbook"


@job_function(BOARD_WORKBOOK)
def board_workbook_job(*, job, progress, round_pk):
    try:
        reporting_round = selectors.round_get(user=job.user, pk=round_pk)
    except ReportingRound.DoesNotExist:
        raise ObjectGone(_("The reporting round no longer exists or you may no longer read it.")) from None
    progress(10, _("Gathering the report's data"))
    snapshot = workbook.export_snapshot(user=job.user, reporting_round=reporting_round)
    progress(50, _("Writing the workbook"))
    output = io.BytesIO()
    workbook.write_workbook(snapshot, output)
    progress(95, _("Saving the result"))
    return JobResult(name=workbook.workbook_filename(snapshot), content_type=workbook.CONTENT_TYPE,
                     content=output.getvalue())
