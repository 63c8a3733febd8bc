"""The page benchmark command runs end to end on a tiny organisation, and its hand-written SQL
fetches rows on this database (SQLite or PostgreSQL alike)."""

import pytest
from django.core.management import CommandError, call_command

from fixtures import large_org
from reporting import page_benchmark as pb

SIZE = large_org.OrgSize(units=2, years=1, teams_per_unit=1, indicators_per_scorecard=3, goals_per_scorecard=2,
                         activities_per_team=2, updates_per_activity=1, political_goals=2)


def test_raw_sql_of_each_page_returns_the_rows(db):
    org = large_org.generate_org(SIZE, prefix="R2")
    for raw in (pb.raw_board_report(org, org.latest_round), pb.raw_scorecard(org.scorecard, org.latest_round),
                pb.raw_team(org.team)):
        rows, timing = pb.measure_raw(raw, repeat=2, warmup=0)
        assert rows > 0 and timing.median >= 0


def test_benchmark_command_prints_pages_and_flat_query_counts(db, capsys):
    call_command("benchmark_pages", "--sizes", "2", "--repeat", "2", "--warmup", "1", "--no-workbook")
    out = capsys.readouterr().out
    assert "| Goal report (board) | S2 | 200 |" in out
    assert "| Team page (team member) | S2 | 200 |" in out
    # The generator adopts last year's report (two years by default), so its pages are measured too.
    for page in ("Indicator chart (board)", "Goal report, adopted (board)", "Goal drill-down, adopted (board)",
                 "Indicator chart, adopted (board)"):
        assert f"| {page} | S2 | 200 |" in out
    assert "Query counts are flat across sizes." in out


def test_benchmark_command_refuses_bad_sizes(db):
    with pytest.raises(CommandError):
        call_command("benchmark_pages", "--sizes", "abc")
    with pytest.raises(CommandError):
        call_command("benchmark_pages", "--sizes", "5", "--no-generate")


def test_percentile_is_nearest_rank():
    timing = pb.Timing.of([float(i) for i in range(1, 21)])
    assert timing.p95 == 19.0 and timing.median == 10.5
