"""The synthetic organisation generator (fixtures/large_org.py, manage.py generate_org)."""

import pytest
from django.core.management import CommandError, call_command

from fixtures import large_org
from governance.models import OrgUnit, OrgUnitKind, Period
from reporting.models import FollowUp, ReportingRound
from scorecards.models import Measurement, Scorecard, ScorecardIndicator

SMALL = large_org.OrgSize(units=3, years=2, teams_per_unit=2, indicators_per_scorecard=4, goals_per_scorecard=2,
                          activities_per_team=1, updates_per_activity=1, political_goals=3)


@pytest.fixture
def small_org(db):
    return large_org.generate_org(SMALL, seed=7, prefix="T3")


def test_generated_tree_has_correct_materialised_paths(small_org):
    for unit in OrgUnit.objects.filter(path__startswith=small_org.board.path).select_related("parent"):
        expected = (unit.parent.path if unit.parent else "") + f"{unit.pk:08d}/"
        assert unit.path == expected
        assert unit.depth == expected.count("/") - 1
    assert small_org.board.subtree().filter(kind=OrgUnitKind.UNIT).count() == 3
    assert all(t.parent.kind == OrgUnitKind.UNIT
               for t in OrgUnit.objects.filter(path__startswith=small_org.board.path, kind=OrgUnitKind.TEAM))


def test_generated_org_has_the_requested_size(small_org):
    counts = small_org.counts
    assert counts["units"] == 3
    assert counts["teams"] == 6
    assert counts["scorecards"] == 3 * 2
    assert counts["scorecard_goals"] == 3 * 2 * 2
    assert counts["scorecard_indicators"] == 3 * 2 * 4
    assert counts["political_goals"] == 3
    assert counts["activities"] == 6 and counts["activity_updates"] == 6
    assert counts["rounds"] == 2 and counts["board_reports"] == 2  # last year's adopted, this year's draft
    assert counts["measurements"] > 0
    assert FollowUp.objects.filter(round__board=small_org.board, state=FollowUp.State.APPROVED).exists()


def test_measurements_fit_their_indicators_period_kind_and_have_ended(small_org):
    cutoff = SMALL.cutoff
    for m in Measurement.objects.filter(unit__path__startswith=small_org.board.path).select_related(
            "indicator", "period"):
        assert m.period.kind == m.indicator.period_kind
        assert m.period.end < cutoff
        assert ScorecardIndicator.objects.filter(indicator=m.indicator, scorecard__unit=m.unit,
                                                 scorecard__year=m.period.year).exists()


def test_generator_uses_the_service_calendar(small_org):
    assert Period.objects.filter(year__year=2026).count() == 16  # year, 3 tertials, 12 months
    assert ReportingRound.objects.filter(board=small_org.board, state="open").count() == 1


def test_same_seed_gives_same_organisation(db):
    first = large_org.generate_org(SMALL, seed=11, prefix="A3")
    second = large_org.generate_org(SMALL, seed=11, prefix="B3")

    def values(org):
        return list(Measurement.objects.filter(unit__path__startswith=org.board.path)
                    .order_by("unit__external_code", "indicator__name", "period__start").values_list("value", flat=True))

    assert first.counts == second.counts
    assert values(first) == values(second)


def test_generating_the_same_prefix_twice_is_refused_and_writes_nothing(small_org):
    before = Scorecard.objects.count()
    with pytest.raises(large_org.OrgExists):
        large_org.generate_org(SMALL, prefix="T3")
    assert Scorecard.objects.count() == before


def test_last_years_report_is_adopted_through_the_services(small_org):
    adopted = small_org.adopted_report
    assert adopted.is_adopted and adopted.round == small_org.rounds[0] and small_org.rounds[0].state == "closed"
    stored = type(adopted).objects.get(pk=adopted.pk)
    assert stored.snapshot["report"]["state"] == "adopted" and stored.snapshot_index["goals"]
    assert stored.adopted_recorded_by == small_org.users["controller"]
    # As adoption does: what the snapshot shows is frozen.
    assert stored.frozen_measurements.exists() and stored.frozen_follow_ups.exists()
    assert stored.history.exists()
    assert small_org.board_report.round == small_org.latest_round and small_org.board_report.state == "draft"


def test_find_generated_returns_the_handles(small_org):
    found = large_org.find_generated("T3")
    assert found.board == small_org.board
    assert found.adopted_report == small_org.adopted_report and found.board_report == small_org.board_report
    assert found.latest_round == small_org.latest_round
    assert set(found.users) >= {"board_member", "controller", "unit_manager", "team_member"}


def test_command_rejects_a_bad_size(db):
    with pytest.raises(CommandError):
        call_command("generate_org", "--units", "0")


def test_command_prints_counts(db, capsys):
    call_command("generate_org", "--units", "2", "--years", "1", "--teams-per-unit", "1", "--prefix", "C2")
    out = capsys.readouterr().out
    assert "measurements" in out and "Generated C2" in out
