"""A board report read one political goal at a time (``?goal=<id>``): the same content as the
whole report with only that goal in ``goals``, live or adopted; an adopted report's goal is read
without loading its whole snapshot; a goal of another board or year is a 404, a bad id a 400."""

import pytest
from reporting.models import BoardReport
from tests.api.conftest import token_client
from tests.reporting.test_board_views import adopt
from tests.reporting.test_evidence import grow, report_world  # noqa: F401  (fixture)
from tests.reporting.test_snapshot_index import decoded_snapshots  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def without_generated_at(content):
    return {key: value for key, value in content.items() if key != "generated_at"}


def urls(world):
    return [f"/api/v1/rounds/{world.round.pk}/board-report/", f"/api/v1/board-reports/{world.report.pk}/"]


@pytest.mark.parametrize("who", ["board_member", "controller", "unit_manager"])
def test_one_goal_of_a_live_report_is_that_goal_of_the_whole(request, report_world, who):
    api = token_client(request.getfixturevalue(who))
    for url in urls(report_world):
        whole = api.get(url).json()
        assert whole["frozen"] is False
        for goal in (report_world.goal_support, report_world.goal_children):
            one = api.get(url, {"goal": goal.pk}).json()
            assert one["frozen"] is False and one["report"] == whole["report"]
            assert without_generated_at(one["content"]) == {
                **without_generated_at(whole["content"]), "goals": [g for g in whole["content"]["goals"]
                                                                    if g["id"] == goal.pk]}
            assert [g["id"] for g in one["content"]["goals"]] == [goal.pk]


def test_one_goal_of_an_adopted_report_is_read_from_its_snapshot_alone(report_world, board_member, controller,
                                                                       decoded_snapshots):
    grow(report_world, 2)
    adopt(report_world, controller)
    snapshot = BoardReport.objects.get(pk=report_world.report.pk).snapshot
    decoded_snapshots.clear()
    api = token_client(board_member)
    for url in urls(report_world):
        one = api.get(url, {"goal": report_world.goal_children.pk}).json()
        assert one["frozen"] is True
        assert one["content"] == {**snapshot, "goals": [g for g in snapshot["goals"]
                                                        if g["id"] == report_world.goal_children.pk]}
    assert [v for v in decoded_snapshots if isinstance(v, dict) and "balance" in v] == []


@pytest.mark.parametrize("goal,status", [("abc", 400), ("0", 400), ("-3", 400), ("9" * 20, 400), ("999999", 404)])
def test_a_bad_or_unknown_goal_is_refused(report_world, board_member, goal, status):
    api = token_client(board_member)
    for url in urls(report_world):
        response = api.get(url, {"goal": goal})
        assert response.status_code == status, (url, goal, response.content)


def test_a_goal_of_another_board_or_out_of_force_is_not_found(report_world, board_member, controller):
    from governance.models import PoliticalGoal

    other_board = PoliticalGoal.objects.create(board=report_world.org.elderly_board, code="1", title="Trygg ålderdom",
                                               valid_from=2023, valid_to=2026)
    api = token_client(board_member)
    for goal in (other_board, report_world.goal_old):
        for url in urls(report_world):
            assert api.get(url, {"goal": goal.pk}).status_code == 404
    adopt(report_world, controller)
    assert api.get(urls(report_world)[1], {"goal": report_world.goal_old.pk}).status_code == 404
