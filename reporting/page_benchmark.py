"""What ``manage.py benchmark_pages`` measures (docs/benchmarks.md, "Pages at scale").

For an organisation made by ``fixtures.large_org`` the main pages are requested in-process with
Django's test ``Client``, logged in as the user of the role that uses each page, and timed:
median and 95th percentile of ``repeat`` requests after a warm-up, and the number of SQL queries
of one request (``CaptureQueriesContext``). Beside each page, hand-written SQL that fetches the
same rows the page shows (through ``connection.cursor()``) is timed the same way: the ratio page
/ raw SQL says what the ORM, the rules, the rendering and the template cost on top of the data.

The workbook row uses the workbook benchmark's own instruments (``reporting.benchmarking``):
the snapshot of the generated board's latest round (read from the database, as the download
does), the workbook written from it, and openpyxl's write-only mode writing the same cells.
"""

from __future__ import annotations

import math
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from governance.models import Period
from reporting import benchmarking
from scorecards.evaluation import judged_period
from scorecards.models import ScorecardIndicator

# The API lists the benchmark asks for when the API exists: (label, URL name, role).
API_LISTS = (
    ("API: org units", "api:org-unit-list", "controller"),
    ("API: scorecards", "api:scorecard-list", "controller"),
    ("API: indicators", "api:indicator-list", "controller"),
    ("API: measurements", "api:measurement-list", "controller"),
    ("API: activities", "api:activity-list", "controller"),
    ("API: follow-ups", "api:follow-up-list", "controller"),
)


@dataclass
class Timing:
    median: float
    p95: float

    @classmethod
    def of(cls, seconds):
        ordered = sorted(seconds)
        # Nearest-rank 95th percentile: with 20 runs the 19th value.
        rank = max(1, math.ceil(0.95 * len(ordered)))
        return cls(median=statistics.median(ordered), p95=ordered[rank - 1])


@dataclass
class PageResult:
    name: str
    url: str
    status: int
    queries: int
    page: Timing
    raw: Timing | None
    raw_rows: int | None
    bytes: int

    @property
    def ratio(self):
        return None if self.raw is None or not self.raw.median else self.page.median / self.raw.median


@dataclass
class WorkbookResult:
    snapshot_seconds: float
    workbook_seconds: float
    baseline_seconds: float
    workbook_peak: int
    baseline_peak: int
    cells: int


@dataclass
class SizeResult:
    prefix: str
    counts: dict
    pages: list = field(default_factory=list)
    workbook: WorkbookResult | None = None
    missing_api: list = field(default_factory=list)


@dataclass
class Case:
    name: str
    url: str
    role: str
    raw: object = None  # callable(cursor) -> number of rows, or None


def _time(function, repeat):
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return seconds


def measure_page(client, url, *, repeat=20, warmup=2):
    """Status, query count, size and timing of GET ``url`` with ``client``."""
    for _ in range(warmup):
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content

    def get():
        r = client.get(url)
        if r.streaming:
            b"".join(r.streaming_content)

    return response.status_code, len(captured.captured_queries), len(body), Timing.of(_time(get, repeat))


def measure_raw(raw, *, repeat=20, warmup=2):
    rows = 0

    def run():
        nonlocal rows
        with connection.cursor() as cursor:
            rows = raw(cursor)

    for _ in range(warmup):
        run()
    timing = Timing.of(_time(run, repeat))
    return rows, timing


# --- the raw SQL behind each page -----------------------------------------------------------------

def _fetch(cursor, sql, params):
    cursor.execute(sql, params)
    return len(cursor.fetchall())


def raw_board_report(org, reporting_round):
    """The rows behind the goal report: every indicator of every unit goal tied to a political
    goal of the board, with its target; the values of the periods they are judged on (an
    indicator has values only in periods of its own frequency, so the three judged periods
    select the one that applies); the
    follow-ups of the round with their self-assessment; the controller's assessments."""
    periods = list(Period.objects.filter(year=reporting_round.period.year_id))
    judged = {kind: judged_period(periods, kind=kind, within=reporting_round.period) for kind in
              ("month", "tertial", "year")}
    month, tertial, year = (getattr(judged[k], "pk", 0) for k in ("month", "tertial", "year"))

    def run(cursor):
        rows = _fetch(cursor, """
            SELECT l.politicalgoal_id, u.id, u.name, u.path, si.id, i.id, i.name, i.mandate, i.direction,
                   i.frequency, i.decimals, t.target_value, t.target_max, t.yellow_threshold, t.tolerance_percent
            FROM scorecards_scorecardgoal_political_goals l
            JOIN governance_politicalgoal pg ON pg.id = l.politicalgoal_id
            JOIN scorecards_scorecardgoal g ON g.id = l.scorecardgoal_id
            JOIN scorecards_scorecard s ON s.id = g.scorecard_id
            JOIN governance_orgunit u ON u.id = s.unit_id
            JOIN scorecards_scorecardindicator si ON si.goal_id = g.id
            JOIN scorecards_indicator i ON i.id = si.indicator_id
            LEFT JOIN scorecards_target t ON t.indicator_id = i.id AND t.year_id = s.year_id AND t.unit_id IS NULL
            WHERE pg.board_id = %s AND s.year_id = %s AND u.path LIKE %s
            ORDER BY u.path, si."order", si.id""",
            [org.board.pk, reporting_round.period.year_id, org.board.path + "%"])
        # The judged values in a query of their own, through the (unit, period) index: joined into
        # the query above, PostgreSQL misjudged how many values a mandated indicator has (one
        # per unit and month) and chose a plan a hundred times slower.
        rows += _fetch(cursor, """
            SELECT m.indicator_id, m.unit_id, m.period_id, m.value FROM scorecards_measurement m
            WHERE m.period_id IN (%s, %s, %s) AND m.unit_id IN (
                SELECT s.unit_id FROM scorecards_scorecard s JOIN governance_orgunit u ON u.id = s.unit_id
                WHERE s.year_id = %s AND u.path LIKE %s)""",
            [month, tertial, year, reporting_round.period.year_id, org.board.path + "%"])
        rows += _fetch(cursor, """
            SELECT f.id, f.org_unit_id, l.politicalgoal_id, f.self_assessment, f.state, f.what_we_did
            FROM reporting_followup f
            JOIN scorecards_scorecardgoal_political_goals l ON l.scorecardgoal_id = f.scorecard_goal_id
            WHERE f.round_id = %s""", [reporting_round.pk])
        rows += _fetch(cursor, """
            SELECT a.political_goal_id, a.assessment, a.text FROM reporting_goalassessment a
            JOIN reporting_boardreport r ON r.id = a.report_id WHERE r.round_id = %s""", [reporting_round.pk])
        return rows

    return run


def raw_scorecard(scorecard, reporting_round):
    def run(cursor):
        rows = _fetch(cursor, """
            SELECT g.id, g.title, p.name, l.politicalgoal_id
            FROM scorecards_scorecardgoal g
            JOIN scorecards_perspective p ON p.id = g.perspective_id
            LEFT JOIN scorecards_scorecardgoal_political_goals l ON l.scorecardgoal_id = g.id
            WHERE g.scorecard_id = %s ORDER BY p."order", g."order", g.id""", [scorecard.pk])
        rows += _fetch(cursor, """
            SELECT si.id, si.goal_id, i.name, i.mandate, i.direction, t.target_value, m.period_id, m.value
            FROM scorecards_scorecardindicator si
            JOIN scorecards_indicator i ON i.id = si.indicator_id
            LEFT JOIN scorecards_target t ON t.indicator_id = i.id AND t.year_id = %s AND t.unit_id IS NULL
            LEFT JOIN scorecards_measurement m ON m.indicator_id = i.id AND m.unit_id = %s
                 AND m.period_id IN (SELECT id FROM governance_period WHERE year_id = %s)
            WHERE si.scorecard_id = %s ORDER BY si."order", si.id""",
            [scorecard.year_id, scorecard.unit_id, scorecard.year_id, scorecard.pk])
        rows += _fetch(cursor, """
            SELECT a.id, a.title, a.status, t.name, ag.scorecardgoal_id
            FROM scorecards_activity a
            JOIN scorecards_activity_goals ag ON ag.activity_id = a.id
            JOIN scorecards_scorecardgoal g ON g.id = ag.scorecardgoal_id
            JOIN governance_orgunit t ON t.id = a.team_id
            WHERE g.scorecard_id = %s ORDER BY t.name, a.title""", [scorecard.pk])
        rows += _fetch(cursor, """
            SELECT f.id, f.scorecard_goal_id, f.state, f.self_assessment, f.what_we_did
            FROM reporting_followup f JOIN scorecards_scorecardgoal g ON g.id = f.scorecard_goal_id
            WHERE f.round_id = %s AND g.scorecard_id = %s""", [reporting_round.pk, scorecard.pk])
        return rows

    return run


def raw_team(team, per_page=20):
    def run(cursor):
        rows = _fetch(cursor, """
            SELECT a.id, a.title, a.status, a.start_date, a.end_date, MAX(u.date)
            FROM scorecards_activity a LEFT JOIN scorecards_activityupdate u ON u.activity_id = a.id
            WHERE a.team_id = %s
            GROUP BY a.id, a.title, a.status, a.start_date, a.end_date
            ORDER BY a.start_date DESC, a.title LIMIT %s""", [team.pk, per_page])
        rows += _fetch(cursor, """
            SELECT ag.activity_id, g.id, g.title FROM scorecards_activity_goals ag
            JOIN scorecards_scorecardgoal g ON g.id = ag.scorecardgoal_id
            JOIN scorecards_activity a ON a.id = ag.activity_id WHERE a.team_id = %s""", [team.pk])
        return rows

    return run


# --- the cases ------------------------------------------------------------------------------------

def api_cases():
    """The API lists that exist (``reverse`` succeeds), and the URL names that do not."""
    found, missing = [], []
    for label, name, role in API_LISTS:
        try:
            found.append(Case(label, reverse(name), role))
        except NoReverseMatch:
            missing.append(name)
    return found, missing


def page_cases(org):
    reporting_round = org.latest_round
    goal = org.board.political_goals.order_by("order").first()
    cases = [
        Case("Goal report (board)", reverse("reporting:goal-report-round", args=[reporting_round.pk]), "board_member",
             raw_board_report(org, reporting_round)),
        Case("Goal drill-down (board)", reverse("reporting:goal-report-goal", args=[reporting_round.pk, goal.pk]),
             "board_member"),
        Case("Scorecard (unit manager)", reverse("scorecards:scorecard", args=[org.scorecard.pk]), "unit_manager",
             raw_scorecard(org.scorecard, reporting_round)),
        Case("Team page (team member)", reverse("scorecards:team-detail", args=[org.team.pk]), "team_member",
             raw_team(org.team)),
        Case("Rounds (controller)", reverse("reporting:rounds"), "controller"),
        Case("Round progress (controller)", reverse("reporting:round-detail", args=[reporting_round.pk]),
             "controller"),
    ]
    chart = first_chart_url(goal, reporting_round)
    if chart is not None:
        cases.append(Case("Indicator chart (board)", chart, "board_member"))
    # Last year's adopted report, read from its snapshot (reporting.snapshot_index).
    adopted = org.adopted_report
    if adopted is not None:
        adopted_round = adopted.round
        cases += [
            Case("Goal report, adopted (board)", reverse("reporting:goal-report-round", args=[adopted_round.pk]),
                 "board_member"),
            Case("Goal drill-down, adopted (board)",
                 reverse("reporting:goal-report-goal", args=[adopted_round.pk, goal.pk]), "board_member"),
        ]
        chart = first_chart_url(goal, adopted_round)
        if chart is not None:
            cases.append(Case("Indicator chart, adopted (board)", chart, "board_member"))
    return cases


def first_chart_url(political_goal, reporting_round):
    """The chart of the first indicator serving ``political_goal`` in the round's year (the first
    chart of its drill-down), or None."""
    link = ScorecardIndicator.objects.filter(goal__political_goals=political_goal,
                                             scorecard__year=reporting_round.period.year).order_by("pk").first()
    if link is None:
        return None
    return reverse("reporting:indicator-chart", kwargs={"link_pk": link.pk, "round_pk": reporting_round.pk})


def measure_size(org, *, repeat=20, warmup=2, workbook=True, api=True, on_page=None):
    result = SizeResult(prefix=org.prefix, counts=org.counts)
    cases = page_cases(org)
    if api:
        found, result.missing_api = api_cases()
        cases += found
    clients = {}
    for case in cases:
        client = clients.get(case.role)
        if client is None:
            client = clients[case.role] = Client(SERVER_NAME="127.0.0.1", secure=True)
            client.force_login(org.users[case.role])
        status, queries, size, page = measure_page(client, case.url, repeat=repeat, warmup=warmup)
        raw_rows = raw = None
        if case.raw is not None:
            raw_rows, raw = measure_raw(case.raw, repeat=repeat, warmup=warmup)
        result.pages.append(PageResult(name=case.name, url=case.url, status=status, queries=queries, page=page,
                                       raw=raw, raw_rows=raw_rows, bytes=size))
        if on_page is not None:
            on_page(result.pages[-1])
        reset_queries()
    if workbook:
        result.workbook = measure_workbook(org)
    return result


def measure_workbook(org):
    """The full board workbook of the latest round from the database, against openpyxl's
    write-only mode writing the same cells (``reporting.benchmarking``)."""
    from reporting.workbook import export_snapshot, write_workbook

    user = org.users["controller"]
    holder = {}
    snapshot_seconds, _ = benchmarking.timed(
        lambda: holder.setdefault("snapshot", export_snapshot(user=user, reporting_round=org.latest_round)))
    snapshot = holder["snapshot"]
    with tempfile.TemporaryDirectory(prefix="tillit-pages-") as folder:
        book, base = Path(folder) / "workbook.xlsx", Path(folder) / "baseline.xlsx"
        workbook_seconds, _ = benchmarking.timed(lambda: write_workbook(snapshot, book))
        sheets = benchmarking.read_cells(book)
        baseline_seconds, _ = benchmarking.timed(lambda: benchmarking.write_baseline(sheets, base))
        workbook_peak = benchmarking.traced_peak(lambda: write_workbook(snapshot, book))
        baseline_peak = benchmarking.traced_peak(lambda: benchmarking.write_baseline(sheets, base))
        cells = benchmarking.count_cells(sheets)
    return WorkbookResult(snapshot_seconds=snapshot_seconds, workbook_seconds=workbook_seconds,
                          baseline_seconds=baseline_seconds, workbook_peak=workbook_peak, baseline_peak=baseline_peak,
                          cells=cells)
