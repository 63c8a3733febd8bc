"""Downloads of the board report: the board workbook (arbetsbok, docs/architecture.md §7).

``/malrapport/<round>/arbetsbok.xlsx`` (``reporting:board-workbook``) is the workbook of the
round's latest board report: its frozen snapshot once adopted, else the live data as the user may
see it (a unit manager sees their own units' part of a report that is not adopted yet). An
adopted report is a public record (allmän handling) and reads the same for everyone who may read
the board. Only users who may read the round's board get it; to anyone else the round does not
exist (404).
"""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.urls import path
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from reporting import workbook
from reporting.views.board import readable_round_or_404


@login_required
@require_GET
def board_workbook(request, round_pk):
    reporting_round = readable_round_or_404(request.user, round_pk)
    snapshot = workbook.export_snapshot(user=request.user, reporting_round=reporting_round)
    # A temporary file rather than memory: a large city's workbook is several megabytes.
    output = tempfile.TemporaryFile()
    workbook.write_workbook(snapshot, output)
    output.seek(0)
    response = FileResponse(output, as_attachment=True, filename=workbook.workbook_filename(snapshot),
                            content_type=workbook.CONTENT_TYPE)
    # What is in it depends on who asks (scope): never shared by a cache.
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("malrapport/<int:round_pk>/arbetsbok.xlsx", board_workbook, name="board-workbook"),
]
