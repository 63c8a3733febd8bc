"""``manage.py import_measurements FILE --user NAME [--dry-run]``: import measurements from a CSV
or Excel file (docs/architecture.md §8 layout) as the named user, all or nothing. On any bad row it prints
the row report to stderr, writes nothing and exits with status 1."""

from django.core.management.base import BaseCommand

from scorecards import importers
from scorecards.management.commands._importing import add_common_arguments, run


def measurement_kind(data, name):
    # A measurement file is Excel or CSV; anything else read as CSV fails with a clear report.
    return importers.KIND_EXCEL if importers.detect_kind(data, name) == importers.KIND_EXCEL else importers.KIND_CSV


class Command(BaseCommand):
    help = "Import measurements from a CSV or Excel file, all or nothing."

    def add_arguments(self, parser):
        add_common_arguments(parser)

    def handle(self, *args, **options):
        report = run(self, options=options, kind=measurement_kind)
        counts = report.counts
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(self.style.SUCCESS(
            f"{verb}: {counts['new']} new, {counts['update']} changed, {counts['unchanged']} unchanged, "
            f"{counts['skip']} skipped (no value)."))
