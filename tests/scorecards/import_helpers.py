"""A small organisation with indicators and scorecards for the import tests (on top of the
``org`` fixture of tests/conftest.py), and builders for files that look like real exports."""

import io
from types import SimpleNamespace

from governance.models import Period
from scorecards.models import (
    Frequency, Indicator, Mandate, MeasureUnit, Measurement, Scorecard, ScorecardIndicator,
)
from scorecards.status import Direction


def build_import_setup(org, year):
    """Scorecards 2026 for Familjebehandling (FAM-01) and Ekonomiskt bistånd (EKB-02) with:
    BUT-4M monthly (FAM-01), U31402 monthly with Kolada KPI U31402 (EKB-02), N31001 yearly with
    Kolada KPI N31001 (EKB-02), FAM-OWN an own tertial indicator of FAM-01."""
    family_card = Scorecard.objects.create(unit=org.family, year=year)
    income_card = Scorecard.objects.create(unit=org.income, year=year)
    but = Indicator.objects.create(name="Andel utredningar inom fyra månader", owner=org.administration,
                                   mandate=Mandate.REGULATOR, measure_unit=MeasureUnit.PERCENT,
                                   frequency=Frequency.MONTHLY, external_code="BUT-4M")
    wait = Indicator.objects.create(name="Väntetid till beslut", owner=org.board, mandate=Mandate.BOARD,
                                    direction=Direction.DECREASE, measure_unit=MeasureUnit.DAYS,
                                    frequency=Frequency.MONTHLY, external_code="U31402", kolada_kpi="U31402")
    cost = Indicator.objects.create(name="Kostnad ekonomiskt bistånd per invånare", owner=org.administration,
                                    mandate=Mandate.ADMINISTRATION, direction=Direction.DECREASE,
                                    measure_unit=MeasureUnit.SEK, frequency=Frequency.YEARLY, decimals=0,
                                    external_code="N31001", kolada_kpi="N31001")
    own = Indicator.objects.create(name="Förbättrad situation", owner=org.family, mandate=Mandate.OWN,
                                   measure_unit=MeasureUnit.PERCENT, frequency=Frequency.TERTIAL,
                                   external_code="FAM-OWN")
    ScorecardIndicator.objects.create(scorecard=family_card, indicator=but)
    ScorecardIndicator.objects.create(scorecard=family_card, indicator=own)
    ScorecardIndicator.objects.create(scorecard=income_card, indicator=wait)
    ScorecardIndicator.objects.create(scorecard=income_card, indicator=cost)
    return SimpleNamespace(family_card=family_card, income_card=income_card, but=but, wait=wait, cost=cost, own=own,
                           year=year)


def period(year, kind, number):
    return Period.objects.get(year__year=year, kind=kind, number=number)


def csv_bytes(lines, *, separator=";", encoding="utf-8-sig", newline="\r\n", trailing_blank_lines=2):
    text = newline.join(separator.join(cells) for cells in lines) + newline * (1 + trailing_blank_lines)
    return text.encode(encoding)


HEADER = ["enhet", "indikator", "period", "värde", "kommentar"]


def xlsx_bytes(rows, *, empty_last_rows=2):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for i in range(empty_last_rows):
        # An "empty" row as Excel leaves it: a cell with formatting but no value.
        sheet.cell(row=sheet.max_row + 1, column=1).number_format = "0,0"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measurement_count():
    return Measurement.objects.count()
