"""The board report reads its indicator rows as plain columns (``reporting.evidence.ReportedLink``,
``ReportedIndicator``, target values, ``ValueSeries``), not as ``ScorecardIndicator`` and
``Indicator`` objects. The rows must still say what the scorecards say: the indicator as it is,
the target that applies to the unit, the same row under every political goal it serves, and the
chart the chart page draws for the same link."""

import pytest
from django.utils import translation

from reporting import charts
from reporting.evidence import board_report_data
from reporting.snapshot import _indicator_row, build_snapshot
from scorecards.models import Indicator, ScorecardIndicator, Target
from scorecards.status import Status
from tests.reporting.test_evidence import TODAY, goal_row, report_world  # noqa: F401  (fixture)

INDICATOR_COLUMNS = ("pk", "name", "mandate", "mandate_source", "direction", "measure_unit", "decimals", "frequency",
                     "kolada_kpi", "external_code", "is_mandated", "unit_symbol", "period_kind")


def rows_of(data, political_goal, link):
    return [r for r in goal_row(data, political_goal).indicators if r.link == link]


def test_a_row_serving_two_political_goals_is_the_same_under_both(report_world, controller):
    world = report_world
    world.family.goal.political_goals.add(world.goal_children)
    data = board_report_data(user=controller, reporting_round=world.round, today=TODAY, with_details=True)
    [support] = rows_of(data, world.goal_support, world.family.mandated_link)
    [children] = rows_of(data, world.goal_children, world.family.mandated_link)
    assert (children.link.pk, children.unit, children.evaluation, list(children.series)) == (
        support.link.pk, support.unit, support.evaluation, list(support.series))
    assert support.evaluation.status == Status.NOT_MET

    snapshot = build_snapshot(user=controller, reporting_round=world.round, today=TODAY)
    by_goal = {g["id"]: [r for r in g["indicators"] if r["link_id"] == world.family.mandated_link.pk]
               for g in snapshot["goals"]}
    assert by_goal[world.goal_support.pk] == by_goal[world.goal_children.pk]
    assert len(by_goal[world.goal_support.pk]) == 1


def test_a_units_own_target_overrides_the_default_for_that_unit_only(report_world, controller):
    world = report_world
    Target.objects.create(indicator=world.mandated, year=world.year, unit=world.org.family, target_value=60,
                          yellow_threshold=55)
    data = board_report_data(user=controller, reporting_round=world.round, today=TODAY, with_details=True)
    [family] = rows_of(data, world.goal_support, world.family.mandated_link)
    [investigation] = rows_of(data, world.goal_support, world.investigation.mandated_link)
    assert (family.evaluation.target.target_value, family.evaluation.value, family.evaluation.status) == (
        60, 60, Status.MET)
    assert investigation.evaluation.target.target_value == 90

    snapshot_rows = {r["link_id"]: r for g in build_snapshot(user=controller, reporting_round=world.round,
                                                               today=TODAY)["goals"] for r in g["indicators"]}
    assert snapshot_rows[world.family.mandated_link.pk]["target"] == {
        "value": "60", "max": None, "yellow_threshold": "55", "tolerance_percent": None, "unit_specific": True}
    assert snapshot_rows[world.investigation.mandated_link.pk]["target"]["unit_specific"] is False


def test_the_rows_indicator_and_link_answer_as_the_models_do(report_world, controller):
    world = report_world
    Indicator.objects.filter(pk=world.mandated.pk).update(measure_unit_label="procent", kolada_kpi="N79111",
                                                          external_code="BUT-4")
    ScorecardIndicator.objects.filter(pk=world.family.own_link.pk).update(analysis="Fler kvällstider behövs.")
    data = board_report_data(user=controller, reporting_round=world.round, today=TODAY, with_details=True)
    rows = goal_row(data, world.goal_support).indicators
    assert len(rows) == 4
    with translation.override("sv"):
        for row in rows:
            link = ScorecardIndicator.objects.select_related("indicator", "goal").get(pk=row.link.pk)
            assert row.link == link and hash(row.link) == hash(link)
            assert (row.link.goal, row.link.goal_id, row.link.analysis) == (link.goal, link.goal_id, link.analysis)
            assert row.unit == link.scorecard.unit
            for column in INDICATOR_COLUMNS:
                assert getattr(row.indicator, column) == getattr(link.indicator, column), column
            assert row.indicator.get_mandate_display() == link.indicator.get_mandate_display()


@pytest.mark.parametrize("which", ["mandated_link", "own_link"])
def test_the_drill_downs_chart_is_the_chart_pages_chart(report_world, board_member, which):
    world = report_world
    link = getattr(world.family, which)
    data = board_report_data(user=board_member, reporting_round=world.round, today=TODAY, with_details=True)
    [row] = rows_of(data, world.goal_support, link)
    assert charts.chart_for_row(row) == charts.indicator_chart(user=board_member, link_pk=link.pk,
                                                               round_pk=world.round.pk)
    assert _indicator_row(row)["series"][-1]["value"] == ("60" if which == "mandated_link" else "20")
