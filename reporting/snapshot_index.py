"""Reading parts of an adopted report's snapshot without loading all of it.

An adopted report is shown from its snapshot (``reporting.snapshot``), which holds every indicator
row, follow-up and activity of the board: about 24 MB of JSON at a thousand units, 0.4 s to fetch
and parse and some 100 MB in memory. The goal report, the drill-down and every one of the
drill-down's charts used to load it whole on each request. They need only a part: the goals'
evidence (the report), one goal (a drill-down page) or one indicator row (a chart).

So adoption also stores a small **index** of the snapshot (``BoardReport.snapshot_index``,
``index_snapshot``): the goals without their rows (what the report's overview shows, with the
names of the units its divergence lines mention) and the report's own part, and where each goal
and each indicator row sits in the snapshot. The readers below fetch just that part with the
database's JSON operators (``->`` on PostgreSQL, ``json_extract`` on SQLite, through Django's key
transforms), so a chart reads one row of the snapshot instead of all of it.

The snapshot stays the one record of what the board adopted: the index is derived from it, never
edited on its own, and a report without one (stored before the index existed, or written by
hand) is read from the whole snapshot, which gives the same result, only slower.
"""

from reporting.models import BoardReport

INDEX_SCHEMA = 1
# The parts of a snapshot's goal that hold its rows; everything else is the goal's overview.
GOAL_ROWS = ("indicators", "follow_ups", "activities", "units")


def _link_key(link_id):
    # A key that is not a number: Django's key transforms read "123" as a position in a list.
    return f"l{link_id}"


def goal_overview(goal):
    """A snapshot goal without its rows, with the names of the units its divergences name."""
    named = {d.get("unit_id") for d in (goal.get("evidence") or {}).get("divergences", [])} - {None}
    unit_names = {}
    for row in goal.get("indicators", []):
        unit = row["unit"]
        if unit["id"] in named:
            unit_names.setdefault(str(unit["id"]), unit["name"])
    return {**{key: value for key, value in goal.items() if key not in GOAL_ROWS}, "unit_names": unit_names}


def index_snapshot(snapshot):
    """The index stored beside an adopted snapshot: its goals' overviews, the report's own part,
    and the position of each goal and each indicator row (the first, where a row serves two goals)."""
    goals = snapshot.get("goals", [])
    links = {}
    for goal_position, goal in enumerate(goals):
        for row_position, row in enumerate(goal.get("indicators", [])):
            links.setdefault(_link_key(row["link_id"]), [goal_position, row_position])
    return {
        "schema": INDEX_SCHEMA,
        "report": snapshot.get("report"),
        "goals": [goal_overview(goal) for goal in goals],
        "goal_positions": {str(goal["id"]): position for position, goal in enumerate(goals)},
        "links": links,
    }


def _has_snapshot_loaded(report):
    return "snapshot" not in report.get_deferred_fields()


def _value(report, path):
    """One part of the report's JSON, read in the database."""
    return BoardReport.objects.filter(pk=report.pk).values_list(path, flat=True).first()


def _index_part(report, part):
    """A part of the index, or None when the report has no index."""
    if "snapshot_index" not in report.get_deferred_fields():
        return (report.snapshot_index or {}).get(part)
    return _value(report, f"snapshot_index__{part}")


def frozen_overview(report):
    """The adopted report's goals without their rows, in the report's order, and the report's own
    part of the snapshot (summary, decision): (goals, report part)."""
    goals = _index_part(report, "goals")
    if goals is not None and not _has_snapshot_loaded(report):
        return goals, _index_part(report, "report") or {}
    snapshot = report.snapshot or {}
    return [goal_overview(g) for g in snapshot.get("goals", [])], snapshot.get("report") or {}


def frozen_goal(report, goal_pk):
    """One goal of the adopted report, rows included, or None."""
    if not _has_snapshot_loaded(report):
        positions = _index_part(report, "goal_positions")
        if positions is not None:
            position = positions.get(str(goal_pk))
            return None if position is None else _value(report, f"snapshot__goals__{position}")
    return next((g for g in (report.snapshot or {}).get("goals", []) if g.get("id") == goal_pk), None)


# The top level of a snapshot besides its goals (reporting.snapshot.snapshot_from_data).
SNAPSHOT_TOP_LEVEL = ("schema", "generated_at", "board", "round", "report", "balance")


def frozen_content_of_goal(report, goal_pk):
    """The adopted report's snapshot with only one political goal in ``goals`` (none when the
    report has no such goal), everything else as it is: what the API gives for ``?goal=``."""
    if _has_snapshot_loaded(report):
        top = {key: value for key, value in (report.snapshot or {}).items() if key != "goals"}
    else:
        values = (BoardReport.objects.filter(pk=report.pk)
                  .values_list(*(f"snapshot__{key}" for key in SNAPSHOT_TOP_LEVEL)).first())
        top = dict(zip(SNAPSHOT_TOP_LEVEL, values))
    goal = frozen_goal(report, goal_pk)
    return {**top, "goals": [goal] if goal is not None else []}


def frozen_indicator_row(report, link_pk):
    """The adopted report's row of one scorecard indicator (for its chart), or None."""
    if not _has_snapshot_loaded(report):
        position = _value(report, f"snapshot_index__links__{_link_key(link_pk)}")
        if position is not None:
            goal_position, row_position = position
            return _value(report, f"snapshot__goals__{goal_position}__indicators__{row_position}")
        if _index_part(report, "schema") is not None:
            return None  # the report is indexed, and the row is not in it
    return next((row for g in (report.snapshot or {}).get("goals", []) for row in g.get("indicators", [])
                 if row.get("link_id") == link_pk), None)
