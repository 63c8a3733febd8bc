"""The controller's reporting rounds (Omgångar): the rounds of the boards they work for, with
state, deadline and progress; creating, opening and closing a round; and, per round, which
units and teams have not reported yet.

Writes go through ``reporting.services`` (which check permission and validate); progress comes
from ``reporting.progress.round_progress``. Rounds outside the user's boards are a 404; a user
who may read a round but not manage it (a board member) gets a 403 and nothing changes.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from governance import scope
from governance.csv_export import csv_response
from governance.concurrency import StaleWrite
from governance.models import OrgUnitKind, Period
from governance.scope import Action
from reporting import services
from reporting.forms.rounds import RoundCreateForm
from reporting.models import FollowUp, ReportingRound, UnitReport
from reporting.progress import round_progress
from reporting.views.board import readable_round_or_404


# --- reads (scoped) ------------------------------------------------------------------------------

def managed_boards(user):
    """The boards whose rounds the user may open and close."""
    return scope.units_for(user, Action.MANAGE_ROUNDS).filter(kind=OrgUnitKind.BOARD).order_by("path")


def managed_round_or_404(user, pk):
    """A round the user may read (else 404) and manage (else 403)."""
    reporting_round = readable_round_or_404(user, pk)
    scope.require(user, Action.MANAGE_ROUNDS, reporting_round.board)
    return reporting_round


@dataclass
class RoundLine:
    round: ReportingRound
    units_total: int = 0
    units_submitted: int = 0
    follow_ups: Counter = field(default_factory=Counter)

    @property
    def follow_ups_reported(self):
        return self.follow_ups[FollowUp.State.SUBMITTED] + self.follow_ups[FollowUp.State.APPROVED]

    @property
    def follow_ups_total(self):
        return sum(self.follow_ups.values())


def round_lines(user, boards):
    """Every round of ``boards`` with its progress, in a fixed number of queries.

    Counts the same units as ``round_progress``: the active units under the board that the user
    may read; a unit has reported when its UnitReport is submitted.
    """
    rounds = list(ReportingRound.objects.filter(board__in=boards).select_related("board", "period")
                  .order_by("board__path", "-period__end", "period__start"))
    if not rounds:
        return []
    board_paths = {b.pk: b.path for b in boards}
    under_boards = Q()
    for board in boards:
        under_boards |= Q(path__startswith=board.path)
    units = scope.readable_units(user).filter(under_boards, kind=OrgUnitKind.UNIT, is_active=True)
    units_per_board = Counter()
    for unit_path in units.values_list("path", flat=True):
        board_id = int(unit_path.split("/", 1)[0])
        if board_id in board_paths:
            units_per_board[board_id] += 1
    submitted = dict(UnitReport.objects.filter(round__in=rounds, state=UnitReport.State.SUBMITTED, unit__in=units)
                     .values("round_id").annotate(n=Count("pk")).values_list("round_id", "n"))
    follow_ups = defaultdict(Counter)
    for round_id, state, n in (FollowUp.objects.filter(round__in=rounds, org_unit__in=scope.readable_units(user))
                               .values("round_id", "state")
                               .annotate(n=Count("pk")).values_list("round_id", "state", "n")):
        follow_ups[round_id][state] = n
    return [RoundLine(round=r, units_total=units_per_board[r.board_id], units_submitted=submitted.get(r.pk, 0),
                      follow_ups=follow_ups[r.pk]) for r in rounds]


# --- helpers -------------------------------------------------------------------------------------

def add_service_errors(form, error):
    """Put a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for key, errors in error.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def first_message(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


# --- views ---------------------------------------------------------------------------------------

@login_required
@require_safe
def round_list(request):
    boards = list(managed_boards(request.user))
    if not boards:
        raise PermissionDenied(_("Only controllers manage reporting rounds."))
    lines = round_lines(request.user, boards)
    if request.GET.get("format") == "csv":
        return round_list_csv(lines)
    return render(request, "reporting/rounds/list.html", {
        "lines": lines,
        "boards": boards,
    })


@login_required
def round_create(request):
    boards = managed_boards(request.user)
    if not boards.exists():
        raise PermissionDenied(_("Only controllers manage reporting rounds."))
    periods = Period.objects.order_by("-year__year", "start", "-end")
    form = RoundCreateForm(request.POST or None, boards=boards, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            reporting_round = services.round_create(
                user=request.user, board=form.cleaned_data["board"], period=form.cleaned_data["period"],
                name=form.round_name(), deadline=form.cleaned_data["deadline"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round %(name)s was created. Open it when the units may start reporting.")
                             % {"name": reporting_round.name})
            return redirect("reporting:round-detail", reporting_round.pk)
    return render(request, "reporting/rounds/create.html", {"form": form})


@login_required
@require_safe
def round_detail(request, pk):
    reporting_round = managed_round_or_404(request.user, pk)
    progress = round_progress(user=request.user, reporting_round=reporting_round)
    if request.GET.get("format") == "csv":
        return round_progress_csv(reporting_round, progress)
    not_submitted = [p for p in progress if not p.has_submitted]
    teams_not_reported = [t for p in progress for t in p.teams_not_reported]
    return render(request, "reporting/rounds/detail.html", {
        "reporting_round": reporting_round,
        "progress": progress,
        "not_submitted": not_submitted,
        "teams_not_reported": teams_not_reported,
        "submitted_count": len(progress) - len(not_submitted),
        "states": FollowUp.State,
    })


def round_list_csv(lines):
    """The rounds list as CSV: the page's table, with the counts as numbers."""
    header = [_("Round"), _("Board"), _("Period"), _("Deadline"), _("State"), _("Units that have submitted"),
              _("Units"), _("Follow-ups submitted or approved"), _("Follow-ups")]
    rows = [[line.round.name, line.round.board.name, line.round.period.label, line.round.deadline,
             line.round.get_state_display(), line.units_submitted, line.units_total, line.follow_ups_reported,
             line.follow_ups_total] for line in lines]
    return csv_response(filename="reporting-rounds.csv", header=header, rows=rows)


def round_progress_csv(reporting_round, progress):
    """One round's progress per unit as CSV: the page's table."""
    header = [_("Unit"), _("The unit's report"), _("Date submitted"), _("Drafts"), _("Awaiting review"),
              _("Returned"), _("Approved"), _("Teams without a submitted follow-up"),
              _("Unit goals without a follow-up")]
    rows = []
    for p in progress:
        rows.append([
            p.unit.name, _("Submitted") if p.has_submitted else _("Not submitted"),
            p.report.submitted_at if p.has_submitted else None,
            p.counts[FollowUp.State.DRAFT], p.counts[FollowUp.State.SUBMITTED], p.counts[FollowUp.State.RETURNED],
            p.counts[FollowUp.State.APPROVED], ", ".join(t.team.name for t in p.teams_not_reported),
            "; ".join(g.title for g in p.uncovered_goals)])
    return csv_response(filename=f"round-{reporting_round.pk}-progress.csv", header=header, rows=rows)


def _change_state(request, pk, service, done_message):
    reporting_round = managed_round_or_404(request.user, pk)
    try:
        # The version the controller saw: a click on a page that is out of date is refused
        # (check_version treats anything that is not that number as stale).
        service(user=request.user, reporting_round=reporting_round, expected_version=request.POST.get("version"))
    except StaleWrite as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, done_message % {"name": reporting_round.name})
    return redirect("reporting:round-detail", reporting_round.pk)


@login_required
@require_POST
def round_open(request, pk):
    return _change_state(request, pk, services.round_open, _("The round %(name)s is open for reporting."))


@login_required
@require_POST
def round_close(request, pk):
    return _change_state(request, pk, services.round_close, _("The round %(name)s is closed."))


urlpatterns = [
    path("omgangar/", round_list, name="rounds"),
    path("omgangar/ny/", round_create, name="round-create"),
    path("omgangar/<int:pk>/", round_detail, name="round-detail"),
    path("omgangar/<int:pk>/oppna/", round_open, name="round-open"),
    path("omgangar/<int:pk>/stang/", round_close, name="round-close"),
]
