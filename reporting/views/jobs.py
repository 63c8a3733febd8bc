"""Start a background job for a round: the board workbook made off the request ("Skapa i
bakgrunden"). POST only; the user lands on the job's page (``/jobb/<id>/``), which shows the
progress and offers the file when it is done. Without a broker the job has already run by then."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import jobs
from reporting import selectors
from reporting.jobs import BOARD_WORKBOOK
from reporting.models import ReportingRound


@login_required
@require_POST
def board_workbook_job(request, round_pk):
    try:
        reporting_round = selectors.round_get(user=request.user, pk=round_pk)
    except ReportingRound.DoesNotExist:
        raise Http404(_("No such reporting round.")) from None
    job = jobs.submit(user=request.user, kind=BOARD_WORKBOOK, params={"round_pk": reporting_round.pk},
                      title=_("Board workbook, %(round)s") % {"round": reporting_round.name})
    return redirect("job", pk=job.pk)


urlpatterns = [
    path("malrapport/<int:round_pk>/arbetsbok/bakgrund/", board_workbook_job, name="board-workbook-job"),
]
