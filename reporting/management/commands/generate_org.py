"""``manage.py generate_org --units 500 --years 5``: a synthetic organisation of a chosen size for
benchmarks and load tests (fixtures/large_org.py). It lives in reporting because it fills all
three apps. Bulk inserts in one transaction; prints the time of each step and the row counts."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from fixtures import large_org


class Command(BaseCommand):
    help = ("Skapar en syntetisk men realistisk organisation av vald storlek (nämnd, förvaltning, avdelningar, "
            "enheter, team, styrkort, mätvärden, aktiviteter, uppföljningar) för prestandamätningar.")

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=200, help="Antal enheter med styrkort (standard 200).")
        parser.add_argument("--years", type=int, default=2, help="Antal år med månadsvärden (standard 2).")
        parser.add_argument("--last-year", type=int, default=2026, help="Det sista året (standard 2026).")
        parser.add_argument("--as-of", default="",
                            help="Värden finns för perioder som slutat före detta datum, ÅÅÅÅ-MM-DD "
                                 "(standard: 1 december det sista året).")
        parser.add_argument("--teams-per-unit", type=int, default=3, help="Team per enhet (standard 3).")
        parser.add_argument("--indicators-per-scorecard", type=int, default=10,
                            help="Mätetal per styrkort, styrande och egna (standard 10).")
        parser.add_argument("--goals-per-scorecard", type=int, default=4, help="Enhetsmål per styrkort (standard 4).")
        parser.add_argument("--activities-per-team", type=int, default=2, help="Aktiviteter per team (standard 2).")
        parser.add_argument("--updates-per-activity", type=int, default=2,
                            help="Loggposter per aktivitet (standard 2).")
        parser.add_argument("--political-goals", type=int, default=6, help="Nämndmål (standard 6, högst 8).")
        parser.add_argument("--seed", type=int, default=2026, help="Frö: samma frö ger samma organisation.")
        parser.add_argument("--prefix", default="",
                            help="Prefix för externa koder och användarnamn (standard S<enheter>, t.ex. S200).")
        parser.add_argument("--password", default=large_org.DEFAULT_PASSWORD,
                            help=f"Lösenord för alla genererade användare (standard {large_org.DEFAULT_PASSWORD}).")

    def handle(self, *args, units, years, last_year, as_of, teams_per_unit, indicators_per_scorecard,
               goals_per_scorecard, activities_per_team, updates_per_activity, political_goals, seed, prefix,
               password, **options):
        try:
            cutoff = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of must be a date like 2026-09-01, not {as_of!r}.") from None
        try:
            size = large_org.OrgSize(
                units=units, years=years, last_year=last_year, as_of=cutoff, teams_per_unit=teams_per_unit,
                indicators_per_scorecard=indicators_per_scorecard, goals_per_scorecard=goals_per_scorecard,
                activities_per_team=activities_per_team, updates_per_activity=updates_per_activity,
                political_goals=political_goals,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        prefix = prefix or large_org.default_prefix(units)
        self.stdout.write(f"Generating {prefix}: {size}")
        try:
            org = large_org.generate_org(size, seed=seed, prefix=prefix, password=password, stdout=self.stdout)
        except large_org.OrgExists as error:
            raise CommandError(f"{error} Välj ett annat --prefix eller använd en tom databas.") from error
        width = max(len(name) for name in org.counts)
        for name, count in org.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>9}")
        self.stdout.write(self.style.SUCCESS(f"Generated {prefix} in {org.seconds:.1f} s."))
        self.stdout.write("Logins (password %s): %s" % (password, ", ".join(
            f"{role}={user.username}" for role, user in org.users.items())))
