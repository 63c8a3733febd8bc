"""The board report reads its activities as plain rows (``reporting.evidence.ActivityRow``) with only
the latest update, not as ``Activity`` objects with every update prefetched. It must still say what
the activities say: the latest update (the last written of two on the same day), every goal an
activity serves, and no update for an activity without one."""

import datetime

import pytest

from reporting.evidence import board_report_data
from reporting.snapshot import _activity, _Words, build_snapshot
from scorecards.models import Activity, ActivityUpdate, ScorecardGoal
from tests.reporting.test_evidence import TODAY, goal_row, report_world  # noqa: F401  (fixture)


@pytest.fixture
def activities(report_world):
    """Familjebehandling's activity gets three more updates, two of them on its latest day; a
    second goal of Familjebehandling serves the other political goal and a new activity serves
    both of its goals; a third activity has no update."""
    world, org = report_world, report_world.org
    evening = world.family.activity
    for date, text in [(datetime.date(2026, 8, 20), "Andra kvällen hölls."),
                       (datetime.date(2026, 8, 20), "Tredje kvällen hölls samma dag."),
                       (datetime.date(2026, 7, 1), "Efterregistrerat: planeringsmöte.")]:
        ActivityUpdate.objects.create(activity=evening, date=date, text=text)
    children_goal = ScorecardGoal.objects.create(scorecard=world.family.scorecard, perspective=world.perspective,
                                                 title="Familjebehandling: trygga barn", order=2)
    children_goal.political_goals.add(world.goal_children)
    both = Activity.objects.create(team=org.north, title="Föräldragrupp", status="done",
                                   start_date=datetime.date(2026, 2, 1), end_date=datetime.date(2026, 6, 30))
    both.goals.set([world.family.goal, children_goal])
    ActivityUpdate.objects.create(activity=both, date=datetime.date(2026, 6, 30), text="Gruppen avslutad.")
    silent = Activity.objects.create(team=org.south, title="Hembesök på kvällstid", status="planned")
    silent.goals.add(world.family.goal)
    return world, evening, both, silent, children_goal


def snapshot_activities(snapshot, political_goal):
    goal = next(g for g in snapshot["goals"] if g["id"] == political_goal.pk)
    return {a["id"]: a for a in goal["activities"]}


def test_the_latest_update_is_the_last_written_of_the_latest_day(activities, controller):
    world, evening, *_ = activities
    snapshot = build_snapshot(user=controller, reporting_round=world.round, today=TODAY)
    assert snapshot_activities(snapshot, world.goal_support)[evening.pk]["latest_update"] == {
        "date": "2026-08-20", "text": "Tredje kvällen hölls samma dag."}


def test_an_activity_serving_two_goals_is_listed_under_each_with_both_goals(activities, controller):
    world, _, both, _, children_goal = activities
    snapshot = build_snapshot(user=controller, reporting_round=world.round, today=TODAY)
    for political_goal in (world.goal_support, world.goal_children):
        activity = snapshot_activities(snapshot, political_goal)[both.pk]
        assert activity["goals"] == [world.family.goal.title, children_goal.title]
        assert activity["status"] == {"code": "done", "label": "Klar"}
        assert (activity["start_date"], activity["end_date"]) == ("2026-02-01", "2026-06-30")
    support = next(row for row in board_report_data(user=controller, reporting_round=world.round, today=TODAY,
                                                     with_details=True).goals
                   if row.political_goal == world.goal_support)
    assert [a.pk for c in support.units for a in c.activities].count(both.pk) == 1


def test_an_activity_without_updates_has_no_latest_update(activities, controller):
    world, *_, silent, _ = activities
    snapshot = build_snapshot(user=controller, reporting_round=world.round, today=TODAY)
    assert snapshot_activities(snapshot, world.goal_support)[silent.pk]["latest_update"] is None
    data = board_report_data(user=controller, reporting_round=world.round, today=TODAY, with_details=True)
    row = next(a for c in goal_row(data, world.goal_support).units for a in c.activities if a.pk == silent.pk)
    assert list(row.updates.all()) == []


def test_the_rows_say_what_the_activities_say(activities, controller):
    world = activities[0]
    data = board_report_data(user=controller, reporting_round=world.round, today=TODAY, with_details=True)
    rows = {a.pk: a for row in data.goals for c in row.units for a in c.activities}
    assert len(rows) == 4  # Familjebehandling's and Barnutredning's activities, the two added here
    words = _Words()
    for pk, row in rows.items():
        activity = Activity.objects.get(pk=pk)
        assert _activity(row, words) == _activity(activity, words)
        assert (row.team, row.team.parent) == (activity.team, activity.team.parent)
        assert row.get_status_display() == activity.get_status_display()
