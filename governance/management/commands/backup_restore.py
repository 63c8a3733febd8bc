"""``manage.py backup_restore tillit.jsonl.gz``: load a file written by ``backup_export`` into an
empty, migrated database (``manage.py migrate`` first).

It refuses a database that already holds Tillit data, unless ``--force`` is given: then the
database is emptied first (like ``manage.py flush``) and the backup replaces everything. Either
way it is one transaction: when any row fails, nothing is written and the database is as it was.
After the load, PostgreSQL's id sequences are moved past the restored ids, so new rows get new
ids.
"""

from pathlib import Path

from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import override_settings

from ._backup import backed_up_models, backup_format, open_backup


class Command(BaseCommand):
    help = "Läs in en fil från backup_export i en tom, migrerad databas (--force: ersätt allt som finns)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Filen från backup_export (.jsonl.gz, .jsonl, .json.gz eller .json).")
        parser.add_argument("--force", action="store_true",
                            help="Töm databasen först och ersätt allt med innehållet i filen.")

    def handle(self, *args, path, force, **options):
        fmt, _compressed = backup_format(path)
        if not Path(path).is_file():
            raise CommandError(f"Filen {path} finns inte.")
        models = backed_up_models()
        allowed = set(models)
        occupied = [m._meta.label for m in models if m._base_manager.exists()]
        if occupied and not force:
            listed = ", ".join(occupied[:5]) + (" …" if len(occupied) > 5 else "")
            raise CommandError(
                f"Databasen är inte tom ({listed}). Återställ till en tom, migrerad databas, "
                "eller ange --force för att tömma den och ersätta allt med säkerhetskopian."
            )
        try:
            with transaction.atomic():
                if occupied:
                    call_command("flush", interactive=False, verbosity=0)
                count = self._load(path, fmt, allowed)
                statements = connection.ops.sequence_reset_sql(no_style(), models)
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
                connection.check_constraints(table_names=[m._meta.db_table for m in models])
        except FileNotFoundError:
            raise CommandError(f"Filen {path} finns inte.") from None
        except (DeserializationError, OSError, ValueError) as error:
            raise CommandError(f"Filen {path} kunde inte läsas som en säkerhetskopia: {error}") from error
        except (IntegrityError, DatabaseError) as error:
            raise CommandError(f"Säkerhetskopian kunde inte läsas in; inget har ändrats. Databasen svarade: {error}") from error
        self.stdout.write(f"Läste in {count} rader från {path}.")

    def _load(self, path, fmt, allowed):
        count, deferred = 0, []
        # The change history is restored from the file as it was; loading must not add to it
        # (django-simple-history writes a history row when a many-to-many field is set).
        with override_settings(SIMPLE_HISTORY_ENABLED=False), open_backup(path, "r") as stream:
            for item in serializers.deserialize(fmt, stream, handle_forward_references=True):
                model = type(item.object)
                if model not in allowed:
                    raise CommandError(
                        f"Filen innehåller {model._meta.label}, som inte hör hemma i en säkerhetskopia av Tillit."
                    )
                item.save()
                if item.deferred_fields:
                    deferred.append(item)
                count += 1
            for item in deferred:
                item.save_deferred_fields()
        return count
