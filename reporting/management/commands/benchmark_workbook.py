"""``manage.py benchmark_workbook --units 20,200,1000 --repeat 3``: how long the board workbook
(``reporting.workbook.write_workbook``) takes, and how much memory it needs, for an organisation
of each size, against openpyxl writing the same cells on its own. A benchmark, not a test: it
prints figures and judges nothing. The figures and the command that made them are recorded in
docs/benchmarks.md.

For each size a synthetic snapshot of the annual round is made (``reporting.benchmarking``; no
database), the workbook is written once to warm up and read back, and then, ``--repeat`` times
and interleaved so that other processes on the machine weigh on all of them alike:

- ``write_workbook``: the whole pack, charts included, from the snapshot to an .xlsx file;
- the **baseline**: openpyxl's write-only mode writing exactly the same cell values (read back
  from the workbook beforehand), with no styles and nothing else;
- optionally a **styled baseline**: the same values with the same cell styles, set the way
  openpyxl documents (still no widths, heights, merges, filters, panes or pictures);
- the **charts** alone (each political goal's status trend and PNG), a fixed cost per goal.

Times are medians, wall clock and CPU. Memory is measured in separate runs (tracemalloc slows
Python down): the tracemalloc peak of what one call allocates, and the growth of the resident
set during the call. The inputs (snapshot, rows to write) are made before and frozen out of
the garbage collector's way, the same for every writer.
"""

import argparse
import datetime
import gc
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import django
import matplotlib
import openpyxl
from django.core.management.base import BaseCommand, CommandError

from reporting import benchmarking as bench
from reporting.workbook import write_workbook

MB = 1024 * 1024


def _sizes(text):
    try:
        sizes = [int(part) for part in str(text).replace(" ", "").split(",") if part]
    except ValueError:
        raise CommandError(f"--units takes whole numbers separated by commas, e.g. 20,200,1000; "
                           f"not {text!r}.") from None
    if not sizes or any(size < 1 for size in sizes):
        raise CommandError("--units needs at least one number of units, each at least 1.")
    return sizes


def _seconds(value):
    return "–" if value is None else f"{value:.2f} s"


def _megabytes(value):
    return "n/a" if value is None else f"{value / MB:.1f} MB"


def _number_mb(value):
    return "n/a" if value is None else f"{value / MB:.1f}"


def _ratio(part, whole):
    return "–" if not part or not whole else f"{part / whole:.2f}"


class Command(BaseCommand):
    help = ("Mäter hur lång tid och hur mycket minne nämndens arbetsbok tar för en stor organisation, "
            "jämfört med openpyxl:s write-only-läge som skriver samma celler (docs/benchmarks.md).")

    def add_arguments(self, parser):
        parser.add_argument("--units", default="500",
                            help="Antal enheter, en eller flera storlekar med komma emellan (standard 500).")
        parser.add_argument("--indicators", type=int, default=12, help="Mätetal per enhet (standard 12).")
        parser.add_argument("--months", type=int, default=12, help="Månader med värden, 1–12 (standard 12).")
        parser.add_argument("--follow-ups", type=int, default=6, help="Uppföljningar per enhet (standard 6).")
        parser.add_argument("--activities", type=int, default=5, help="Aktiviteter per enhet (standard 5).")
        parser.add_argument("--goals", type=int, default=6, help="Politiska mål (standard 6).")
        parser.add_argument("--repeat", type=int, default=3, help="Mätningar per storlek; medianen visas (standard 3).")
        parser.add_argument("--seed", type=int, default=2026, help="Frö för de påhittade uppgifterna.")
        parser.add_argument("--styled-baseline", action=argparse.BooleanOptionalAction, default=True,
                            help="Mät också openpyxl med samma cellformat (standard: ja).")
        parser.add_argument("--memory", action=argparse.BooleanOptionalAction, default=True,
                            help="Mät minnet i egna körningar (standard: ja).")

    def handle(self, *args, units, indicators, months, follow_ups, activities, goals, repeat, seed,
               styled_baseline, memory, **options):
        self.verbosity = options.get("verbosity", 1)
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        try:
            sizes = [bench.BenchmarkSize(units=count, indicators_per_unit=indicators, months=months,
                                         follow_ups_per_unit=follow_ups, activities_per_unit=activities, goals=goals)
                     for count in _sizes(units)]
        except ValueError as error:
            raise CommandError(str(error)) from error

        started = time.perf_counter()
        self._machine(repeat)
        with tempfile.TemporaryDirectory(prefix="tillit-benchmark-") as folder:
            folder = Path(folder)
            # Imports, matplotlib's font cache and the like are paid once, before anything is measured.
            write_workbook(bench.synthetic_snapshot(bench.BenchmarkSize(units=1, goals=1), seed=seed),
                           folder / "warm-up.xlsx")
            summary = [self._measure(size, seed=seed, repeat=repeat, folder=folder, styled=styled_baseline,
                                     memory=memory) for size in sizes]
        self._summary(summary, memory=memory)
        self.stdout.write(f"\nThe whole benchmark took {time.perf_counter() - started:.0f} s.")

    # --- output ---------------------------------------------------------------------------------------

    def _machine(self, repeat):
        cpus, load = bench.cpus_and_load()
        self.stdout.write(f"Tillit workbook benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}")
        self.stdout.write(f"Machine: {cpus} CPUs available ({os.cpu_count()} in all), {platform.machine()}, "
                          f"{platform.system()} {platform.release()}; load average at start {load} "
                          "(other processes may be running)")
        self.stdout.write(f"Python {platform.python_version()}, openpyxl {openpyxl.__version__} "
                          f"({'with' if openpyxl.LXML else 'without'} lxml), matplotlib {matplotlib.__version__}, "
                          f"Django {django.get_version()}")
        self.stdout.write(f"Times: median of {repeat} run{'s' if repeat != 1 else ''}, wall clock (CPU time of this "
                          "process in brackets). Memory: separate runs; tracemalloc peak of what the call "
                          "allocates, and the growth of the resident set during the call.")

    def _measure(self, size, *, seed, repeat, folder, styled, memory):
        made = time.perf_counter()
        snapshot = bench.synthetic_snapshot(size, seed=seed)
        made = time.perf_counter() - made
        counts = bench.describe(snapshot)
        workbook_file, baseline_file, styled_file = (folder / f"{name}-{size.units}.xlsx"
                                                     for name in ("workbook", "baseline", "styled"))

        write_workbook(snapshot, workbook_file)  # warm-up, and the cells the baselines write
        sheets = bench.read_cells(workbook_file)
        styled_sheets, styles = bench.read_cells(workbook_file, styles=True) if styled else (None, None)
        cells = bench.count_cells(sheets)

        runs = {
            "workbook": lambda: write_workbook(snapshot, workbook_file),
            "baseline": lambda: bench.write_baseline(sheets, baseline_file),
            "charts": lambda: bench.render_charts(snapshot),
            "trends": lambda: bench.status_trends(snapshot),
        }
        if styled:
            runs["styled"] = lambda: bench.write_styled_baseline(styled_sheets, styles, styled_file)

        gc.collect()
        gc.freeze()  # the inputs stay out of the collector's way, for every writer alike
        try:
            times = {name: [] for name in runs}
            for _ in range(repeat):
                for name, run in runs.items():
                    times[name].append(bench.timed(run))
            peaks, growth = {}, {}
            if memory:
                for name in ("workbook", "baseline", "charts"):
                    peaks[name] = bench.traced_peak(runs[name])
                for name in ("workbook", "baseline"):
                    growth[name] = bench.rss_growth(runs[name])
        finally:
            gc.unfreeze()

        wall = {name: bench.median([t[0] for t in values]) for name, values in times.items()}
        cpu = {name: bench.median([t[1] for t in values]) for name, values in times.items()}
        files = {"workbook": workbook_file.stat().st_size, "baseline": baseline_file.stat().st_size}
        if styled:
            files["styled"] = styled_file.stat().st_size

        out = self.stdout.write
        out("")
        out(f"== {size.units:,} units × {size.indicators_per_unit} indicators × {size.months} months; "
            f"{size.goals} political goals, {size.follow_ups_per_unit} follow-ups and {size.activities_per_unit} "
            "activities a unit ==")
        out(f"   {counts['indicator_rows']:,} indicator rows, {counts['follow_ups']:,} follow-ups, "
            f"{counts['activities']:,} activities, {counts['balance_rows']:,} balance rows; {cells:,} cells with a "
            f"value in {len(sheets)} sheets (snapshot made in {made:.1f} s, not measured)")
        header = (f"   {'':34}{'cells':>10}{'median time':>14}{'(CPU)':>11}{'tracemalloc':>14}{'RSS growth':>13}"
                  f"{'file':>10}")
        out(header)
        out("   " + "-" * (len(header) - 3))

        def line(label, name, cell_count):
            out(f"   {label:34}{cell_count:>10}{_seconds(wall[name]):>14}{'(' + _seconds(cpu[name]) + ')':>11}"
                f"{_megabytes(peaks.get(name)) if memory and name in peaks else '':>14}"
                f"{_megabytes(growth.get(name)) if memory and name in growth else '':>13}"
                f"{(_megabytes(files[name]) if name in files else ''):>10}")

        line("write_workbook (whole pack)", "workbook", f"{cells:,}")
        line(f"  of which charts ({counts['goals']} goals)", "charts", "")
        line("    of which their status trends", "trends", "")
        line("baseline: openpyxl, values only", "baseline", f"{cells:,}")
        if styled:
            line("baseline: openpyxl, same styles", "styled", f"{cells:,}")
        out(f"   ratio write_workbook / values-only baseline: {_ratio(wall['workbook'], wall['baseline'])} "
            f"(CPU {_ratio(cpu['workbook'], cpu['baseline'])}); without the charts "
            f"{_ratio(wall['workbook'] - wall['charts'], wall['baseline'])} "
            f"(CPU {_ratio(cpu['workbook'] - cpu['charts'], cpu['baseline'])})")
        if styled:
            out(f"   ratio write_workbook / styled baseline: {_ratio(wall['workbook'], wall['styled'])} "
                f"(CPU {_ratio(cpu['workbook'], cpu['styled'])})")
        if self.verbosity > 1:
            for name, values in times.items():
                out(f"   runs {name}: " + ", ".join(f"{w:.2f}" for w, _ in values))
        return {"size": size, "counts": counts, "cells": cells, "wall": wall, "cpu": cpu, "peaks": peaks,
                "growth": growth}

    def _summary(self, results, *, memory):
        out = self.stdout.write
        out("")
        out("== Summary (median wall-clock seconds; memory in MB) ==")
        header = (f"   {'units':>6}{'indicator rows':>16}{'cells':>11}{'workbook':>10}{'charts':>8}{'baseline':>10}"
                  f"{'ratio':>7}{'CPU ratio':>11}{'styled':>8}")
        if memory:
            header += f"{'peak wb':>9}{'peak base':>11}{'RSS wb':>8}{'RSS base':>10}"
        out(header)
        out("   " + "-" * (len(header) - 3))
        for result in results:
            wall, peaks, growth = result["wall"], result["peaks"], result["growth"]
            styled = f"{wall['styled']:.2f}" if "styled" in wall else "–"
            text = (f"   {result['size'].units:>6,}{result['counts']['indicator_rows']:>16,}{result['cells']:>11,}"
                    f"{wall['workbook']:>10.2f}{wall['charts']:>8.2f}{wall['baseline']:>10.2f}"
                    f"{_ratio(wall['workbook'], wall['baseline']):>7}"
                    f"{_ratio(result['cpu']['workbook'], result['cpu']['baseline']):>11}"
                    f"{styled:>8}")
            if memory:
                text += "".join(f"{_number_mb(value):>{width}}" for value, width in (
                    (peaks.get("workbook"), 9), (peaks.get("baseline"), 11), (growth.get("workbook"), 8),
                    (growth.get("baseline"), 10)))
            out(text)
        out("   ratio = workbook / values-only baseline (wall clock; CPU ratio: the same in CPU time of this process, "
            "steadier on a busy machine); styled = openpyxl with the same cell styles; charts are part of workbook.")
        out(f"   Python {sys.version.split()[0]}, openpyxl {openpyxl.__version__}.")
