"""The workbook benchmark's parts (reporting.benchmarking) and its command, at small sizes.

These are behaviour tests: the generator makes a snapshot of the real shape that the workbook
renders, the baselines write the workbook's cells, the command prints its tables. Nothing here
asserts a time.
"""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from reporting import benchmarking as bench
from reporting import workbook
from tests.reporting.test_workbook import world_snapshot, workbook_world  # noqa: F401

SMALL = bench.BenchmarkSize(units=3, indicators_per_unit=5, months=7, follow_ups_per_unit=3, activities_per_unit=2,
                            goals=3, years=2)


def write(snapshot):
    buffer = io.BytesIO()
    workbook.write_workbook(snapshot, buffer)
    buffer.seek(0)
    return buffer


def paths(value, prefix=""):
    """Every key path in a JSON-like value, lists collapsed: {"goals[].indicators[].unit.name", ...}."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found.add(path)
            found |= paths(item, path)
    elif isinstance(value, list):
        for item in value:
            found |= paths(item, f"{prefix}[]")
    return found


@pytest.fixture(scope="module")
def small_snapshot():
    return bench.synthetic_snapshot(SMALL)


# --- the generator -----------------------------------------------------------------------------------

def test_the_snapshot_has_the_shape_of_a_real_one(workbook_world, controller):  # noqa: F811
    real = paths(world_snapshot(workbook_world, controller))
    synthetic = bench.synthetic_snapshot(bench.BenchmarkSize(units=3))
    # Units whose words are more hopeful than their numbers: the divergences are there too.
    assert any(goal["evidence"]["divergences"] for goal in synthetic["goals"])
    assert paths(synthetic) == real


def test_the_workbook_renders_the_synthetic_snapshot(small_snapshot):
    book = openpyxl.load_workbook(write(small_snapshot))
    goal_names = workbook.goal_sheet_names(small_snapshot["goals"])
    assert book.sheetnames == [workbook.OVERVIEW, *goal_names, workbook.METRICS, workbook.FOLLOW_UPS,
                               workbook.ACTIVITIES, workbook.BALANCE]
    counts = bench.describe(small_snapshot)
    metrics = [row for row in book[workbook.METRICS].iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(metrics) == counts["indicator_rows"] == SMALL.units * SMALL.indicators_per_unit
    follow_ups = [row for row in book[workbook.FOLLOW_UPS].iter_rows(min_row=2, values_only=True) if row[1]]
    assert len(follow_ups) == counts["follow_ups"] == SMALL.units * SMALL.follow_ups_per_unit
    activities = [row for row in book[workbook.ACTIVITIES].iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(activities) == counts["activities"] == SMALL.units * SMALL.activities_per_unit
    assert counts["balance_rows"] == SMALL.units + 1
    # Every goal sheet has its chart.
    assert all(len(book[name]._images) == 1 for name in goal_names)


def test_the_snapshot_is_consistent_with_itself(small_snapshot):
    balance = small_snapshot["balance"]
    assert [row["is_total"] for row in balance] == [False] * SMALL.units + [True]
    assert balance[-1]["mandated_indicators"] == sum(row["mandated_indicators"] for row in balance[:-1])
    assert all(len(row["trend"]) == SMALL.years for row in balance)
    for goal in small_snapshot["goals"]:
        evidence = goal["evidence"]
        mandated = sum(1 for row in goal["indicators"] if row["mandated"])
        assert sum(evidence["mandated"].values()) == mandated
        assert sum(evidence["own"].values()) == len(goal["indicators"]) - mandated
        assert sum(evidence["self_assessments"].values()) == len(goal["follow_ups"])
        for row in goal["indicators"]:
            # Values only for the months asked for; the judged value is the last period's.
            months = [p for p in row["series"] if len(p["code"]) == 7 and "T" not in p["code"]]
            assert all(p["value"] is None for p in months if int(p["code"][5:]) > SMALL.months)
            assert row["value"] == row["series"][-1]["value"]


def test_the_same_size_and_seed_give_the_same_snapshot():
    assert bench.synthetic_snapshot(SMALL, seed=7) == bench.synthetic_snapshot(SMALL, seed=7)
    assert bench.synthetic_snapshot(SMALL, seed=7) != bench.synthetic_snapshot(SMALL, seed=8)


def test_texts_are_about_as_long_as_the_units_write_them(small_snapshot):
    follow_ups = [f for goal in small_snapshot["goals"] for f in goal["follow_ups"]]
    assert all(150 <= len(f["what_we_did"]) <= 700 for f in follow_ups)
    assert all(len(f["next_step"]) <= 250 for f in follow_ups)
    assert any("å" in f["what_we_did"] or "ä" in f["what_we_did"] or "ö" in f["what_we_did"] for f in follow_ups)


def test_sizes_are_checked():
    with pytest.raises(ValueError):
        bench.BenchmarkSize(units=0)
    with pytest.raises(ValueError):
        bench.BenchmarkSize(months=13)


# --- the baselines -----------------------------------------------------------------------------------

def test_the_baseline_writes_the_workbooks_cells(small_snapshot, tmp_path):
    source = tmp_path / "workbook.xlsx"
    workbook.write_workbook(small_snapshot, source)
    sheets = bench.read_cells(source)
    baseline = bench.write_baseline(sheets, tmp_path / "baseline.xlsx")

    ours, theirs = openpyxl.load_workbook(source), openpyxl.load_workbook(baseline)
    assert ours.sheetnames == theirs.sheetnames

    def data_cells(book):
        return sum(1 for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)

    assert data_cells(theirs) == data_cells(ours) == bench.count_cells(sheets) > 1000
    assert bench.read_cells(baseline) == sheets
    # Values only: no fills, no fonts, no widths.
    metrics = theirs[workbook.METRICS]
    assert all(cell.fill.fill_type is None for row in metrics.iter_rows() for cell in row)
    assert "A" not in metrics.column_dimensions and "A" in ours[workbook.METRICS].column_dimensions


def test_the_styled_baseline_writes_the_same_cells_with_the_same_styles(small_snapshot, tmp_path):
    source = tmp_path / "workbook.xlsx"
    workbook.write_workbook(small_snapshot, source)
    sheets, styles = bench.read_cells(source, styles=True)
    styled = bench.write_styled_baseline(sheets, styles, tmp_path / "styled.xlsx")

    again, again_styles = bench.read_cells(styled, styles=True)
    assert bench.count_cells(again) == bench.count_cells(sheets)

    def resolved(cells, style_list):
        return [[None if item is None else (item[0], style_list[item[1]]) for item in row]
                for _, rows in cells for row in rows]

    assert resolved(again, again_styles) == resolved(sheets, styles)
    assert any(style.get("fill") is not None for style in styles)  # the status fills came through


def test_the_charts_are_drawn_once_per_goal_with_indicators(small_snapshot):
    assert bench.render_charts(small_snapshot) == SMALL.goals
    no_indicators = {**small_snapshot, "goals": [{**g, "indicators": []} for g in small_snapshot["goals"]]}
    assert bench.render_charts(no_indicators) == 0


def test_the_status_trends_count_every_indicator_of_a_goal(small_snapshot):
    trends = bench.status_trends(small_snapshot)
    assert len(trends) == SMALL.goals
    for goal, trend in zip(small_snapshot["goals"], trends):
        assert [month for month, _ in trend] == list(range(1, 13))
        december = trend[-1][1]
        assert sum(december.values()) == len(goal["indicators"])  # the year is over: every one has a status


def test_the_memory_helpers_measure_what_a_call_allocates():
    assert bench.traced_peak(lambda: bytearray(2_000_000)) >= 2_000_000
    growth = bench.rss_growth(lambda: bytearray(2_000_000))
    assert growth is None or growth >= 0
    assert bench.median([3, 1, 2]) == 2


# --- the command -------------------------------------------------------------------------------------

def test_the_command_prints_a_table_for_each_size_and_a_summary():
    stdout = io.StringIO()
    call_command("benchmark_workbook", "--units", "3", "--repeat", "1", stdout=stdout)
    output = stdout.getvalue()

    expected = bench.synthetic_snapshot(bench.BenchmarkSize(units=3))  # the command's defaults
    cells = bench.count_cells(bench.read_cells(write(expected)))
    assert "Machine:" in output and f"openpyxl {openpyxl.__version__}" in output
    assert "== 3 units × 12 indicators × 12 months" in output
    lines = output.splitlines()
    for label in ("write_workbook (whole pack)", "baseline: openpyxl, values only", "baseline: openpyxl, same styles"):
        line = next(line for line in lines if line.strip().startswith(label))
        assert f"{cells:,}" in line and " MB" in line
    assert any(line.strip().startswith("of which charts (6 goals)") for line in lines)
    assert any(line.strip().startswith("of which their status trends") for line in lines)
    assert "ratio write_workbook / values-only baseline:" in output
    assert "== Summary" in output
    summary = lines[lines.index(next(line for line in lines if line.startswith("== Summary"))) + 3]
    assert summary.split()[:3] == ["3", "36", f"{cells:,}"]


def test_the_styled_baseline_and_the_memory_runs_can_be_left_out():
    stdout = io.StringIO()
    call_command("benchmark_workbook", "--units", "2", "--goals", "1", "--repeat", "1", "--no-styled-baseline",
                 "--no-memory", stdout=stdout)
    output = stdout.getvalue()
    assert "baseline: openpyxl, values only" in output
    assert "same styles" not in output and "styled baseline" not in output
    workbook_line = next(line for line in output.splitlines() if "write_workbook (whole pack)" in line)
    assert workbook_line.count(" MB") == 1  # the file's size only
    assert "peak wb" not in output


def test_the_command_refuses_sizes_it_cannot_make():
    for units in ("0", "tio", ""):
        with pytest.raises(CommandError):
            call_command("benchmark_workbook", "--units", units, "--repeat", "1", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("benchmark_workbook", "--units", "2", "--repeat", "0", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("benchmark_workbook", "--units", "2", "--months", "13", stdout=io.StringIO())
