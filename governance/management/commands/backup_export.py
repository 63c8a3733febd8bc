"""``manage.py backup_export -o tillit.jsonl.gz``: write every row of Tillit's database to one
file (users, memberships, the organisation, goals, scorecards, values, activities, follow-ups,
reports with their snapshots, the change history), for ``backup_restore`` to load into an empty
database. What is left out, and why, is in ``_backup.py``.

Rows are streamed from the database in chunks and written as they come, so memory stays small
however large the database is. The file is written under a temporary name and renamed when
complete: a failed export never leaves a file that looks like a backup.
"""

import os
from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ._backup import FullPrecisionEncoder, backed_up_models, backup_format, open_backup, rows_in_restore_order


class _Counter:
    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


class Command(BaseCommand):
    help = "Exportera all data i Tillit till en fil (JSON Lines, gärna gzip-komprimerad) för backup_restore."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True,
                            help="Filen att skriva, t.ex. tillit-2026-11-23.jsonl.gz (.jsonl, .json, med eller utan .gz).")

    def handle(self, *args, output, **options):
        fmt, _compressed = backup_format(output)
        target = Path(output)
        if target.parent and not target.parent.exists():
            raise CommandError(f"Mappen {target.parent} finns inte.")
        outer_transaction = connection.in_atomic_block
        partial = target.with_name(".partial-" + target.name)
        models = backed_up_models()
        try:
            # One consistent view of the whole database, even while people keep working: a read
            # transaction on SQLite, and a repeatable-read one on PostgreSQL (whose default,
            # read committed, would let a table read late see rows newer than one read early).
            with transaction.atomic(), open_backup(partial, "w") as stream:
                if connection.vendor == "postgresql" and not outer_transaction:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                rows = _Counter(rows_in_restore_order(models))
                serializers.serialize(fmt, rows, stream=stream, use_natural_foreign_keys=True,
                                      use_natural_primary_keys=False, cls=FullPrecisionEncoder)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Exporterade {rows.count} rader från {len(models)} tabeller till {target}.")
