"""What the workbook benchmark (``manage.py benchmark_workbook``, docs/benchmarks.md) needs:
a synthetic board report snapshot of a given size, and the baselines the workbook is compared
with.

- ``synthetic_snapshot(size, seed=...)`` builds a snapshot of the shape ``reporting.snapshot``
  makes (and ``reporting.balance`` for the trust balance) for an organisation of ``size``:
  units, indicators per unit, months of values, follow-ups and activities per unit. It is the
  annual round (Verksamhetsberättelse), the largest pack a board gets. Texts are Swedish-ish
  and about as long as the ones units write; statuses come from the status rule
  (``scorecards.status``) and the evidence from the roll-up rules (``reporting.rules``), so
  the snapshot is consistent with itself. The same size and seed give the same snapshot.
  Nothing touches the database.
- ``read_cells`` reads a written workbook back (values, and optionally each cell's style);
  ``write_baseline`` writes those values again with openpyxl's write-only mode and nothing
  else (no styles, widths, heights, merges, filters, panes or pictures): the floor the workbook
  is compared with. ``write_styled_baseline`` writes the same values with the same cell
  styles, the way openpyxl documents it (a ``WriteOnlyCell`` whose font, fill, alignment and
  number format are set one by one).
- ``render_charts`` does the charts' share of the work (the status trend and its PNG for every
  political goal), so the benchmark can show it as the fixed cost it is.
"""

from __future__ import annotations

import datetime
import gc
import re
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from decimal import Decimal
from random import Random
from zoneinfo import ZoneInfo

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from reporting.balance import TOTAL_LABEL, UnitBalanceFigures, total, values_due_per_year
from reporting.rules import IndicatorEvidence, SelfAssessmentEvidence, goal_evidence
from reporting.snapshot import SCHEMA_VERSION
from reporting.workbook import (ACTIVITY_STATUS_WORDS, ASSESSMENT_WORDS, CHART_ORDER, MANDATE_WORDS, STATUS_WORDS,
                                StatusChartPainter, status_trend)
from scorecards.status import STATUS_COLOURS, indicator_status

__all__ = ["BenchmarkSize", "synthetic_snapshot", "describe", "read_cells", "count_cells", "write_baseline",
           "write_styled_baseline", "status_trends", "render_charts", "timed", "traced_peak", "rss_growth", "median"]

YEAR = 2026


@dataclass(frozen=True)
class BenchmarkSize:
    """The size of the organisation of one benchmark run. The defaults are a large city's
    social services: 500 units, each with 12 indicators valued every month of the year."""

    units: int = 500
    indicators_per_unit: int = 12
    months: int = 12
    follow_ups_per_unit: int = 6
    activities_per_unit: int = 5
    goals: int = 6
    years: int = 3  # the trust balance's trend

    def __post_init__(self):
        for name in ("units", "indicators_per_unit", "goals", "years"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1.")
        for name in ("follow_ups_per_unit", "activities_per_unit"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative.")
        if not 1 <= self.months <= 12:
            raise ValueError("months must be 1–12.")


# --- words ----------------------------------------------------------------------------------------

_WORDS = (
    "vi har under året arbetat med att stärka samverkan mellan enheterna och skolan kring barn i behov av "
    "stöd tidigt i processen genom gemensamma rutiner för anmälan utredning och uppföljning brukarna har "
    "fått fler möjligheter att påverka sina insatser medarbetarna har deltagit i utbildning om "
    "motiverande samtal och lågaffektivt bemötande handläggningstiden har minskat men variationen mellan "
    "teamen är fortfarande stor vi ser att kontinuiteten i hemtjänsten påverkar hur nöjda brukarna är "
    "antalet personal per brukare har minskat något sedan förra året introduktionen av nya medarbetare "
    "har förbättrats och personalomsättningen är lägre sjukfrånvaron har ökat under hösten dels på grund "
    "av infektioner dels på grund av hög arbetsbelastning i perioder vi behöver fortsätta arbetet med "
    "schemaläggning och bemanning för att klara helger och semestrar digitala verktyg som "
    "trygghetskameror och läkemedelsrobotar används i större utsträckning familjer har fått stöd i "
    "föräldraskapet genom grupper och enskilda samtal ungdomar har erbjudits feriearbete och "
    "fritidsaktiviteter i samarbete med föreningar kommunens uppdrag kräver att vi prioriterar "
    "myndighetsutövning och lagstadgade insatser resultatet i brukarundersökningen ligger i nivå med "
    "riket men under målvärdet nämnden får löpande information om avvikelser och klagomål "
    "lex sarah-rapporter har utretts och åtgärder har vidtagits uppföljningen visar att insatserna "
    "gör skillnad för den enskilde särskilt när de kommer tidigt"
).split()
_AREAS = ("Angered", "Bergsjön", "Biskopsgården", "Centrum", "Frölunda", "Gamlestaden", "Hisingen", "Högsbo",
          "Kortedala", "Kviberg", "Lundby", "Majorna", "Askim", "Torslanda", "Tynnered", "Örgryte", "Härlanda",
          "Linnéstaden", "Backa", "Kärra", "Styrsö", "Lärjedalen", "Västra Frölunda", "Sävenäs", "Guldheden",
          "Johanneberg", "Redbergslid", "Masthugget", "Eriksberg", "Tuve", "Säve", "Rannebergen", "Hammarkullen",
          "Näset", "Önnered", "Krokslätt", "Kålltorp", "Olskroken", "Slottsskogen", "Högsbotorp")
_UNIT_KINDS = ("Hemtjänst", "Vård- och omsorgsboende", "Barn och unga", "Familjebehandling", "Ekonomiskt bistånd",
               "Barnutredning", "Vuxenutredning", "Boendestöd", "Daglig verksamhet", "LSS-boende",
               "Mottagning barn och unga", "Missbruksvård", "Korttidsboende", "Hemsjukvård", "Träffpunkt",
               "Socialpsykiatri", "Familjehem", "Försörjningsstöd", "Mottagning vuxen", "Personlig assistans",
               "Ungdomsmottagning", "Våld i nära relation", "Arbetsmarknad", "Fältgruppen", "Öppenvård")
_TEAMS = ("Team Norr", "Team Söder", "Team Öst", "Team Väst", "Dag", "Natt", "Kväll och helg", "Mottagning",
          "Utredning", "Uppföljning")
# name, measure_unit, symbol, direction, decimals, frequency, low, high, target
_INDICATORS = (
    ("Andel brukare som är nöjda med bemötandet", "percent", "%", "increase", 1, "monthly", 70, 98, 90),
    ("Handläggningstid från ansökan till beslut", "days", "dagar", "decrease", 0, "monthly", 10, 60, 30),
    ("Antal personal som en hemtjänsttagare möter under 14 dagar", "count", "st", "decrease", 0, "monthly", 8, 24, 12),
    ("Andel utredningar som avslutas inom fyra månader", "percent", "%", "increase", 1, "monthly", 55, 100, 90),
    ("Sjukfrånvaro bland medarbetare", "percent", "%", "decrease", 1, "monthly", 4, 14, 7),
    ("Andel barn som fått insats inom en vecka efter beslut", "percent", "%", "increase", 1, "monthly", 60, 100, 85),
    ("Kostnad per brukare och månad", "ksek", "tkr", "target", 1, "monthly", 20, 42, 30),
    ("Andel genomförandeplaner som följts upp i tid", "percent", "%", "increase", 0, "monthly", 50, 100, 90),
    ("Antal avvikelser i läkemedelshanteringen", "count", "st", "decrease", 0, "monthly", 0, 12, 3),
    ("Väntetid till första samtal", "days", "dagar", "decrease", 0, "monthly", 1, 21, 7),
    ("Andel brukare som känner sig trygga i sitt boende", "percent", "%", "increase", 1, "tertial", 65, 98, 88),
    ("Personalomsättning", "percent", "%", "decrease", 1, "tertial", 5, 25, 12),
    ("Andel ärenden med aktuell vårdplan", "percent", "%", "increase", 1, "monthly", 60, 100, 95),
    ("Antal återaktualiseringar inom ett år", "count", "st", "decrease", 0, "tertial", 0, 30, 8),
    ("Medarbetarindex (HME)", "index", "", "increase", 0, "yearly", 65, 90, 80),
    ("Andel hushåll med ekonomiskt bistånd längre än tio månader", "percent", "%", "decrease", 1, "monthly",
     20, 55, 35),
    ("Budgetavvikelse", "ksek", "tkr", "target", 0, "monthly", -900, 900, 0),
    ("Andel brukare som har en fast kontaktperson", "percent", "%", "increase", 1, "monthly", 60, 100, 95),
)
_KOLADA = ("U21468", "U28532", "U28617", "N31807", "U33400", "N00002", "U23471", "U26413")
_POLITICAL_GOALS = (
    ("Barn och unga får rätt stöd i rätt tid", "Rätt stöd i rätt tid"),
    ("Äldre lever ett självständigt och tryggt liv", "Trygg ålderdom"),
    ("Fler invånare blir självförsörjande", "Egen försörjning"),
    ("Invånarna möter en tillgänglig och rättssäker socialtjänst", "Tillgänglighet"),
    ("Medarbetarna har en god arbetsmiljö och vill stanna", "Arbetsmiljö"),
    ("Verksamheten bedrivs inom given budget", "Ekonomi i balans"),
    ("Våld i nära relationer förebyggs och upptäcks tidigt", "Våld i nära relation"),
    ("Personer med funktionsnedsättning är delaktiga i samhället", "Delaktighet"),
)
_UNIT_GOALS = ("Vi ger stöd tidigt och nära", "Brukarna är delaktiga i sina insatser", "Vi har en stabil bemanning",
               "Vi håller budget", "Vi dokumenterar rättssäkert", "Vi samverkar med skola och vård",
               "Vi minskar väntetiderna", "Vi stärker kontinuiteten")
_MONTH_LABELS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class _Text:
    """Swedish-ish sentences of a wanted length, from a seeded Random."""

    def __init__(self, rnd):
        self.rnd = rnd

    def sentence(self):
        words = self.rnd.choices(_WORDS, k=self.rnd.randint(7, 18))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def text(self, low, high, *, empty=0.0, bullets=0.0):
        """A text of ``low``–``high`` characters; "" with probability ``empty``; now and then a list."""
        rnd = self.rnd
        if empty and rnd.random() < empty:
            return ""
        length = rnd.randint(low, high)
        bulleted = bullets and rnd.random() < bullets
        parts, size = [], 0
        while size < length:
            part = ("- " if bulleted else "") + self.sentence()
            parts.append(part)
            size += len(part) + 1
        return ("\n" if bulleted else " ").join(parts)[:max(length, 1)].rstrip() or "Text."

    def title(self, low, high):
        words, text = [], ""
        limit = self.rnd.randint(low, high)
        while len(text) < limit:
            words.append(self.rnd.choice(_WORDS))
            text = " ".join(words)
        return text[0].upper() + text[1:]


# --- the snapshot -------------------------------------------------------------------------------------

def _months(count):
    return [(f"{YEAR}-{m:02d}", f"{_MONTH_LABELS[m - 1]} {YEAR}") for m in range(1, count + 1)]


_PERIODS = {
    "monthly": _months(12),
    "tertial": [(f"{YEAR}-T{t}", f"T{t} {YEAR}") for t in (1, 2, 3)],
    "yearly": [(str(YEAR), str(YEAR))],
}
_PERIOD_LAST_MONTH = {"monthly": lambda code: int(code[5:]), "tertial": lambda code: 4 * int(code[6:]),
                      "yearly": lambda code: 12}


def _number_text(value, decimals):
    """The snapshot's way with numbers: an exact decimal string without trailing zeros."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _value(rnd, performance, direction, low, high, target):
    """A value for a unit that does this well: near the good end of the range when it does well."""
    quality = min(1.0, max(0.0, rnd.gauss(performance, 0.2)))
    if direction == "increase":
        return low + (high - low) * quality
    if direction == "decrease":
        return high - (high - low) * quality
    return target + rnd.choice((-1, 1)) * (1 - quality) * (high - low) * 0.5


def _self_assessment(rnd, performance):
    """Mostly what the numbers say; now and then none, too early, or more hopeful than the numbers
    (which the board report shows as a divergence)."""
    draw = rnd.random()
    if draw < 0.08:
        return None
    if draw < 0.14:
        return "too_early"
    if draw < 0.26:
        return "attained"
    if performance > 0.7:
        return "attained"
    return "partly" if performance > 0.4 else "not_attained"


def synthetic_snapshot(size: BenchmarkSize, *, seed: int = 2026) -> dict:
    """A board report snapshot of the annual round for an organisation of ``size``."""
    rnd = Random(f"{seed}:{size}")
    words = _Text(rnd)

    goal_count = size.goals
    political = []
    for number in range(1, goal_count + 1):
        title, short = _POLITICAL_GOALS[(number - 1) % len(_POLITICAL_GOALS)]
        if number > len(_POLITICAL_GOALS):
            short = f"{short} {number}"
            title = f"{title} ({number})"
        political.append({"id": number, "code": str(number), "title": title, "short_title": short,
                          "description": words.text(120, 420)})

    rows_of = {g["id"]: [] for g in political}
    follow_ups_of = {g["id"]: [] for g in political}
    activities_of = {g["id"]: [] for g in political}
    evidence_rows = {g["id"]: [] for g in political}
    evidence_assessments = {g["id"]: [] for g in political}
    balance_rows = []
    link_id = follow_up_id = activity_id = 0
    names_used = {}
    mandated_count = max(1, round(size.indicators_per_unit * 0.6))
    unit_goal_count = 4

    for unit_index in range(size.units):
        unit_id = 1000 + unit_index
        kind = _UNIT_KINDS[unit_index % len(_UNIT_KINDS)]
        base_name = f"{kind} {_AREAS[(unit_index // len(_UNIT_KINDS)) % len(_AREAS)]}"
        names_used[base_name] = names_used.get(base_name, 0) + 1
        unit_name = base_name if names_used[base_name] == 1 else f"{base_name} {names_used[base_name]}"
        unit = {"id": unit_id, "name": unit_name, "code": f"SOC-{unit_index + 1:04d}"}
        teams = rnd.sample(_TEAMS, rnd.randint(2, 4))
        # How well the unit does (0 bad, 1 good): its values and, mostly, its self-assessments follow it.
        performance = rnd.betavariate(5, 2)

        # The unit's scorecard goals, each serving one political goal (now and then two).
        unit_goals = []
        for goal_index in range(unit_goal_count):
            first = political[(unit_index + goal_index) % goal_count]["id"]
            serves = [first]
            if goal_count > 1 and rnd.random() < 0.1:
                serves.append(political[(unit_index + goal_index + 1) % goal_count]["id"])
            unit_goals.append((_UNIT_GOALS[(unit_index + goal_index) % len(_UNIT_GOALS)], serves))

        mandated = own = 0
        frequencies = []
        for indicator_index in range(size.indicators_per_unit):
            link_id += 1
            is_mandated = indicator_index < mandated_count
            template_index = (indicator_index if is_mandated else indicator_index + unit_index) % len(_INDICATORS)
            name, measure_unit, symbol, direction, decimals, frequency, low, high, target = _INDICATORS[template_index]
            if not is_mandated and indicator_index >= len(_INDICATORS):
                name = f"{name} ({words.title(8, 20).lower()})"
            mandate = rnd.choice(("board", "administration", "regulator")) if is_mandated else "own"
            mandated += is_mandated
            own += not is_mandated
            frequencies.append(frequency)
            target_max = None
            if direction == "target":
                target_max = target + (high - low) * 0.1
            yellow = None
            if direction == "increase" and rnd.random() < 0.3:
                yellow = target - (high - low) * 0.15
            series = []
            for code, label in _PERIODS[frequency]:
                value = None
                if _PERIOD_LAST_MONTH[frequency](code) <= size.months and rnd.random() > 0.04:
                    value = _number_text(_value(rnd, performance, direction, low, high, target), decimals)
                series.append({"period": label, "code": code, "value": value})
            judged = series[-1]
            status = indicator_status(value=None if judged["value"] is None else Decimal(judged["value"]),
                                      target=Decimal(str(target)), direction=direction,
                                      target_max=None if target_max is None else Decimal(str(target_max)),
                                      yellow_threshold=None if yellow is None else Decimal(str(yellow)),
                                      period_ended=True)
            scorecard_goal, serves = unit_goals[indicator_index % unit_goal_count]
            row = {
                "link_id": link_id,
                "indicator_id": template_index + 1 if is_mandated else 100_000 + link_id,
                "name": name,
                "unit": unit,
                "scorecard_goal": scorecard_goal,
                "mandate": {"code": mandate, "label": MANDATE_WORDS[mandate],
                            "source": rnd.choice(("SoL 3 kap. 3 §", "Nämndens mål- och resursplan",
                                                  "Förvaltningens ledningssystem", "IVO:s tillsyn"))
                            if is_mandated else ""},
                "mandated": is_mandated,
                "direction": direction,
                "measure": symbol,
                "measure_unit": measure_unit,
                "decimals": decimals,
                "frequency": frequency,
                "kolada_kpi": rnd.choice(_KOLADA) if is_mandated and rnd.random() < 0.5 else "",
                "external_code": f"IND-{template_index + 1:03d}",
                "target": {"value": _number_text(target, decimals),
                           "max": None if target_max is None else _number_text(target_max, decimals),
                           "yellow_threshold": None if yellow is None else _number_text(yellow, decimals),
                           "tolerance_percent": None, "unit_specific": rnd.random() < 0.2},
                "period": judged["period"],
                "value": judged["value"],
                "status": {"code": status.value, "label": STATUS_WORDS[status.value],
                           "colour": STATUS_COLOURS[status]},
                "analysis": words.text(40, 320, empty=0.55),
                "series": series,
            }
            for goal_id in serves:
                rows_of[goal_id].append(row)
                evidence_rows[goal_id].append(IndicatorEvidence(mandated=is_mandated, status=status, unit_id=unit_id))

        with_text = 0
        for index in range(size.follow_ups_per_unit):
            follow_up_id += 1
            scorecard_goal, serves = unit_goals[index % unit_goal_count]
            team = rnd.choice(teams) if rnd.random() < 0.4 else None
            assessment = _self_assessment(rnd, performance)
            follow_up = {
                "id": follow_up_id, "unit": unit_name, "team": team, "goal": scorecard_goal,
                "what_we_did": words.text(150, 700, bullets=0.2),
                "effect_for_citizens": words.text(100, 450, empty=0.1),
                "learning": words.text(80, 350, empty=0.2),
                "next_step": words.text(60, 250, empty=0.1, bullets=0.1),
                "self_assessment": ({"code": assessment, "label": ASSESSMENT_WORDS[assessment]}
                                    if assessment else None),
                "state": {"code": "approved", "label": "Godkänd"},
                "has_text": True,
            }
            with_text += 1
            for goal_id in serves:
                follow_ups_of[goal_id].append(follow_up)
                evidence_assessments[goal_id].append(SelfAssessmentEvidence(assessment=assessment, unit_id=unit_id))

        by_teams = 0
        for index in range(size.activities_per_unit):
            activity_id += 1
            served = [unit_goals[index % unit_goal_count]]
            if rnd.random() < 0.25:
                served.append(unit_goals[(index + 1) % unit_goal_count])
            start = datetime.date(YEAR - rnd.randint(0, 1), rnd.randint(1, 12), 1)
            end = None if rnd.random() < 0.4 else datetime.date(YEAR + rnd.randint(0, 1), rnd.randint(1, 12), 28)
            by_teams += rnd.random() < 0.6
            activity = {
                "id": activity_id, "team": rnd.choice(teams), "unit": unit_name,
                "title": words.title(18, 70),
                "description": words.text(80, 400, empty=0.05),
                "expected_citizen_value": words.text(40, 220, empty=0.15),
                "status": {"code": (code := rnd.choice(("planned", "ongoing", "ongoing", "ongoing", "done", "paused"))),
                           "label": ACTIVITY_STATUS_WORDS[code]},
                "start_date": start.isoformat(),
                "end_date": end.isoformat() if end else None,
                "goals": [title for title, _ in served],
                "latest_update": ({"date": datetime.date(YEAR, rnd.randint(1, 12), rnd.randint(1, 28)).isoformat(),
                                   "text": words.text(40, 300)} if rnd.random() < 0.7 else None),
            }
            for goal_id in dict.fromkeys(g for _, serves in served for g in serves):
                activities_of[goal_id].append(activity)

        hours = Decimal(rnd.randint(20, 400)) / 2
        current = UnitBalanceFigures(
            mandated_indicators=mandated, own_indicators=own, values_due_per_year=values_due_per_year(frequencies),
            follow_ups=size.follow_ups_per_unit + rnd.randint(0, 2) * (size.follow_ups_per_unit > 0),
            follow_ups_with_text=with_text, activities=size.activities_per_unit, activities_by_teams=by_teams,
            reporting_hours=hours)
        trend = []
        for year in range(YEAR - size.years + 1, YEAR + 1):
            if year == YEAR:
                figures = current
            else:
                follow_ups = rnd.randint(0, max(1, size.follow_ups_per_unit + 2))
                activities = rnd.randint(0, max(1, size.activities_per_unit))
                figures = UnitBalanceFigures(
                    mandated_indicators=mandated + rnd.randint(0, 3), own_indicators=max(0, own - rnd.randint(0, 2)),
                    values_due_per_year=values_due_per_year(frequencies) + rnd.randint(0, 24),
                    follow_ups=follow_ups, follow_ups_with_text=rnd.randint(0, follow_ups),
                    activities=activities, activities_by_teams=rnd.randint(0, activities),
                    reporting_hours=None if rnd.random() < 0.1 else Decimal(rnd.randint(20, 400)) / 2)
            trend.append((year, figures))
        balance_rows.append((unit_name, unit_id, current, trend))

    goals = []
    for goal in political:
        goal_id = goal["id"]
        evidence = goal_evidence(indicators=evidence_rows[goal_id], self_assessments=evidence_assessments[goal_id])
        assessment = rnd.choice(("attained", "partly", "partly", "not_attained"))
        goals.append({
            **goal,
            "assessment": {"code": assessment, "label": ASSESSMENT_WORDS[assessment], "text": words.text(200, 700)},
            "evidence": evidence.as_dict(),
            "suggested_assessment": (None if evidence.suggested_assessment is None else
                                     {"code": evidence.suggested_assessment.value,
                                      "label": ASSESSMENT_WORDS[evidence.suggested_assessment.value]}),
            "indicators": rows_of[goal_id],
            "follow_ups": follow_ups_of[goal_id],
            "units": list(dict.fromkeys(row["unit"]["name"] for row in rows_of[goal_id])),
            "activities": activities_of[goal_id],
        })

    balance = [_balance_row(name, unit_id, figures, trend) for name, unit_id, figures, trend in balance_rows]
    years = [year for year, _ in balance_rows[0][3]]
    balance.append(_balance_row(TOTAL_LABEL, None, total(row[2] for row in balance_rows),
                                [(year, total(row[3][index][1] for row in balance_rows))
                                 for index, year in enumerate(years)]))

    return {
        "schema": SCHEMA_VERSION,
        "generated_at": f"{YEAR + 1}-02-10T09:30:00+00:00",
        "board": {"id": 1, "name": "Socialnämnden"},
        "round": {"id": 1, "name": f"Verksamhetsberättelse {YEAR}", "deadline": f"{YEAR + 1}-02-01",
                  "period": {"label": str(YEAR), "code": str(YEAR), "start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}},
        "report": {"id": 1, "version_number": 1, "state": "adopted", "state_label": "Fastställd",
                   "summary": words.text(900, 1800), "adopted_on": f"{YEAR + 1}-02-24", "minute_paragraph": "§ 17",
                   "previous_id": None},
        "goals": goals,
        "balance": balance,
    }


def _balance_row(name, unit_id, figures, trend):
    return {"unit": name, "unit_id": unit_id, "is_total": unit_id is None, **figures.as_dict(),
            "trend": [{"year": year, **year_figures.as_dict()} for year, year_figures in trend]}


def describe(snapshot) -> dict:
    """What a snapshot holds, counted the way the workbook's sheets list it (once each)."""
    return {
        "goals": len(snapshot["goals"]),
        "indicator_rows": len({row["link_id"] for goal in snapshot["goals"] for row in goal["indicators"]}),
        "follow_ups": len({f["id"] for goal in snapshot["goals"] for f in goal["follow_ups"]}),
        "activities": len({a["id"] for goal in snapshot["goals"] for a in goal["activities"]}),
        "balance_rows": len(snapshot["balance"]),
    }


# --- reading back and the baselines -------------------------------------------------------------------

def _plain(value):
    # A date comes back as a datetime at midnight; written again as a date it is the same cell.
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def read_cells(path, *, styles=False):
    """The sheets of the workbook at ``path`` as ``[(title, rows)]``, each row a list of its
    values (None for an empty cell). With ``styles`` each value is ``(value, style index)`` and
    a list of the distinct styles comes back too: ``(sheets, styles)``."""
    book = load_workbook(path, read_only=True)
    try:
        sheets = []
        if not styles:
            for worksheet in book.worksheets:
                rows = []
                for row in worksheet.iter_rows(values_only=True):
                    rows.append([_plain(value) for value in row])
                sheets.append((worksheet.title, rows))
            return sheets
        known, style_list = {}, []
        for worksheet in book.worksheets:
            rows = []
            for row in worksheet.iter_rows():
                items = []
                for cell in row:
                    value = getattr(cell, "value", None)
                    if value is None:
                        items.append(None)
                        continue
                    style_id = getattr(cell, "_style_id", 0)
                    index = known.get(style_id)
                    if index is None:
                        index = known[style_id] = len(style_list)
                        style_list.append(_style_of(cell) if style_id else {})
                    items.append((_plain(value), index))
                rows.append(items)
            sheets.append((worksheet.title, rows))
        return sheets, style_list
    finally:
        book.close()


def _style_of(cell):
    array = cell.style_array
    style = {}
    if array.fontId:
        style["font"] = cell.font
    if array.fillId:
        style["fill"] = cell.fill
    if array.borderId:
        style["border"] = cell.border
    if array.alignmentId:
        style["alignment"] = cell.alignment
    if array.numFmtId:
        style["number_format"] = cell.number_format
    if array.quotePrefix:
        style["quotePrefix"] = True
    return style


def count_cells(sheets) -> int:
    """How many cells hold a value (``read_cells``' rows, with or without styles)."""
    return sum(1 for _, rows in sheets for row in rows for item in row if item is not None)


def write_baseline(sheets, output):
    """openpyxl alone: a write-only workbook with the same sheets and cell values, appended row by
    row as plain values. No styles, widths, row heights, merges, filters, panes or pictures."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        worksheet = workbook.create_sheet(title=title)
        for row in rows:
            worksheet.append(row)
    workbook.save(output)
    return output


def write_styled_baseline(sheets, styles, output):
    """The same values with the same cell styles (font, fill, alignment, number format, quote
    prefix), set on each ``WriteOnlyCell`` the way openpyxl documents it. Still no widths,
    heights, merges, filters, panes or pictures."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        worksheet = workbook.create_sheet(title=title)
        for row in rows:
            cells = []
            for item in row:
                if item is None:
                    cells.append(None)
                    continue
                value, index = item
                cell = WriteOnlyCell(worksheet, value=value)
                for attribute, style in styles[index].items():
                    setattr(cell, attribute, style)
                cells.append(cell)
            worksheet.append(cells)
    workbook.save(output)
    return output


def _chart_inputs(snapshot):
    period = snapshot["round"]["period"]
    end = datetime.date.fromisoformat(period["end"])
    generated = datetime.datetime.fromisoformat(snapshot["generated_at"])
    return end, generated.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def status_trends(snapshot):
    """The numbers behind the charts: each political goal's status month by month, worked out from
    every one of its indicators' values (so this part grows with the number of indicator rows)."""
    end, as_of = _chart_inputs(snapshot)
    return [status_trend(goal, year=end.year, last_month=end.month, as_of=as_of)
            for goal in snapshot["goals"] if goal.get("indicators")]


def render_charts(snapshot):
    """The charts' share of ``write_workbook``: each political goal's status trend and its PNG,
    one after another, as the workbook draws them. Returns how many charts were drawn."""
    end, as_of = _chart_inputs(snapshot)
    words = {"green": STATUS_WORDS["met"], "yellow": STATUS_WORDS["partly"], "red": STATUS_WORDS["not_met"],
             "grey": STATUS_WORDS["missing"]}
    drawn = 0
    painter = None  # one painter for all the goals, made with the first chart, as the workbook does
    for goal in snapshot["goals"]:
        if not goal.get("indicators"):
            continue
        trend = status_trend(goal, year=end.year, last_month=end.month, as_of=as_of)
        assert all(set(counts) == set(CHART_ORDER) for _, counts in trend)
        painter = painter or StatusChartPainter(words)
        painter.render(trend, title=f"Mätetalens status månad för månad – {goal['short_title']}")
        drawn += 1
    return drawn


# --- measuring ----------------------------------------------------------------------------------------

def median(values):
    return statistics.median(values) if values else None


def cpus_and_load():
    """The CPUs this process may use and the load average as text ("n/a" where the platform
    has none), for the first line of every benchmark's output."""
    import os

    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cpus = os.cpu_count()
    try:
        load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "n/a"
    return cpus, load


def timed(function):
    """(wall seconds, CPU seconds of this process) of one call."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def traced_peak(function) -> int:
    """The peak of memory allocated by Python during one call (tracemalloc), in bytes; what was
    allocated before the call (the snapshot, the rows to write) does not count."""
    gc.collect()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


_STATUS = "/proc/self/status"


def _proc_kb(field_name):
    with open(_STATUS) as status:
        match = re.search(rf"^{field_name}:\s+(\d+) kB", status.read(), re.MULTILINE)
    return int(match.group(1)) * 1024 if match else None


def _trim():
    """Give memory that is free but still resident back to the system (glibc only), so that what
    an earlier run left behind does not hide this run's growth."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def rss_growth(function):
    """How far the resident set rose above where it stood before one call, in bytes (all memory,
    C libraries included). Linux: the peak (VmHWM) is reset before the call through
    /proc/self/clear_refs. Elsewhere ``resource.getrusage``'s ru_maxrss, which only shows growth
    beyond the process's earlier peak. None when neither is available."""
    gc.collect()
    _trim()
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        before = _proc_kb("VmRSS")
    except OSError:
        before = None
    if before is not None:
        function()
        peak = _proc_kb("VmHWM")
        return None if peak is None else max(0, peak - before)
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        function()
        return None
    scale = 1 if sys.platform == "darwin" else 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    function()
    return max(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale - before)
