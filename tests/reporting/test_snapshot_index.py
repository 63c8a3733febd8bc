"""An adopted report's pages read the parts of its snapshot they show (reporting.snapshot_index):
the index is derived from the snapshot, the parts read through it equal those of the whole
snapshot, the pages are the same with or without an index, and the whole snapshot is not loaded
for the report, a drill-down or a chart."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from reporting.evidence import latest_board_report
from reporting.models import BoardReport
from reporting.snapshot_index import (
    GOAL_ROWS,
    frozen_goal,
    frozen_indicator_row,
    frozen_overview,
    goal_overview,
    index_snapshot,
)
from tests.reporting.test_board_views import adopt, chart_url, goal_url, report_url
from tests.reporting.test_adoption import adopted_report, ready_report  # noqa: F401  (fixtures)
from tests.reporting.test_evidence import grow, report_world  # noqa: F401  (fixture)


def stored(world):
    return BoardReport.objects.get(pk=world.report.pk)


@pytest.fixture
def adopted(report_world, controller):
    grow(report_world, 2)
    adopt(report_world, controller)
    return report_world


# --- the index ----------------------------------------------------------------------------------------

def test_the_index_holds_each_goal_without_its_rows_and_where_each_part_sits(adopted):
    snapshot = stored(adopted).snapshot
    index = index_snapshot(snapshot)
    assert index["report"] == snapshot["report"]
    assert [g["id"] for g in index["goals"]] == [g["id"] for g in snapshot["goals"]]
    for overview, goal in zip(index["goals"], snapshot["goals"]):
        assert not set(GOAL_ROWS) & set(overview)
        assert {k: v for k, v in overview.items() if k != "unit_names"} == {
            k: v for k, v in goal.items() if k not in GOAL_ROWS}
    for goal_id, position in index["goal_positions"].items():
        assert snapshot["goals"][position]["id"] == int(goal_id)
    link_ids = {row["link_id"] for goal in snapshot["goals"] for row in goal["indicators"]}
    assert set(index["links"]) == {f"l{pk}" for pk in link_ids}
    for key, (goal_position, row_position) in index["links"].items():
        assert f"l{snapshot['goals'][goal_position]['indicators'][row_position]['link_id']}" == key


def test_a_goals_overview_names_exactly_the_units_its_divergences_name(adopted):
    goal = next(g for g in stored(adopted).snapshot["goals"] if g["id"] == adopted.goal_support.pk)
    overview = goal_overview(goal)
    family = adopted.org.family
    assert [d["unit_id"] for d in goal["evidence"]["divergences"]] == [family.pk]
    assert overview["unit_names"] == {str(family.pk): "Familjebehandling"}


def test_a_row_serving_two_goals_is_found_at_its_first_place():
    row = {"link_id": 7, "unit": {"id": 1, "name": "A"}}
    snapshot = {"report": None, "goals": [{"id": 1, "indicators": [{"link_id": 3, "unit": {"id": 1, "name": "A"}}, row]},
                                          {"id": 2, "indicators": [row]}]}
    assert index_snapshot(snapshot)["links"] == {"l3": [0, 0], "l7": [0, 1]}


# --- reading through the index equals reading the whole snapshot -----------------------------------------

@pytest.mark.parametrize("indexed", [True, False])
def test_the_parts_read_equal_the_parts_of_the_whole_snapshot(adopted, controller, indexed):
    if not indexed:
        adopt(adopted, controller, indexed=False)
    whole = stored(adopted).snapshot
    report = latest_board_report(adopted.round)
    assert {"snapshot", "snapshot_index"} <= report.get_deferred_fields()
    goals, report_part = frozen_overview(report)
    assert goals == [goal_overview(g) for g in whole["goals"]] and report_part == whole["report"]
    for goal in whole["goals"]:
        assert frozen_goal(report, goal["id"]) == goal
        for row in goal["indicators"]:
            found = frozen_indicator_row(report, row["link_id"])
            assert found["link_id"] == row["link_id"] and found == row
    assert frozen_goal(report, 999_999) is None
    assert frozen_indicator_row(report, 999_999) is None


def test_a_report_with_its_snapshot_loaded_reads_from_it(adopted):
    report = BoardReport.objects.get(pk=adopted.report.pk)  # nothing deferred
    goal = report.snapshot["goals"][0]
    assert frozen_goal(report, goal["id"]) == goal
    assert frozen_indicator_row(report, goal["indicators"][0]["link_id"]) == goal["indicators"][0]


def without_csrf_token(html):
    """The page without its CSRF tokens, which are masked afresh for every response."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)


def test_the_pages_are_the_same_with_and_without_the_index(client, adopted, board_member, controller):
    client.force_login(board_member)
    link = adopted.family.mandated_link
    urls = [report_url(adopted), goal_url(adopted), goal_url(adopted, adopted.goal_children),
            goal_url(adopted) + f"?unit={adopted.org.family.pk}", chart_url(link, adopted.round),
            chart_url(link, adopted.round, fmt="png"),
            reverse("reporting:board-report-compile", args=[adopted.round.pk])]
    client.force_login(controller)
    with_index = [client.get(url) for url in urls]
    adopt(adopted, controller, indexed=False)
    without_index = [client.get(url) for url in urls]
    for url, a, b in zip(urls, with_index, without_index):
        assert a.status_code == b.status_code == 200, url
        if url.endswith(".png"):
            continue  # PNG bytes carry no text to compare; the SVG of the same chart is compared
        assert without_csrf_token(a.content) == without_csrf_token(b.content), url


# --- the whole snapshot is not loaded ---------------------------------------------------------------------

@pytest.fixture
def decoded_snapshots(monkeypatch):
    """The JSON values read from the snapshot column (whole or in part), as decoded."""
    field = BoardReport._meta.get_field("snapshot")
    seen = []
    original = field.from_db_value

    def recording(value, expression, connection):
        decoded = original(value, expression, connection)
        seen.append(decoded)
        return decoded

    monkeypatch.setattr(field, "from_db_value", recording)
    return seen


def test_the_report_drill_down_and_chart_do_not_load_the_whole_snapshot(client, adopted, board_member,
                                                                          decoded_snapshots):
    client.force_login(board_member)
    urls = [report_url(adopted), goal_url(adopted), chart_url(adopted.family.mandated_link, adopted.round)]
    for url in urls:
        assert client.get(url).status_code == 200
    wholes = [v for v in decoded_snapshots if isinstance(v, dict) and "balance" in v]
    assert wholes == []
    # ... but a part was read for the drill-down (its goal) and the chart (its row).
    assert any(isinstance(v, dict) and v.get("id") == adopted.goal_support.pk and "indicators" in v
               for v in decoded_snapshots)
    assert any(isinstance(v, dict) and v.get("link_id") == adopted.family.mandated_link.pk for v in decoded_snapshots)


# --- stored reports get their index ------------------------------------------------------------------------

def test_adoption_stores_the_index_of_its_snapshot(adopted_report):
    report = BoardReport.objects.get(pk=adopted_report.pk)
    assert report.snapshot_index is not None and report.snapshot["goals"]
    assert report.snapshot_index == index_snapshot(report.snapshot)


def test_the_migration_indexes_reports_adopted_before_the_index(adopted, controller):
    adopt(adopted, controller, indexed=False)
    assert stored(adopted).snapshot_index is None
    migration = importlib.import_module("reporting.migrations.0003_snapshot_index")
    migration.index_stored_snapshots(apps, None)
    report = stored(adopted)
    assert report.snapshot_index == index_snapshot(report.snapshot)
