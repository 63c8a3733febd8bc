"""Start a background job for a round: the board workbook made off the request ("Skapa i
bakgrunden"). POST only; the user lands on the job's page (``/jobb/<id>/``), which shows the
progress and offers the file when it is done. Without a broker the job has already run by then."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import jobs
from reporting.jobs import BOARD_WORKBOOK
from reporting.views.board import readable_round_or_404


@login_required
@require_POST
def board_workbook_job(request, round_pk):
    reporting_round = readable_round_or_404(request.user, round_pk)
    job = jobs.submit(user=request.user, kind=BOARD_WORKBOOK, params={"round_pk": reporting_round.pk},
                      title=_("Board workbook, %(round)s") % {"round": reporting_round.name})
    return redirect("job", pk=job.pk)


urlpatterns = [
    path("malrapport/<int:round_pk>/arbetsbok/bakgrund/", board_workbook_job, name="board-workbook-job"),
]
