"""``manage.py benchmark_import --rows 10000,50000``: how long the measurement import takes to
preview (a dry run) and to confirm a file of many rows, as CSV and as .xlsx, and how much memory it
needs (docs/benchmarks.md, "Measurement import"). A benchmark, not a test: it prints figures and
judges nothing, except that it says so when a file is not imported whole.

An organisation is generated into the current database with ``fixtures.large_org`` (prefix
``IMP<units>``: scorecards for one year, no values yet, no teams or activities), or reused when one
with that prefix is already there, as ``benchmark_pages`` does; run it on a scratch database of
your own. The files are made in memory: every row a distinct (unit, monthly indicator, month) of
the generated scorecards, a plausible value with a decimal comma, and a comment on every tenth row.
For each size and format the command times, as the controller:

- **read**: the reader alone (bytes to rows);
- **preview**: ``importers.import_file(dry_run=True)``, what the import page and the API do first
  (read, check, write and roll back);
- **confirm**: ``importers.import_file()``, which writes the values with their history.

After each confirm the written values and their history are deleted again, so the next run
starts from the same database. Memory is measured in a separate preview (tracemalloc slows Python
down): the tracemalloc peak of what the call allocates, and the growth of the resident set.
"""

import datetime
import io
import math
import platform
import time

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from fixtures import large_org
from governance.models import OrgUnitKind
from reporting import benchmarking as bench
from scorecards import importers
from scorecards.importers.base import MAX_ROWS
from scorecards.models import Frequency, Measurement, ScorecardIndicator

MB = 1024 * 1024
YEAR = 2026
FORMATS = ("csv", "xlsx")


def _numbers(text, name):
    try:
        numbers = [int(part) for part in str(text).replace(" ", "").split(",") if part]
    except ValueError:
        raise CommandError(f"{name} takes whole numbers separated by commas, not {text!r}.") from None
    if not numbers or any(n < 1 for n in numbers):
        raise CommandError(f"{name} needs at least one number, each at least 1.")
    return numbers


def org_size(units):
    """The generated organisation: scorecards of one year with ten indicators (five mandated, five
    own), no values (they are what the benchmark imports), nothing else that takes time to make."""
    return large_org.OrgSize(units=units, years=1, teams_per_unit=0, indicators_per_scorecard=10,
                             goals_per_scorecard=1, activities_per_team=0, updates_per_activity=0, political_goals=1,
                             last_year=YEAR, as_of=datetime.date(YEAR, 1, 1))


def slots(org):
    """Every (unit code, indicator code) of the generated scorecards whose indicator is monthly,
    in a fixed order; twelve months each."""
    links = (ScorecardIndicator.objects
             .filter(scorecard__unit__path__startswith=org.board.path, scorecard__unit__kind=OrgUnitKind.UNIT,
                     scorecard__year__year=YEAR, indicator__frequency=Frequency.MONTHLY)
             .order_by("scorecard__unit__external_code", "indicator__external_code")
             .values_list("scorecard__unit__external_code", "indicator__external_code"))
    return list(links)


def rows_for(pairs, count, *, seed=0):
    """``count`` distinct rows (unit, indicator, period, value, comment) as a person would type them."""
    out = []
    for month in range(1, 13):
        for index, (unit, indicator) in enumerate(pairs):
            if len(out) == count:
                return out
            number = (index * 37 + month * 11 + seed) % 1000
            value = f"{number // 10},{number % 10}"  # 0,0-99,9: plausible for every unit of measure
            comment = f"Kommentar {index} {month}" if (index + month) % 10 == 0 else ""
            out.append((unit, indicator, f"{YEAR}-{month:02d}", value, comment))
    if len(out) < count:
        raise CommandError(f"The organisation has room for {len(out)} rows, not {count}; give more --units.")
    return out


HEADER = ("enhet", "indikator", "period", "värde", "kommentar")


def csv_file(rows):
    lines = [";".join(HEADER), *(";".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def xlsx_file(rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for unit, indicator, period, value, comment in rows:
        # Numbers as Excel stores them; the period as text, as a file from a source system has it.
        sheet.append([unit, indicator, period, float(value.replace(",", ".")), comment or None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def delete_written(org):
    """Remove the imported values and their history (raw deletes: no signals, no history of the
    deletion), so that the next run starts from the same database."""
    units = list(org.board.__class__.objects.filter(path__startswith=org.board.path).values_list("pk", flat=True))
    with transaction.atomic():
        history = Measurement.history.model.objects.filter(unit_id__in=units)
        history._raw_delete(history.db)
        values = Measurement.objects.filter(unit_id__in=units)
        values._raw_delete(values.db)


class Command(BaseCommand):
    help = ("Mäter hur lång tid förhandsgranskning och import av en stor fil med utfall tar, och hur mycket "
            "minne de behöver (docs/benchmarks.md).")

    def add_arguments(self, parser):
        parser.add_argument("--rows", default="10000,50000",
                            help="Rader i filen, en eller flera storlekar med komma emellan (standard 10000,50000).")
        parser.add_argument("--units", type=int, default=None,
                            help="Enheter i den genererade organisationen (standard: så många som raderna behöver).")
        parser.add_argument("--formats", default="csv,xlsx", help="Filformat: csv, xlsx eller båda (standard).")
        parser.add_argument("--memory", action="store_true", default=True, help="Mät minnet (standard).")
        parser.add_argument("--no-memory", action="store_false", dest="memory", help="Mät inte minnet.")
        parser.add_argument("--no-generate", action="store_true",
                            help="Generera inget: en organisation som saknas i databasen ger ett fel.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, rows, units, formats, memory, no_generate, seed, **options):
        sizes = _numbers(rows, "--rows")
        if max(sizes) > MAX_ROWS:
            raise CommandError(f"A file may have at most {MAX_ROWS} rows.")
        formats = [f.strip().lower() for f in formats.split(",") if f.strip()]
        if not formats or any(f not in FORMATS for f in formats):
            raise CommandError("--formats takes csv, xlsx or csv,xlsx.")
        # Nine monthly indicators per unit (five own, four of the five mandated), twelve months each:
        # 108 rows a unit; a little room to spare.
        units = units or max(1, math.ceil(max(sizes) / 100))
        started = time.perf_counter()
        self._machine()
        org = self._organisation(units, seed=seed, no_generate=no_generate)
        user = org.users["controller"]
        pairs = slots(org)
        self.stdout.write(f"{len(pairs)} monthly (unit, indicator) pairs: room for {12 * len(pairs)} rows.")
        delete_written(org)
        results = []
        for count in sizes:
            data_rows = rows_for(pairs, count)
            for kind in formats:
                results.append(self._measure(org, user, data_rows, kind, memory=memory))
        self._report(results, memory=memory)
        self.stdout.write(f"\nThe whole benchmark took {time.perf_counter() - started:.0f} s.")

    def _organisation(self, units, *, seed, no_generate):
        prefix = f"IMP{units}"
        org = large_org.find_generated(prefix)
        if org is None:
            if no_generate:
                raise CommandError(f"No generated organisation {prefix} in this database.")
            self.stdout.write(f"Generating {prefix} ({units} units, scorecards {YEAR}, no values) …")
            org = large_org.generate_org(org_size(units), seed=seed, prefix=prefix)
            self.stdout.write(f"  generated in {org.seconds:.1f} s")
        else:
            self.stdout.write(f"Reusing {prefix} already in the database.")
        return org

    def _measure(self, org, user, data_rows, kind, *, memory):
        count = len(data_rows)
        made = time.perf_counter()
        data = csv_file(data_rows) if kind == "csv" else xlsx_file(data_rows)
        made = time.perf_counter() - made
        name = f"utfall.{kind}"
        self.stdout.write(f"\n{count} rows as {kind}: {len(data) / MB:.2f} MB (made in {made:.1f} s)")
        read_wall, _cpu = bench.timed(lambda: importers.read_measurement_rows(data, name))
        self.stdout.write(f"  read:    {read_wall:6.2f} s")
        outcome = {}

        def run(dry_run):
            outcome["report"] = importers.import_file(user=user, data=data, filename=name, dry_run=dry_run)

        preview_wall, preview_cpu = bench.timed(lambda: run(True))
        report = outcome["report"]
        if not report.ok or report.changes != count:
            raise CommandError(f"The preview did not accept the file whole: {report.text_lines(errors_only=True)[:5]}")
        self.stdout.write(f"  preview: {preview_wall:6.2f} s (CPU {preview_cpu:.2f} s), {report.changes} new values")
        confirm_wall, confirm_cpu = bench.timed(lambda: run(False))
        report = outcome["report"]
        written = Measurement.objects.filter(unit__path__startswith=org.board.path).count()
        if not report.written or written != count:
            raise CommandError(f"The confirm wrote {written} values, not {count}.")
        history = Measurement.history.model.objects.filter(unit__path__startswith=org.board.path).count()
        self.stdout.write(f"  confirm: {confirm_wall:6.2f} s (CPU {confirm_cpu:.2f} s), {written} values written "
                          f"with {history} history rows")
        delete_written(org)
        peak = rss = None
        if memory:
            rss = bench.rss_growth(lambda: run(True))
            peak = bench.traced_peak(lambda: run(True))
            self.stdout.write(f"  memory of a preview: tracemalloc peak {peak / MB:.1f} MB "
                              f"({peak / count / 1024:.1f} kB a row), resident set +{(rss or 0) / MB:.1f} MB")
        return {"rows": count, "kind": kind, "bytes": len(data), "read": read_wall, "preview": preview_wall,
                "confirm": confirm_wall, "peak": peak, "rss": rss}

    def _machine(self):
        cpus, load = bench.cpus_and_load()
        self.stdout.write(f"Python {platform.python_version()}, Django {django.get_version()}, "
                          f"database {connection.vendor}, {cpus} CPU(s), load {load}, "
                          f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")

    def _report(self, results, *, memory):
        w = self.stdout.write
        memory_columns = " preview peak (tracemalloc) | per row | RSS growth |" if memory else ""
        w("\n| rows | format | file | read | preview | confirm |" + memory_columns)
        w("|---:|---|---:|---:|---:|---:|" + ("---:|---:|---:|" if memory else ""))
        for r in results:
            line = (f"| {r['rows']:,} | {r['kind']} | {r['bytes'] / MB:.1f} MB | {r['read']:.1f} s | "
                    f"{r['preview']:.1f} s | {r['confirm']:.1f} s |").replace(",", " ")
            if memory:
                line += (f" {r['peak'] / MB:.0f} MB | {r['peak'] / r['rows'] / 1024:.1f} kB | "
                         f"{(r['rss'] or 0) / MB:.0f} MB |")
            w(line)
