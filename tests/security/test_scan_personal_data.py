"""``scan_personal_data`` finds personal data already stored in texts that reach the board."""

import csv
import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from governance.management.commands.scan_personal_data import text_fields
from governance.models import Period
from reporting.models import BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport
from scorecards.models import Activity, ActivityUpdate

PNR = "19811218-9876"  # valid check digit
SAMORDNING = "811278-9873"


def _scan(*args):
    out = io.StringIO()
    try:
        call_command("scan_personal_data", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def round_t1(org, year_2026):
    period = Period.objects.get(year=year_2026, kind="tertial", number=1)
    return ReportingRound.objects.create(board=org.board, period=period, name="T1 2026",
                                         deadline=datetime.date(2026, 5, 15))


@pytest.fixture
def planted(org, round_t1, political_goal):
    """Texts written before the guard existed (straight into the database, past the services)."""
    activity = Activity.objects.create(team=org.north, title="Hembesök",
                                       description="Ring mamman på 070-123 45 67 innan besöket.")
    update = ActivityUpdate.objects.create(activity=activity, date=datetime.date(2026, 3, 2),
                                           text=f"Träffade pojken ({PNR}) och hans lärare.")
    follow_up = FollowUp.objects.create(round=round_t1, org_unit=org.north, political_goal=political_goal,
                                        learning="Kontakt via kalle.karlsson@example.se fungerade bra.")
    report = BoardReport.objects.create(board=org.board, round=round_t1, summary="Inget särskilt.",
                                        snapshot={"goals": [{"follow_ups": [{"learning": f"Ärende {SAMORDNING}"}]}]})
    return {"activity": activity, "update": update, "follow_up": follow_up, "report": report}


def test_every_listed_field_exists():
    for model, fields in text_fields():
        for field in fields:
            model._meta.get_field(field)


def test_clean_texts_give_exit_status_zero(org, round_t1, political_goal):
    Activity.objects.create(team=org.north, title="Öppen mottagning",
                            description="Start 2026-05-14, kostnad 1 234 567 kr, 45,5 % nöjda, period 2026-T1, dnr 2024-123456.")
    UnitReport.objects.create(round=round_t1, unit=org.family, summary="Öppet 08-17 alla vardagar.")
    status, output = _scan()
    assert status == 0
    assert "Inga personuppgifter" in output


def test_planted_personal_data_is_listed_and_gives_exit_status_one(planted):
    status, output = _scan("--no-history")
    assert status == 1
    lines = output.strip().splitlines()
    assert len(lines) == 4
    assert any(line.startswith(f"scorecards.Activity #{planted['activity'].pk} description:") for line in lines)
    assert any(line.startswith(f"scorecards.ActivityUpdate #{planted['update'].pk} text:") for line in lines)
    assert any(line.startswith(f"reporting.FollowUp #{planted['follow_up'].pk} learning:") for line in lines)
    assert any(line.startswith(f"reporting.BoardReport #{planted['report'].pk} snapshot.goals[0].follow_ups[0].learning:")
               for line in lines)


def test_numbers_lose_their_last_four_digits_as_in_the_writers_warning(planted):
    _status, output = _scan()
    assert PNR not in output and "9876" not in output and "9873" not in output
    assert "45 67" not in output and "kalle.karlsson" not in output
    assert "19811218-****" in output
    assert "811278-****" in output
    assert "070-123 ** **" in output
    assert "k***@example.se" in output
    assert "Träffade pojken (19811218-****) och hans lärare." in output


def test_the_scan_masks_exactly_as_the_writers_warning_does():
    from governance.management.commands.scan_personal_data import _mask
    from governance.privacy import find_personal_data

    text = f"Pojken {PNR}, mamman 070-123 45 67, kalle.karlsson@example.se"
    assert len(find_personal_data(text)) == 3
    assert [_mask(f) for f in find_personal_data(text)] == [f.masked for f in find_personal_data(text)]


def test_csv_format_lists_model_pk_field_kind_and_excerpt(planted):
    status, output = _scan("--format", "csv", "--no-history")
    assert status == 1
    rows = list(csv.DictReader(io.StringIO(output)))
    assert {(r["model"], r["field"], r["kind"]) for r in rows} == {
        ("scorecards.Activity", "description", "phone"),
        ("scorecards.ActivityUpdate", "text", "identity_number"),
        ("reporting.FollowUp", "learning", "email"),
        ("reporting.BoardReport", "snapshot.goals[0].follow_ups[0].learning", "coordination_number"),
    }
    assert all(PNR not in r["excerpt"] for r in rows)
    update = next(r for r in rows if r["model"] == "scorecards.ActivityUpdate")
    assert update["pk"] == str(planted["update"].pk)


def test_long_texts_are_cut_around_the_finding_and_neighbours_are_masked_too(org, round_t1, political_goal):
    report = BoardReport.objects.create(board=org.board, round=round_t1, summary="x")
    GoalAssessment.objects.create(report=report, political_goal=political_goal,
                                  text="Lång inledning " * 20 + f"{PNR} och 121212-1212" + " lång avslutning" * 20)
    status, output = _scan("--format", "csv", "--no-history")
    assert status == 1
    rows = list(csv.DictReader(io.StringIO(output)))
    assert len(rows) == 2
    for row in rows:
        assert row["excerpt"].startswith("…") and row["excerpt"].endswith("…")
        assert len(row["excerpt"]) < 120
        assert "9876" not in row["excerpt"] and "-1212" not in row["excerpt"]
        assert "19811218-****" in row["excerpt"] and "121212-****" in row["excerpt"]


def test_a_corrected_text_is_still_found_in_the_change_history(planted):
    update = planted["update"]
    update.text = "Träffade pojken och hans lärare."
    update.save()
    status, output = _scan("--format", "csv")
    assert status == 1
    rows = list(csv.DictReader(io.StringIO(output)))
    assert not any(r["model"] == "scorecards.ActivityUpdate" for r in rows)
    history = [r for r in rows if r["model"] == "scorecards.HistoricalActivityUpdate"]
    assert len(history) == 1 and history[0]["kind"] == "identity_number"
    assert "19811218-****" in history[0]["excerpt"]
    assert _scan("--no-history")[0] == 1  # the other planted texts are still there


def test_the_demo_holds_no_personal_data(db):
    from fixtures.demo import build_demo

    build_demo()
    status, output = _scan()
    assert status == 0, output
