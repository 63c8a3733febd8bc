"""``manage.py benchmark_pages --sizes 20,200,1000``: the main pages and API lists at three sizes
of organisation (docs/benchmarks.md, "Pages at scale"). A benchmark, not a test: it prints
figures and judges nothing, except that it says so when a page's query count differs between
sizes.

For each size an organisation is generated into the current database with ``fixtures.large_org``
(prefix ``S<units>``), or reused when one with that prefix is already there (so a second run
measures at once). Pages are requested in-process with Django's test client (no network, no
gunicorn: ``scripts/loadtest.sh`` measures those); see ``reporting.page_benchmark``.
"""

import datetime
import platform

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from fixtures import large_org
from reporting import benchmarking
from reporting import page_benchmark as pb

MB = 1024 * 1024


def _ms(seconds):
    return "–" if seconds is None else f"{seconds * 1000:.1f}"


class Command(BaseCommand):
    help = ("Mäter sidornas svarstid och antal SQL-frågor för organisationer av tre storlekar, jämfört med "
            "handskriven SQL, och arbetsboken mot openpyxl (docs/benchmarks.md).")

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="20,200,1000", help="Antal enheter per storlek (standard 20,200,1000).")
        parser.add_argument("--years", type=int, default=2, help="År med månadsvärden i genererade data (standard 2).")
        parser.add_argument("--repeat", type=int, default=20, help="Anrop per sida (standard 20).")
        parser.add_argument("--warmup", type=int, default=2, help="Uppvärmningsanrop per sida (standard 2).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-workbook", action="store_true", help="Hoppa över arbetsboken.")
        parser.add_argument("--no-generate", action="store_true",
                            help="Generera inget: storlekar som saknas i databasen ger ett fel.")

    def handle(self, *args, sizes, years, repeat, warmup, seed, no_workbook, no_generate, **options):
        try:
            counts = [int(part) for part in sizes.replace(" ", "").split(",") if part]
        except ValueError:
            raise CommandError(f"--sizes takes whole numbers separated by commas, not {sizes!r}.") from None
        if not counts or any(c < 1 for c in counts) or repeat < 1 or warmup < 0:
            raise CommandError("--sizes needs numbers ≥ 1, --repeat ≥ 1 and --warmup ≥ 0.")
        self._machine(repeat)
        results = []
        for units in counts:
            prefix = large_org.default_prefix(units)
            org = large_org.find_generated(prefix)
            if org is None:
                if no_generate:
                    raise CommandError(f"No generated organisation {prefix} in this database.")
                self.stdout.write(f"Generating {prefix} ({units} units, {years} years) …")
                org = large_org.generate_org(large_org.OrgSize(units=units, years=years), seed=seed, prefix=prefix)
                self.stdout.write(f"  generated in {org.seconds:.1f} s")
            else:
                self.stdout.write(f"Reusing {prefix} already in the database.")
            self.stdout.write(f"Measuring {prefix} …")
            results.append(pb.measure_size(org, repeat=repeat, warmup=warmup, workbook=not no_workbook,
                                           on_page=self._progress))
        self._report(results)

    def _progress(self, page):
        self.stdout.write(f"  {page.name}: {page.queries} queries, median {_ms(page.page.median)} ms, "
                          f"p95 {_ms(page.page.p95)} ms" + (f", raw SQL {_ms(page.raw.median)} ms" if page.raw else ""))

    def _machine(self, repeat):
        cpus, load = benchmarking.cpus_and_load()
        self.stdout.write(f"Tillit page benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}; "
                          f"{cpus} CPUs, load {load}; Python {platform.python_version()}, Django {django.get_version()}, "
                          f"database {connection.vendor}; {repeat} requests per page.")

    def _report(self, results):
        w = self.stdout.write
        w("\n### Data sizes\n")
        names = list(results[0].counts)
        w("| rows | " + " | ".join(r.prefix for r in results) + " |")
        w("|---|" + "---:|" * len(results))
        for name in names:
            w(f"| {name} | " + " | ".join(str(r.counts.get(name, "")) for r in results) + " |")

        w("\n### Pages\n")
        w("| page | size | status | queries | median ms | p95 ms | raw SQL median ms | raw rows | page / raw | KB |")
        w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name in [p.name for p in results[0].pages]:
            for r in results:
                page = next((p for p in r.pages if p.name == name), None)
                if page is None:
                    continue
                ratio = "–" if page.ratio is None else f"{page.ratio:.1f}"
                w(f"| {name} | {r.prefix} | {page.status} | {page.queries} | {_ms(page.page.median)} | "
                  f"{_ms(page.page.p95)} | {_ms(page.raw.median if page.raw else None)} | "
                  f"{page.raw_rows if page.raw_rows is not None else '–'} | {ratio} | {page.bytes // 1024} |")
        if any(r.workbook for r in results):
            w("\n### Board workbook (latest round, from the database)\n")
            w("| size | cells | snapshot s | workbook s | openpyxl write-only s | workbook / baseline | "
              "workbook peak MB | baseline peak MB |")
            w("|---|---:|---:|---:|---:|---:|---:|---:|")
            for r in results:
                b = r.workbook
                if b is None:
                    continue
                w(f"| {r.prefix} | {b.cells} | {b.snapshot_seconds:.2f} | {b.workbook_seconds:.2f} | "
                  f"{b.baseline_seconds:.2f} | {b.workbook_seconds / b.baseline_seconds:.1f} | "
                  f"{b.workbook_peak / MB:.1f} | {b.baseline_peak / MB:.1f} |")
        flat = True
        for name in [p.name for p in results[0].pages]:
            queries = {p.queries for r in results for p in r.pages if p.name == name}
            if len(queries) > 1:
                flat = False
                w(f"Query count of {name!r} differs between sizes: {sorted(queries)}")
        w("\nQuery counts are flat across sizes." if flat else "\nQuery counts are NOT flat across sizes.")
        missing = results[0].missing_api
        if missing:
            w("API lists not measured (no such URL name yet): " + ", ".join(missing))
