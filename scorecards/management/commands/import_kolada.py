"""``manage.py import_kolada FILE --user NAME [--dry-run] [--municipality ID]``: import a saved
Kolada API answer (v2 or v3 JSON) as the named user (a controller): the own municipality's
yearly values become measurements of the yearly indicators carrying the KPI, and every value is
kept as a comparison value. Bad JSON or a wrong shape writes nothing and exits with status 1."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from scorecards.importers import FileRejected
from scorecards.importers.kolada import import_kolada, read_kolada
from scorecards.management.commands._importing import add_common_arguments, find_user, read_file


class Command(BaseCommand):
    help = "Import a saved Kolada JSON answer: measurements and comparison values, all or nothing."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--municipality", default="",
                            help="Kolada id of the own municipality (default: the TILLIT_KOLADA_MUNICIPALITY setting).")

    def handle(self, *args, **options):
        user = find_user(options["user"])
        data = read_file(options["file"])
        try:
            kolada_file = read_kolada(data)
        except FileRejected as error:
            for message in error.messages:
                self.stderr.write(str(message))
            raise CommandError("Nothing was imported: the file is not a Kolada answer Tillit can read.") from None
        try:
            report = import_kolada(user=user, kolada_file=kolada_file, municipality=options["municipality"] or None,
                                   dry_run=options["dry_run"])
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        if not report.ok:
            for line in report.text_lines(errors_only=True):
                self.stderr.write(line)
            raise CommandError("Nothing was imported: the file has errors (see above).")
        for line in report.text_lines(errors_only=int(options["verbosity"]) < 2):
            self.stdout.write(line)
        counts = report.comparison_counts
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(self.style.SUCCESS(
            f"{verb}: {report.measurement_count('new')} new and {report.measurement_count('update')} changed "
            f"measurement(s); comparison values {counts['new']} new, {counts['update']} changed, "
            f"{counts['unchanged']} unchanged."))
