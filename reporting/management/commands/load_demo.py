"""``manage.py load_demo``: load the demo organisation (fixtures/demo.py) and print the logins."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from fixtures import demo


class Command(BaseCommand):
    help = (
        "Läser in demoorganisationen (Socialnämnden med styrkort, två års mätvärden, aktiviteter, "
        "uppföljningar och nämndrapporter) och skriver ut inloggningarna. Finns demon redan görs ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true",
            help="Töm hela databasen först (manage.py flush) och bygg demon på nytt.",
        )

    def handle(self, *args, reset=False, verbosity=1, **options):
        if reset:
            self.stdout.write("Tömmer databasen …")
            call_command("flush", interactive=False, verbosity=0)
        if demo.demo_is_loaded():
            self.stdout.write(
                f"Demodata finns redan ({demo.BOARD_NAME} finns). Ingenting har ändrats; "
                "kör med --reset för att bygga om demon från början."
            )
        else:
            started = time.monotonic()
            try:
                result = demo.build_demo(stdout=self.stdout if verbosity >= 2 else None)
            except demo.DemoConflict as error:
                raise CommandError(f"{error} Kör `manage.py load_demo --reset` för att tömma databasen och "
                                   "bygga demon på nytt.") from error
            seconds = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"Demodata inläst på {seconds:.1f} s.".replace(".", ",", 1)))
            self.stdout.write(", ".join(f"{count} {name}" for name, count in result.counts.items()) + ".")
        self.stdout.write("")
        self.stdout.write(demo.format_logins())
