"""The board workbook (reporting.workbook, docs/architecture.md §7): read back with openpyxl, sheet by sheet.

The builders here (``workbook_world``, ``world_snapshot``, ``adopt``, ``read_workbook``) are shared
with the LibreOffice and export command tests.
"""

import datetime
import io
import json
import os
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Period, PoliticalGoal
from reporting import workbook
from reporting.balance import trust_balance
from reporting.models import BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport
from reporting.rules import Assessment
from reporting.snapshot import build_snapshot
from scorecards.models import (
    Activity, ActivityUpdate, Indicator, Measurement, Perspective, Scorecard, ScorecardGoal, ScorecardIndicator, Target,
)

TODAY = datetime.date(2026, 9, 15)  # T2 2026 has ended, T3 has not

# Text a user might write that a spreadsheet could take for a formula (or an error value).
FORMULA_LIKE = {
    "what_we_did": "=SUM(A1:A2)",
    "effect_for_citizens": "@cmd",
    "learning": "+46 8 123 45 67",
    "next_step": "-5 dagar i snitt",
}


def period(year, kind, number):
    return Period.objects.get(year=year, kind=kind, number=number)


@pytest.fixture
def workbook_world(org, year_2026):
    """Socialnämndens T2 2026 round with three political goals.

    Familjebehandling's mandated metric is red in August while Team Norr says "attained" (a
    divergence); Team Norr's follow-up is written to look like formulas. Barnutredning is green
    and says "partly". Ekonomiskt bistånd speaks to goal 1 directly. Goal 3's short title is a
    name Excel cannot take as it is.
    """
    world = SimpleNamespace(org=org, year=year_2026)
    perspective = Perspective.objects.create(name="Brukare", order=1)
    world.goal_support = PoliticalGoal.objects.create(
        board=org.board, code="1", title="Invånare får rätt stöd i rätt tid", short_title="Rätt stöd i rätt tid",
        description="Den som behöver stöd ska få det snabbt och nära.", valid_from=2023, valid_to=2026, order=1)
    world.goal_children = PoliticalGoal.objects.create(
        board=org.board, code="2", title="Barn och unga växer upp under trygga förhållanden", short_title="Trygga barn",
        valid_from=2023, valid_to=2026, order=2)
    world.goal_odd = PoliticalGoal.objects.create(  # saved without full_clean, as an import might
        board=org.board, code="3", title="Ekonomi i balans", short_title="mätetal*", valid_from=2023, valid_to=2026,
        order=3)
    world.mandated = Indicator.objects.create(
        name="Andel barnavårdsutredningar klara inom fyra månader", owner=org.administration, mandate="regulator",
        mandate_source="SoL 11 kap. 2 §", direction="increase", measure_unit="percent", frequency="monthly", decimals=1)
    Target.objects.create(indicator=world.mandated, year=year_2026, target_value=90)
    world.round = ReportingRound.objects.create(
        board=org.board, period=period(year_2026, "tertial", 2), name="Delårsrapport T2 2026",
        deadline=datetime.date(2026, 9, 15), state=ReportingRound.State.OPEN, opened_at=timezone.now())

    def contribution(unit, team, *, monthly, own_values, assessment, texts, goals):
        scorecard = Scorecard.objects.create(unit=unit, year=year_2026)
        goal = ScorecardGoal.objects.create(scorecard=scorecard, perspective=perspective,
                                            title=f"{unit.name}: stöd inom två veckor")
        goal.political_goals.add(*goals)
        link = ScorecardIndicator.objects.create(scorecard=scorecard, indicator=world.mandated, goal=goal, order=1,
                                                 analysis="Sommaren gav längre handläggning.")
        own = Indicator.objects.create(name=f"Väntetid till första samtal, {unit.name}", owner=unit, mandate="own",
                                       direction="decrease", measure_unit="days", frequency="tertial", decimals=0)
        Target.objects.create(indicator=own, year=year_2026, target_value=14)
        ScorecardIndicator.objects.create(scorecard=scorecard, indicator=own, goal=goal, order=2)
        for month, value in monthly.items():
            Measurement.objects.create(indicator=world.mandated, unit=unit, period=period(year_2026, "month", month),
                                       value=value)
        for number, value in own_values.items():
            Measurement.objects.create(indicator=own, unit=unit, period=period(year_2026, "tertial", number), value=value)
        follow_up = FollowUp.objects.create(round=world.round, org_unit=team, scorecard_goal=goal,
                                            state=FollowUp.State.APPROVED, self_assessment=assessment,
                                            submitted_at=timezone.now(), **texts)
        activity = Activity.objects.create(team=team, title=f"Kvällsmottagning {team.name}", status="ongoing",
                                           description="Öppet till 19 på tisdagar.",
                                           expected_citizen_value="Kortare väntan för familjer.",
                                           start_date=datetime.date(2026, 3, 1))
        activity.goals.add(goal)
        ActivityUpdate.objects.create(activity=activity, date=datetime.date(2026, 6, 1), text="Första kvällen hölls.")
        return SimpleNamespace(scorecard=scorecard, goal=goal, link=link, own=own, follow_up=follow_up,
                               activity=activity)

    world.family = contribution(org.family, org.north, monthly={1: 88.5, 2: 91, 5: 70, 6: 65, 7: 62, 8: 60},
                                own_values={1: 12, 2: 20}, assessment=Assessment.ATTAINED, texts=FORMULA_LIKE,
                                goals=[world.goal_support, world.goal_odd])
    world.investigation = contribution(
        org.investigation, org.investigation_team, monthly={5: 92, 6: 94, 8: 95.25}, own_values={2: 12},
        assessment=Assessment.PARTLY, goals=[world.goal_support],
        texts={"what_we_did": "Vi införde kvällstider för föräldrasamtal.",
               "effect_for_citizens": "Fler föräldrar kunde komma utan att ta ledigt.",
               "learning": "Kvällstider passar fler.", "next_step": "Utvärdera i T3."})
    world.income_follow_up = FollowUp.objects.create(
        round=world.round, org_unit=org.income, political_goal=world.goal_support, state=FollowUp.State.APPROVED,
        self_assessment=Assessment.NOT_ATTAINED, what_we_did="#N/A\x07 Handläggningstiden ökade under sommaren.",
        submitted_at=timezone.now())
    UnitReport.objects.create(round=world.round, unit=org.family, state=UnitReport.State.SUBMITTED,
                              submitted_at=timezone.now(), reporting_hours=12.5)
    world.report = BoardReport.objects.create(board=org.board, round=world.round, summary="Året går i stort enligt plan.")
    GoalAssessment.objects.create(report=world.report, political_goal=world.goal_support, assessment=Assessment.PARTLY,
                                  text="Väntetiderna har minskat men utredningstiderna brister.")
    return world


def world_snapshot(world, user):
    return build_snapshot(user=user, reporting_round=world.round, today=TODAY,
                          balance=trust_balance(user=user, reporting_round=world.round))


def adopt(world, user, *, on=datetime.date(2026, 10, 20), paragraph="§ 45"):
    """Adopt the world's report the way the round's workflow does: freeze the snapshot."""
    world.report.state = BoardReport.State.ADOPTED
    world.report.adopted_on = on
    world.report.minute_paragraph = paragraph
    world.report.snapshot = {}  # an adopted report always has one; the real one follows
    world.report.save()
    snapshot = world_snapshot(world, user)  # saying "adopted", with date and paragraph
    # An adopted report refuses save() (reporting.locks); the snapshot is set the raw way here.
    BoardReport.objects.filter(pk=world.report.pk).update(snapshot=snapshot)
    world.report.snapshot = snapshot
    return snapshot


def render(snapshot):
    buffer = io.BytesIO()
    workbook.write_workbook(snapshot, buffer)
    return buffer.getvalue()


def read_workbook(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def cell_values(book):
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def find(ws, value):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} is not on sheet {ws.title}")


def header_row(ws, first_header):
    cell = find(ws, first_header)
    return {c.value: c.column for c in ws[cell.row] if c.value is not None}, cell.row


@pytest.fixture
def snapshot(workbook_world, controller):
    return world_snapshot(workbook_world, controller)


@pytest.fixture
def book(snapshot):
    return read_workbook(render(snapshot))


# --- sheets ----------------------------------------------------------------------------------------

def test_the_workbook_has_an_overview_a_sheet_per_goal_and_the_four_lists(book):
    assert book.sheetnames == ["Översikt", "Rätt stöd i rätt tid", "Trygga barn", "mätetal (2)", "Mätetal",
                               "Uppföljning", "Aktiviteter", "Styrningsbalans"]


def test_the_overview_names_board_round_and_state(book):
    ws = book["Översikt"]
    assert ws["A1"].value == "Målrapport Delårsrapport T2 2026 – Socialnämnden"
    assert find(ws, "Status").offset(column=1).value == "Utkast"
    assert find(ws, "Omgång").offset(column=1).value == "Delårsrapport T2 2026"
    assert find(ws, "Sammanfattning").offset(column=1).value == "Året går i stort enligt plan."


# Översikt's goal table: A goal, B assessment, C its motivation, D–G mandated metrics and H–K own
# indicators (met, partly, not met, missing), L–P self-assessments, Q divergence, R the goal's sheet.
MANDATED, OWN, SELF, DIVERGENCE, SHEET = 4, 8, 12, 17, 18


def goal_table(ws):
    _, row = header_row(ws, "Politiskt mål")
    return row, [[c.value for c in r] for r in ws.iter_rows(min_row=row + 1, max_row=row + 3)]


def test_the_overview_has_one_row_per_political_goal_with_the_evidence(book):
    ws = book["Översikt"]
    row, goals = goal_table(ws)
    assert [c.value for c in ws[row - 1] if c.value] == ["Styrande mätetal", "Egna mätetal", "Självskattningar"]
    assert [c.value for c in ws[row]][MANDATED - 1:MANDATED + 3] == ["Uppnått", "Delvis", "Ej uppnått", "Saknas"]
    assert [c.value for c in ws[row]][SELF - 1:SELF + 4] == [
        "Uppnått", "Delvis uppnått", "Ej uppnått", "För tidigt att bedöma", "Ej angiven"]
    assert [g[0] for g in goals] == [
        "1. Invånare får rätt stöd i rätt tid", "2. Barn och unga växer upp under trygga förhållanden",
        "3. Ekonomi i balans"]
    first = goals[0]
    # Familjebehandling red (60 < 81), Barnutredning green (95,25 ≥ 90); own: 20 > 14·1,1 red, 12 green.
    assert first[MANDATED - 1:MANDATED + 3] == [1, 0, 1, 0]
    assert first[OWN - 1:OWN + 3] == [1, 0, 1, 0]
    assert first[SELF - 1:SELF + 4] == [1, 1, 1, 0, 0]
    assert first[1] == "Delvis uppnått"
    assert first[2] == "Väntetiderna har minskat men utredningstiderna brister."
    assert first[DIVERGENCE - 1] == "Ja – Familjebehandling: siffrorna är sämre än bedömningen"
    second = goals[1]
    assert second[1] == "Ingen bedömning ännu"
    assert second[MANDATED - 1:SELF + 4] == [0] * 13
    assert second[DIVERGENCE - 1] == "Nej"


def test_each_goal_row_links_to_its_sheet(book):
    cell = find(book["Översikt"], "3. Ekonomi i balans").offset(column=SHEET - 1)
    assert cell.value == "mätetal (2)" and cell.hyperlink.location == "'mätetal (2)'!A1"


def test_statuses_and_assessments_are_words_with_fills(book):
    ws = book["Översikt"]
    row, _ = goal_table(ws)
    assessment = ws.cell(row=row + 1, column=2)
    assert assessment.value == "Delvis uppnått" and assessment.fill.fgColor.rgb.endswith("FFEB9C")
    assert ws.cell(row=row, column=MANDATED + 2).fill.fgColor.rgb.endswith("FFC7CE")  # the header "Ej uppnått"
    legend = {c.value: c.fill.fgColor.rgb[-6:] for r in ws.iter_rows(min_row=row + 4) for c in r[:1] if c.value}
    assert legend["Uppnått"] == "C6EFCE" and legend["Delvis"] == "FFEB9C" and legend["Ej uppnått"] == "FFC7CE"
    assert legend["Saknas"] == "E0E0E0" and legend["För tidigt att bedöma"] == "E0E0E0"

    metrics = book["Mätetal"]
    columns, _ = header_row(metrics, "Enhet")
    statuses = {(r[0].value, r[1].value): r[columns["Status"] - 1] for r in metrics.iter_rows(min_row=2)}
    red = statuses[("Familjebehandling", "Andel barnavårdsutredningar klara inom fyra månader")]
    green = statuses[("Barnutredning", "Andel barnavårdsutredningar klara inom fyra månader")]
    assert red.value == "Ej uppnått" and red.fill.fgColor.rgb.endswith("FFC7CE")
    assert green.value == "Uppnått" and green.fill.fgColor.rgb.endswith("C6EFCE")


def test_the_goal_sheet_has_goal_assessment_metrics_follow_ups_activities_and_a_chart(book):
    ws = book["Rätt stöd i rätt tid"]
    assert ws["A1"].value == "1. Invånare får rätt stöd i rätt tid"
    assert find(ws, "Beskrivning").offset(column=1).value == "Den som behöver stöd ska få det snabbt och nära."
    assert find(ws, "Samlad bedömning").offset(column=1).value == "Delvis uppnått"
    assert find(ws, "Motivering").offset(column=1).value == "Väntetiderna har minskat men utredningstiderna brister."
    columns, row = header_row(ws, "Enhet")
    # the round's periods; the months before it are in the chart and on the sheet Mätetal
    assert [h for h in columns if h.endswith("2026")] == ["maj 2026", "jun 2026", "jul 2026", "aug 2026", "T2 2026"]
    family = next(r for r in ws.iter_rows(min_row=row + 1) if r[0].value == "Familjebehandling"
                  and r[1].value.startswith("Andel"))
    assert family[columns["Målvärde"] - 1].value == 90
    assert family[columns["maj 2026"] - 1].value == 70
    assert family[columns["aug 2026"] - 1].value == 60
    assert family[columns["Mått"] - 1].value == "%"
    assert family[columns["Status"] - 1].value == "Ej uppnått"
    assert family[columns["Analys"] - 1].value == "Sommaren gav längre handläggning."
    assert find(ws, "Vi införde kvällstider för föräldrasamtal.").offset(column=-1).value == "Vad vi gjorde"
    assert find(ws, "Kvällsmottagning Team Norr").offset(column=1).value == "Pågående"
    assert find(ws, "Senaste uppdatering 2026-06-01: Första kvällen hölls.")
    assert len(ws._images) == 1
    chart_table = find(ws, "Månad")
    assert chart_table.offset(row=8).value == "aug 2026"
    # In August: Familjebehandling's metric red, Barnutredning's green; own: T2 red and green.
    assert [chart_table.offset(row=8, column=c).value for c in (1, 2, 3, 4)] == [2, 0, 2, 0]


def test_a_goal_without_contributions_says_so(book):
    ws = book["Trygga barn"]
    assert find(ws, "Inga mätetal är kopplade till målet.")
    assert find(ws, "Inga godkända uppföljningar.")
    assert find(ws, "Inga aktiviteter.")
    assert ws._images == []


def test_the_follow_up_sheet_has_every_approved_text_once(book):
    ws = book["Uppföljning"]
    columns, _ = header_row(ws, "Politiska mål")
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 3
    north = next(r for r in rows if r[columns["Team"] - 1] == "Team Norr")
    assert north[columns["Politiska mål"] - 1] == "1, 3"  # one follow-up serving two goals, listed once
    assert north[columns["Enhet"] - 1] == "Familjebehandling"
    assert north[columns["Självskattning"] - 1] == "Uppnått"
    investigation = next(r for r in rows if r[columns["Enhet"] - 1] == "Barnutredning")
    assert investigation[columns["Effekt för invånarna"] - 1] == "Fler föräldrar kunde komma utan att ta ledigt."
    assert investigation[columns["Vad vi lärde oss"] - 1] == "Kvällstider passar fler."
    assert investigation[columns["Nästa steg"] - 1] == "Utvärdera i T3."


def test_user_text_that_looks_like_a_formula_stays_text(book):
    ws = book["Uppföljning"]
    columns, _ = header_row(ws, "Politiska mål")
    north = next(r for r in ws.iter_rows(min_row=2) if r[columns["Team"] - 1].value == "Team Norr")
    for key, header in (("what_we_did", "Vad vi gjorde"), ("effect_for_citizens", "Effekt för invånarna"),
                        ("learning", "Vad vi lärde oss"), ("next_step", "Nästa steg")):
        cell = north[columns[header] - 1]
        assert cell.value == FORMULA_LIKE[key]
        assert cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it literal even when the cell is edited
    goal_sheet = book["Rätt stöd i rätt tid"]
    assert find(goal_sheet, "=SUM(A1:A2)").data_type == "s"


def test_text_that_looks_like_an_error_value_and_control_characters_are_plain_text(book):
    ws = book["Uppföljning"]
    cell = find(ws, "#N/A Handläggningstiden ökade under sommaren.")
    assert cell.data_type == "s"


def test_the_activity_sheet_lists_team_goals_status_dates_and_latest_update(book):
    ws = book["Aktiviteter"]
    columns, _ = header_row(ws, "Team")
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Team Norr")
    assert row[columns["Aktivitet"] - 1].value == "Kvällsmottagning Team Norr"
    assert row[columns["Status"] - 1].value == "Pågående"
    assert row[columns["Start"] - 1].value == datetime.datetime(2026, 3, 1)
    assert row[columns["Start"] - 1].number_format == "yyyy-mm-dd"
    assert row[columns["Politiska mål"] - 1].value == "1, 3"
    assert row[columns["Senaste uppdatering"] - 1].value == datetime.datetime(2026, 6, 1)
    assert row[columns["Senaste uppdateringen"] - 1].value == "Första kvällen hölls."


def test_the_trust_balance_has_a_row_per_unit_a_total_and_the_trend(book, snapshot):
    ws = book["Styrningsbalans"]
    columns, _ = header_row(ws, "Enhet")
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2, max_row=1 + len(snapshot["balance"]))}
    assert set(rows) == {entry["unit"] for entry in snapshot["balance"]}
    family = rows["Familjebehandling"]
    assert family[columns["Styrande mätetal"] - 1].value == 1
    assert family[columns["Egna mätetal"] - 1].value == 1
    assert family[columns["Timmar för rapportering"] - 1].value == 12.5
    share = family[columns["Andel uppföljningar med text"] - 1]
    assert share.value == 1 and share.number_format == "0.0%"
    total = rows["Totalt"]
    assert total[0].font.b and total[columns["Styrande mätetal"] - 1].value == 2
    heading = find(ws, "Utveckling över åren")
    assert heading.offset(row=1).value == "Enhet" and heading.offset(row=1, column=1).value == "År"
    assert heading.offset(row=2, column=1).value == 2026


def test_an_empty_balance_is_said_in_words(snapshot):
    book = read_workbook(render({**snapshot, "balance": []}))
    assert find(book["Styrningsbalans"], "Styrningsbalansen finns inte med i den här rapporten.")


def test_numbers_are_numbers_with_number_formats(book):
    ws = book["Mätetal"]
    columns, _ = header_row(ws, "Enhet")
    rows = {(r[0].value, r[1].value): r for r in ws.iter_rows(min_row=2)}
    assert [h for h in columns if h.endswith("2026")] == [
        "jan 2026", "feb 2026", "mar 2026", "apr 2026", "T1 2026", "maj 2026", "jun 2026", "jul 2026", "aug 2026",
        "T2 2026"]
    assert rows[("Familjebehandling", "Andel barnavårdsutredningar klara inom fyra månader")][
        columns["jan 2026"] - 1].value == 88.5
    percent = rows[("Barnutredning", "Andel barnavårdsutredningar klara inom fyra månader")]
    value = percent[columns["aug 2026"] - 1]
    assert value.value == 95.25 and value.data_type == "n" and value.number_format == "#,##0.0"
    assert percent[columns["Mått"] - 1].value == "%"
    days = rows[("Barnutredning", "Väntetid till första samtal, Barnutredning")]
    assert days[columns["T2 2026"] - 1].value == 12 and days[columns["T2 2026"] - 1].number_format == "#,##0"
    assert days[columns["Mandat"] - 1].value and days[columns["Riktning"] - 1].value == "Lägre är bättre"


# --- layout and print --------------------------------------------------------------------------------

def test_header_rows_are_frozen_and_tables_have_auto_filters(book):
    overview = book["Översikt"]
    row, _ = goal_table(overview)
    assert overview.freeze_panes == f"A{row + 1}"
    assert overview.auto_filter.ref == f"A{row}:R{row + 3}"
    assert overview.print_title_rows == f"${row}:${row}"
    assert book["Mätetal"].freeze_panes == "C2"
    assert book["Mätetal"].auto_filter.ref.startswith("A1:")
    assert book["Mätetal"].auto_filter.ref.endswith("5")  # a header and four indicator rows
    assert book["Uppföljning"].freeze_panes == "A2" and book["Uppföljning"].auto_filter.ref == "A1:I4"
    assert book["Aktiviteter"].freeze_panes == "A2" and book["Aktiviteter"].auto_filter.ref == "A1:L3"
    assert book["Styrningsbalans"].auto_filter.ref.startswith("A1:K")
    goal = book["Rätt stöd i rätt tid"]
    _, metrics_row = header_row(goal, "Enhet")
    assert goal.freeze_panes == "A2" and goal.auto_filter.ref.startswith(f"A{metrics_row}:")


def test_columns_fit_their_content_within_a_cap_and_long_text_wraps(book):
    ws = book["Uppföljning"]
    widths = {letter: dimension.width for letter, dimension in ws.column_dimensions.items()}
    assert 6 <= widths["A"] <= 14 and widths["E"] <= 50
    assert find(ws, "Vi införde kvällstider för föräldrasamtal.").alignment.wrap_text


def test_every_sheet_prints_landscape_fitted_to_width_with_titles(book):
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows, ws.title
    assert book["Mätetal"].print_title_rows == "$1:$1"
    assert book["Rätt stöd i rätt tid"].print_title_rows == "$1:$1"


def test_the_document_properties_name_the_report(book, snapshot):
    properties = book.properties
    assert properties.title == "Målrapport Delårsrapport T2 2026 – Socialnämnden"
    assert properties.creator == "Tillit"
    generated = datetime.datetime.fromisoformat(snapshot["generated_at"]).astimezone(datetime.timezone.utc)
    assert properties.created == generated.replace(tzinfo=None, microsecond=0)


# --- the same report, the same workbook ----------------------------------------------------------------

def test_the_same_snapshot_gives_the_same_cells(snapshot):
    assert cell_values(read_workbook(render(snapshot))) == cell_values(read_workbook(render(snapshot)))


def test_an_adopted_report_exports_the_same_after_later_changes(workbook_world, controller):
    adopt(workbook_world, controller)
    before = cell_values(read_workbook(render(workbook.export_snapshot(user=controller,
                                                                       reporting_round=workbook_world.round))))
    workbook_world.goal_support.title = "Ett helt nytt namn på målet"
    workbook_world.goal_support.save()
    Measurement.objects.filter(indicator=workbook_world.mandated, unit=workbook_world.org.family,
                               period__number=8, period__kind="month").update(value=99)
    FollowUp.objects.filter(pk=workbook_world.family.follow_up.pk).update(what_we_did="Ändrad i efterhand.")
    after = cell_values(read_workbook(render(workbook.export_snapshot(user=controller,
                                                                      reporting_round=workbook_world.round))))
    assert after == before
    status = next(v for row in before["Översikt"] for v in row if isinstance(v, str) and v.startswith("Fastställd"))
    assert status == "Fastställd av nämnden 2026-10-20, § 45"
    # while the live data did change: a report not yet adopted would show it
    live = cell_values(read_workbook(render(world_snapshot(workbook_world, controller))))
    assert any("Ett helt nytt namn på målet" in str(v) for row in live["Översikt"] for v in row)


def test_an_adopted_report_carries_the_date_of_its_snapshot(workbook_world, controller):
    snapshot = adopt(workbook_world, controller)
    first = read_workbook(render(snapshot)).properties.created
    assert read_workbook(render(snapshot)).properties.created == first


def test_a_report_that_is_not_adopted_exports_the_live_data_as_the_user_may_see_it(workbook_world, unit_manager):
    snapshot = workbook.export_snapshot(user=unit_manager, reporting_round=workbook_world.round)
    book = read_workbook(render(snapshot))
    units = {r[0] for r in book["Mätetal"].iter_rows(min_row=2, values_only=True)}
    assert units == {"Familjebehandling"}


# --- odd snapshots -------------------------------------------------------------------------------------

def test_a_snapshot_without_goals_report_or_balance_still_makes_a_workbook():
    snapshot = {"schema": 1, "generated_at": "2026-09-15T08:00:00+00:00", "board": {"id": 1, "name": "Socialnämnden"},
                "round": {"id": 1, "name": "T1 2026", "deadline": "2026-05-15",
                          "period": {"label": "T1 2026", "code": "2026-T1", "start": "2026-01-01", "end": "2026-04-30"}},
                "report": None, "goals": [], "balance": []}
    book = read_workbook(render(snapshot))
    assert book.sheetnames == ["Översikt", "Mätetal", "Uppföljning", "Aktiviteter", "Styrningsbalans"]
    assert find(book["Översikt"], "Status").offset(column=1).value.startswith("Ingen nämndrapport")
    assert find(book["Översikt"], "Inga politiska mål gäller för omgångens år.")


def test_very_long_text_is_cut_to_what_a_cell_holds(snapshot):
    snapshot["goals"][0]["follow_ups"][0]["learning"] = "x" * 40_000
    book = read_workbook(render(snapshot))
    cell = find(book["Uppföljning"], "x" * workbook.MAX_CELL_TEXT + "…")
    assert len(cell.value) <= 32_767


@pytest.mark.parametrize("short_titles,expected", [
    (["Rätt stöd"], ["Rätt stöd"]),
    (["Mål: [ett]*?/\\"], ["Mål ett"]),
    (["'citat'"], ["citat"]),
    (["x" * 40], ["x" * 31]),
    (["Samma", "samma", "SAMMA"], ["Samma", "samma (2)", "SAMMA (3)"]),
    (["y" * 31, "y" * 31], ["y" * 31, "y" * 27 + " (2)"]),
    (["Översikt", "mätetal"], ["Översikt (2)", "mätetal (2)"]),
    (["", "???"], ["Mål 1", "Mål 2"]),
    (["History"], ["History (mål)"]),
])
def test_sheet_names_are_valid_and_unique(short_titles, expected):
    goals = [{"short_title": title, "code": str(n)} for n, title in enumerate(short_titles, 1)]
    assert workbook.goal_sheet_names(goals) == expected


def test_the_chart_counts_each_indicator_by_its_latest_ended_period():
    goal = {"indicators": [
        {"direction": "increase", "target": {"value": "90"},
         "series": [{"code": "2026-01", "value": "95"}, {"code": "2026-02", "value": "85"},
                    {"code": "2026-03", "value": None}, {"code": "2026-04", "value": None}]},
        {"direction": "decrease", "target": {"value": "14"},
         "series": [{"code": "2026-T1", "value": "30"}]},
        {"direction": "increase", "target": None, "series": [{"code": "2026-01", "value": "5"}]},
    ]}
    trend = workbook.status_trend(goal, year=2026, last_month=4, as_of=datetime.date(2026, 4, 15))
    assert [(m, c["green"], c["yellow"], c["red"], c["grey"]) for m, c in trend] == [
        (1, 1, 0, 0, 1),  # met; a value without a target is grey
        (2, 0, 1, 0, 1),  # 85 is within 10 % of 90
        (3, 0, 0, 0, 2),  # March has ended without a value: missing
        (4, 0, 0, 1, 1),  # April has not ended on 15 April (not due: left out); T1 is red
    ]


def test_the_file_name_is_plain_ascii():
    assert workbook.workbook_filename({"board": {"name": "Socialnämnden"}, "round": {"name": "Delårsrapport T2 2026"},
                                       "report": {"version_number": 2}}) == (
        "malrapport-socialnamnden-delarsrapport-t2-2026-v2.xlsx")


# --- the download ----------------------------------------------------------------------------------------

def download_url(world):
    return reverse("reporting:board-workbook", args=[world.round.pk])


@pytest.mark.parametrize("who", ["board_member", "controller"])
def test_the_board_and_the_controller_can_download_the_workbook(client, workbook_world, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(download_url(workbook_world))
    assert response.status_code == 200
    assert response["Content-Type"] == workbook.CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="malrapport-socialnamnden-delarsrapport-t2-2026.xlsx"')
    book = read_workbook(b"".join(response.streaming_content))
    assert "Rätt stöd i rätt tid" in book.sheetnames


def test_the_download_of_an_adopted_report_is_its_snapshot(client, workbook_world, controller, board_member):
    adopt(workbook_world, controller)
    workbook_world.goal_support.title = "Ändrat efter beslutet"
    workbook_world.goal_support.save()
    client.force_login(board_member)
    book = read_workbook(b"".join(client.get(download_url(workbook_world)).streaming_content))
    titles = [v for row in book["Översikt"].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert "1. Invånare får rätt stöd i rätt tid" in titles and "1. Ändrat efter beslutet" not in titles


def test_an_outsider_gets_404(client, workbook_world, outsider):
    client.force_login(outsider)
    assert client.get(download_url(workbook_world)).status_code == 404


def test_a_member_of_another_board_gets_404(client, workbook_world, org):
    from tests.conftest import make_user
    from governance.models import Role
    client.force_login(make_user("aldre", (org.elderly_board, Role.BOARD_MEMBER)))
    assert client.get(download_url(workbook_world)).status_code == 404


def test_an_unknown_round_is_404(client, workbook_world, board_member):
    client.force_login(board_member)
    assert client.get(reverse("reporting:board-workbook", args=[999_999])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, workbook_world):
    response = client.get(download_url(workbook_world))
    assert response.status_code == 302 and "logga-in" in response["Location"]


# --- how the rows are written ------------------------------------------------------------------------

def _sheet_xml(path):
    """Each worksheet's XML in canonical form (the same document, however it was serialised)."""
    from lxml import etree
    with zipfile.ZipFile(path) as archive:
        return {name: etree.tostring(etree.fromstring(archive.read(name)), method="c14n")
                for name in archive.namelist() if name.startswith("xl/worksheets/sheet")}


def test_without_lxml_the_sheets_are_written_the_same(tmp_path, settings):
    """The rows go straight into the sheet's file when openpyxl writes with lxml; without lxml
    (openpyxl's pure-Python writer) they go through openpyxl's writer. Same sheets either way."""
    from reporting import benchmarking

    snapshot = benchmarking.synthetic_snapshot(benchmarking.BenchmarkSize(units=2, goals=2))
    follow_up = snapshot["goals"][0]["follow_ups"][0]
    follow_up.update(what_we_did="=SUM(A1:A2) & <b>\"citat\"</b> > 3", learning="  mellanslag  ",
                     next_step="rad 1\r\nrad 2\x07\tslut")
    source = tmp_path / "snapshot.json"
    source.write_text(json.dumps(snapshot), encoding="utf-8")
    script = ("import json, sys, django; django.setup(); import openpyxl; assert not openpyxl.LXML; "
              "from reporting.workbook import write_workbook; "
              "write_workbook(json.loads(open(sys.argv[1], encoding='utf-8').read()), sys.argv[2])")
    environment = {**os.environ, "OPENPYXL_LXML": "False", "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings")}
    subprocess.run([sys.executable, "-c", script, str(source), str(tmp_path / "plain.xlsx")], env=environment,
                   cwd=settings.BASE_DIR, check=True, timeout=300, capture_output=True)
    workbook.write_workbook(snapshot, tmp_path / "lxml.xlsx")

    plain, fast = _sheet_xml(tmp_path / "plain.xlsx"), _sheet_xml(tmp_path / "lxml.xlsx")
    assert len(fast) == len(workbook.FIXED_SHEETS) + 2
    assert plain == fast
    assert b"=SUM(A1:A2) &amp; &lt;b&gt;\"citat\"&lt;/b&gt; &gt; 3" in b"".join(fast.values())


def test_a_failed_export_leaves_no_sheet_file_open(monkeypatch, snapshot):
    def broken(*args, **kwargs):
        raise RuntimeError("a broken row")

    opened = []
    real_open = open

    def tracking_open(*args, **kwargs):
        handle = real_open(*args, **kwargs)
        opened.append(handle)
        return handle

    monkeypatch.setattr(workbook, "_cells", broken)
    monkeypatch.setattr("builtins.open", tracking_open)
    with pytest.raises(RuntimeError, match="a broken row"):
        workbook.write_workbook(snapshot, io.BytesIO())
    assert opened and all(handle.closed for handle in opened)


def test_characters_xml_cannot_hold_are_left_out(snapshot):
    follow_up = snapshot["goals"][0]["follow_ups"][0]
    follow_up["learning"] = "Före\ud800 och\ufffe efter\x0b"
    ws = read_workbook(render(snapshot))["Uppföljning"]
    assert find(ws, "Före och efter").data_type == "s"
