"""``manage.py export_board_report --board <id or name> --round <id or name> -o file.xlsx``:
write the board workbook of a round (docs/architecture.md §7), e.g. for the board secretary's archive.

An adopted report is written from its frozen snapshot, exactly as the board adopted it. Any
other report is written from the live data as it stands. The command runs as the system, not as
a person: it reads every unit under the board, as a superuser would (an unsaved user with
superuser rights, never stored in the database).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.models import OrgUnit, OrgUnitKind, User
from reporting import workbook
from reporting.evidence import latest_board_report
from reporting.models import ReportingRound


def system_user():
    """Reads everything, like a superuser; exists only for the run of the command."""
    return User(username="tillit-system", is_active=True, is_superuser=True, is_staff=False)


def _find_board(value):
    boards = OrgUnit.objects.filter(kind=OrgUnitKind.BOARD)
    found = list(boards.filter(pk=int(value))) if value.isdigit() else []
    if not found:
        found = list(boards.filter(name__iexact=value.strip()))
    if not found:
        known = ", ".join(f"{b.pk} {b.name}" for b in boards.order_by("name")) or "inga"
        raise CommandError(f"Det finns ingen nämnd som heter eller har id {value!r}. Nämnder: {known}.")
    if len(found) > 1:
        raise CommandError(f"Flera nämnder heter {value!r}; ange nämndens id: "
                           + ", ".join(str(b.pk) for b in found) + ".")
    return found[0]


def _find_round(board, value):
    rounds = ReportingRound.objects.filter(board=board).select_related("board", "period__year")
    found = list(rounds.filter(pk=int(value))) if value.isdigit() else []
    if not found:
        found = list(rounds.filter(name__iexact=value.strip()))
    if not found:
        known = ", ".join(f"{r.pk} {r.name}" for r in rounds.order_by("period__start", "period__end")) or "inga"
        raise CommandError(f"{board.name} har ingen rapporteringsomgång som heter eller har id {value!r}. "
                           f"Omgångar: {known}.")
    if len(found) > 1:
        raise CommandError(f"Flera omgångar heter {value!r}; ange omgångens id: "
                           + ", ".join(str(r.pk) for r in found) + ".")
    return found[0]


class Command(BaseCommand):
    help = (
        "Skriver nämndens arbetsbok (Excel) för en rapporteringsomgång. En fastställd rapport skrivs "
        "från sin frysta ögonblicksbild, annars från aktuella uppgifter."
    )

    def add_arguments(self, parser):
        parser.add_argument("--board", dest="board_ref", required=True,
                            help="Nämndens id eller namn, t.ex. Socialnämnden.")
        parser.add_argument("--round", dest="round_ref", required=True,
                            help="Omgångens id eller namn, t.ex. \"Delårsrapport T2 2026\".")
        parser.add_argument("-o", "--output", required=True, help="Filen som ska skrivas, t.ex. malrapport.xlsx.")

    def handle(self, *args, board_ref, round_ref, output, **options):
        board = _find_board(board_ref)
        reporting_round = _find_round(board, round_ref)
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"Mappen {target.parent} finns inte.")
        snapshot = workbook.export_snapshot(user=system_user(), reporting_round=reporting_round)
        try:
            workbook.write_workbook(snapshot, target)
        except OSError as error:
            raise CommandError(f"Kunde inte skriva {target}: {error.strerror or error}.") from error
        report = latest_board_report(reporting_round)
        if report is not None and report.is_adopted:
            basis = f"fastställd {report.adopted_on:%Y-%m-%d} {report.minute_paragraph}".rstrip()
        else:
            basis = "aktuella uppgifter, ej fastställd"
        self.stdout.write(self.style.SUCCESS(f"Skrev {target} ({board.name}, {reporting_round.name}: {basis})."))
