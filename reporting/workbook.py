"""The board workbook (nämndens arbetsbok, docs/architecture.md §7): one ``.xlsx`` per board and round that a
board secretary can print and a board member can read without help.

The workbook is rendered from a board report *snapshot* (``reporting.snapshot``) and from nothing
else: an adopted report exports its frozen ``BoardReport.snapshot``, any other report the snapshot
of live data. The renderer never touches the database, so an adopted report exports the same
cell content every time, whatever happens to goals, indicators or values later.

Sheets: Översikt, one sheet per political goal (named after its short title), Mätetal,
Uppföljning, Aktiviteter, Styrningsbalans.

Decisions (where docs/architecture.md is silent):

- **Write-only mode.** Rows stream to temporary files, so memory does not grow with the number of
  rows written. Column widths and frozen panes go before the first row, so each sheet is generated
  twice from the snapshot: once to measure (widths, where the tables are), once to write.
- **Speed.** A large city's pack has about a million cells. openpyxl makes a ``Cell`` per value
  and writes it element by element through lxml, several microseconds a cell; here the rows of
  a sheet are written as XML text straight into the sheet's file (``_RowStream``), the same XML
  openpyxl writes (inline strings, style ids, number types, byte for byte with lxml, as the
  tests check), with everything before and after the rows (widths, panes, filters, merges,
  links, print setup, pictures) left to openpyxl. Each style is built once on a template cell
  and cells refer to its id. The charts of one export share one matplotlib figure
  (``StatusChartPainter``). The benchmark (``manage.py benchmark_workbook``) compares the whole
  pack with openpyxl writing the same values on its own.
- **Row heights.** Excel and LibreOffice do not reliably fit a row to wrapped text when they open
  a file (LibreOffice never does when it prints), so a row that needs more than one line gets a
  height estimated from its text and the column widths, on the generous side.
- **Text is text.** Every string is written as a string cell: openpyxl would otherwise turn
  ``=SUM(A1:A2)`` into a formula and ``#N/A`` into an error value. Text that begins with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return also gets Excel's *quote prefix*, so it
  stays literal even when someone edits the cell later. Characters that XML cannot hold are
  removed; text longer than a cell can hold is cut with "…".
- **Numbers are numbers**, with locale-independent format codes (``#,##0.0``): Excel and
  LibreOffice show them with the reader's separators (``1 234,5`` in Swedish). Percent
  indicators hold percent points (78.5 means 78.5 %), so they get a plain number format and the
  unit of measure stands in its own column ("Mått") beside the values; the shares in the trust
  balance are fractions and get a percent format. Dates are dates (``yyyy-mm-dd``).
- **Status is a word and a fill**, never colour alone. The board pack is a Swedish document, so
  its words (statuses, assessments, mandates, activity statuses) are Swedish constants here,
  looked up by the code the snapshot froze, like the headings: every export, and its legend, then
  say the same whatever language the snapshot was made in. The snapshot's own word is used only
  for a code this module does not know.
- **A goal sheet** lists the values of the round's own periods (May–August and T2 in the T2
  round); the months before are in its chart and on the sheet Mätetal, which has every period of
  the year up to the round. Keeping the goal sheets narrow keeps them readable on paper.
- **The goal sheet's chart** shows how many of the goal's indicators were met, partly met, not
  met or missing month by month through the round, judged with the status rule
  (``scorecards.status``) from the snapshot's values and targets (a value counts from the month
  its period ends). Its numbers are written under it as a table: the chart's text alternative.
  Drawn with a matplotlib ``Figure`` on the Agg canvas, never pyplot (no global state); one
  figure per export, redrawn for each goal.
- **Sheet names** come from the goals' short titles: characters Excel forbids are removed, the
  name is cut to 31 characters, and a name already taken (Excel compares without case, and the
  fixed sheets count) gets " (2)", " (3)" …
- Document properties: title, creator "Tillit", and *created* = the snapshot's time, so the same
  report carries the same date every time it is exported.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from numbers import Number
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.text import slugify
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file
from openpyxl.worksheet.properties import PageSetupProperties

from governance import scope
from governance.periods import parse_period_code
from reporting.balance import trust_balance
from reporting.evidence import latest_board_report
from reporting.snapshot import build_snapshot
from scorecards.status import STATUS_COLOURS, Direction, Status, indicator_status

__all__ = ["CONTENT_TYPE", "write_workbook", "workbook_filename", "goal_sheet_names", "status_trend",
           "render_status_chart", "StatusChartPainter", "export_snapshot", "FIXED_SHEETS"]

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

OVERVIEW, METRICS, FOLLOW_UPS = "Översikt", "Mätetal", "Uppföljning"
ACTIVITIES, BALANCE = "Aktiviteter", "Styrningsbalans"
FIXED_SHEETS = (OVERVIEW, METRICS, FOLLOW_UPS, ACTIVITIES, BALANCE)

# --- words --------------------------------------------------------------------------------------------

STATUS_WORDS = {
    "met": "Uppnått", "partly": "Delvis", "not_met": "Ej uppnått", "missing": "Saknas",
    "no_target": "Målvärde saknas", "not_due": "Ej aktuell",
}
STATUS_MEANINGS = {
    "met": "Mätetalet når målvärdet.",
    "partly": "Under målvärdet men inom toleransen.",
    "not_met": "Utanför toleransen.",
    "missing": "Inget värde för en period som har gått ut.",
    "no_target": "Ett värde finns, men inget målvärde.",
    "not_due": "Perioden har inte gått ut ännu.",
}
ASSESSMENT_WORDS = {"attained": "Uppnått", "partly": "Delvis uppnått", "not_attained": "Ej uppnått",
                    "too_early": "För tidigt att bedöma"}
ASSESSMENT_COLOURS = {"attained": "green", "partly": "yellow", "not_attained": "red", "too_early": "grey"}
NOT_GIVEN = "Ej angiven"
DIVERGENCE_WORDS = {"numbers_worse": "siffrorna är sämre än bedömningen",
                    "words_worse": "bedömningen är sämre än siffrorna"}
DIRECTION_WORDS = {"increase": "Högre är bättre", "decrease": "Lägre är bättre", "target": "Nära målet är bättre"}
FREQUENCY_WORDS = {"monthly": "Månad", "tertial": "Tertial", "yearly": "År"}
MANDATE_WORDS = {"board": "Nämnden", "administration": "Förvaltningen", "regulator": "Lag eller tillsyn",
                 "own": "Eget"}
ACTIVITY_STATUS_WORDS = {"planned": "Planerad", "ongoing": "Pågående", "done": "Klar", "paused": "Pausad",
                         "cancelled": "Avbruten"}
REPORT_STATE_WORDS = {"draft": "Utkast", "ready": "Klar för nämnden", "adopted": "Fastställd"}
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]

# --- looks ------------------------------------------------------------------------------------------

# Fill and ink per status colour: the light fills with dark text that Excel's own "Good",
# "Neutral" and "Bad" styles use, readable on screen and on a black-and-white print.
FILLS = {
    "green": ("C6EFCE", "006100"),
    "yellow": ("FFEB9C", "7A4500"),
    "red": ("FFC7CE", "9C0006"),
    "grey": ("E0E0E0", "262626"),
}
HEADER_FILL = "DCE6F1"
DIVERGENCE_FILL = "FCE4D6"
CHART_COLOURS = {"green": "#1a7f37", "yellow": "#d4a72c", "red": "#cf222e", "grey": "#8c959f"}
CHART_HATCHES = {"green": "", "yellow": "//", "red": "xx", "grey": ".."}
CHART_ORDER = ("green", "yellow", "red", "grey")
CHART_WIDTH_INCHES, CHART_HEIGHT_INCHES, CHART_DPI = 7.0, 3.0, 100
ROW_HEIGHT_PX = 20  # Excel's default row (15 pt)

MAX_CELL_TEXT = 32_000  # Excel's limit is 32 767 characters; leave room for "…"
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
DEFAULT_WIDTH_CAP = 50
MIN_WIDTH = 6
HEADER_WIDTH = 22  # headers wrap, so they ask for no more than this

# Characters XML cannot hold: control characters (openpyxl's list), lone surrogates, U+FFFE and U+FFFF.
_UNWRITABLE = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ud800-\udfff\ufffe\uffff]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_NUMBER_FORMATS = {0: "#,##0"}


def _number_format(decimals):
    decimals = max(0, min(int(decimals or 0), 6))
    return _NUMBER_FORMATS.get(decimals) or "#,##0." + "0" * decimals


def _style_specs():
    top = dict(vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    specs = {
        "text": {"alignment": wrap},
        "paragraph": {"alignment": wrap},
        "bold": {"font": Font(bold=True), "alignment": wrap},
        "label": {"font": Font(bold=True), "alignment": wrap},
        "italic": {"font": Font(italic=True), "alignment": wrap},
        "plain": {"alignment": Alignment(**top)},
        "plain-bold": {"font": Font(bold=True), "alignment": Alignment(**top)},
        "note": {"font": Font(italic=True), "alignment": Alignment(**top)},
        "title": {"font": Font(bold=True, size=14)},
        "heading": {"font": Font(bold=True, size=12)},
        "header": {"font": Font(bold=True), "fill": header_fill, "alignment": wrap},
        "group": {"font": Font(bold=True), "fill": header_fill,
                  "alignment": Alignment(horizontal="center", vertical="top")},
        "vheader": {"font": Font(bold=True), "fill": header_fill, "alignment": _ROTATED},
        "link": {"font": Font(color="0563C1", underline="single"), "alignment": Alignment(**top)},
        "int": {"number_format": "#,##0", "alignment": Alignment(**top)},
        "int-bold": {"number_format": "#,##0", "font": Font(bold=True), "alignment": Alignment(**top)},
        "share": {"number_format": "0.0%", "alignment": Alignment(**top)},
        "share-bold": {"number_format": "0.0%", "font": Font(bold=True), "alignment": Alignment(**top)},
        "hours": {"number_format": "#,##0.0", "alignment": Alignment(**top)},
        "hours-bold": {"number_format": "#,##0.0", "font": Font(bold=True), "alignment": Alignment(**top)},
        "date": {"number_format": "yyyy-mm-dd", "alignment": Alignment(horizontal="left", **top)},
        "divergence": {"font": Font(bold=True), "fill": PatternFill("solid", fgColor=DIVERGENCE_FILL),
                       "alignment": wrap},
    }
    for decimals in range(7):
        specs[f"num{decimals}"] = {"number_format": _number_format(decimals), "alignment": Alignment(**top)}
    for colour, (fill, ink) in FILLS.items():
        font, pattern = Font(color=ink, bold=True), PatternFill("solid", fgColor=fill)
        specs[f"status:{colour}"] = {"font": font, "fill": pattern, "alignment": wrap}
        specs[f"header:{colour}"] = {"font": font, "fill": pattern, "alignment": wrap}
        specs[f"vheader:{colour}"] = {"font": font, "fill": pattern, "alignment": _ROTATED}
    specs["status:none"] = {"font": Font(bold=True), "alignment": wrap}
    specs["header:none"] = specs["header"]
    return specs


_ROTATED = Alignment(text_rotation=90, wrap_text=True, horizontal="center", vertical="bottom")
# Styles that overflow into the next cells instead of widening their column.
_UNMEASURED = {"title", "heading", "note", "plain", "plain-bold", "group", "paragraph"}
_MEASURED_TEXT = {"text", "bold", "label", "italic", "link", "divergence",
                  *(f"status:{colour}" for colour in ("green", "yellow", "red", "grey", "none"))}
# Styles whose text does not wrap (so never makes a row taller).
_NO_WRAP = {"title", "heading", "note", "plain", "plain-bold", "group", "link"}
# Rows holding these styles get a fixed height (points).
_FIXED_HEIGHTS = {"title": 22, "heading": 18, "vheader": 104,
                  **{f"vheader:{colour}": 104 for colour in ("green", "yellow", "red", "grey", "none")}}
LINE_HEIGHT = 15  # points per line of 11-point text
MAX_ROW_HEIGHT = 409  # Excel's limit
DEFAULT_COLUMN_WIDTH = 8.43
WIDTH_TO_CHARACTERS = 1.1  # a column width counts digits; ordinary text is a little narrower


# --- values -----------------------------------------------------------------------------------------

def clean_text(value) -> str:
    """A string a cell can hold: no characters XML forbids, line breaks as \\n, cut to fit."""
    text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[:MAX_CELL_TEXT] + "…"
    return text


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number(value):
    """A snapshot number (an exact decimal string) as an int or float for the cell; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:  # the usual shapes, "78.5" and "90", the quick way
            number = float(value) if "." in value else int(value)
        except ValueError:
            pass
        else:
            return number if math.isfinite(number) else None
    number = _decimal(value)
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _datetime(value):
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def _local(moment):
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)) if moment else None


def _period_end(code):
    """The last day of a period from its code (2026, 2026-T2, 2026-05); None if unreadable."""
    try:
        year, kind, number = parse_period_code(code)
    except (ValueError, TypeError):
        return None
    month = {"month": number, "tertial": 4 * number, "year": 12}[kind]
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_month - datetime.timedelta(days=1)


def _period_sort_key(code, label):
    try:
        year, kind, number = parse_period_code(code)
    except (ValueError, TypeError):
        return (1, 0, 0, 0, str(label))
    month = {"month": number, "tertial": 4 * number, "year": 12}[kind]
    return (0, year, month, {"month": 0, "tertial": 1, "year": 2}[kind], str(label))


def _word(words, choice):
    """The Swedish word for a snapshot's {"code": ..., "label": ...}; its own label for an unknown code."""
    choice = choice or {}
    return words.get(choice.get("code")) or choice.get("label") or choice.get("code") or ""


def _status_word(status):
    return _word(STATUS_WORDS, status)


def _status_colour(status):
    status = status or {}
    if status.get("colour") in FILLS or status.get("colour") == "none":
        return status["colour"]
    try:
        return STATUS_COLOURS[Status(status.get("code"))]
    except ValueError:
        return "none"


def _assessment_word(assessment):
    if not assessment or not assessment.get("code"):
        return ""
    return _word(ASSESSMENT_WORDS, assessment)


def _assessment_item(assessment, empty=""):
    if not assessment or not assessment.get("code"):
        return (empty, "text") if empty else None
    return (_assessment_word(assessment), f"status:{ASSESSMENT_COLOURS.get(assessment['code'], 'none')}")


def _status_item(status):
    if not status:
        return None
    return (_status_word(status), f"status:{_status_colour(status)}")


def _goal_heading(goal):
    code, title = goal.get("code"), goal.get("title") or ""
    return f"{code}. {title}" if code else title


def _join(values):
    return ", ".join(str(v) for v in values if v)


# --- sheet names ------------------------------------------------------------------------------------

def _safe_sheet_name(text):
    name = _SHEET_NAME_FORBIDDEN.sub("", str(text or "")).strip().strip("'").strip()
    name = name[:31].strip().strip("'").strip()
    if name.casefold() == "history":  # Excel reserves it
        name = "History (mål)"
    return name


def goal_sheet_names(goals, taken=FIXED_SHEETS):
    """One unique, valid sheet name per goal, from its short title (else "Mål <code>")."""
    used = {name.casefold() for name in taken}
    names = []
    for goal in goals:
        base = (_safe_sheet_name(goal.get("short_title")) or _safe_sheet_name(f"Mål {goal.get('code') or ''}".strip())
                or "Mål")
        name, number = base, 1
        while name.casefold() in used:
            number += 1
            suffix = f" ({number})"
            name = base[:31 - len(suffix)].rstrip() + suffix
        used.add(name.casefold())
        names.append(name)
    return names


# --- the chart ----------------------------------------------------------------------------------------

def status_trend(goal, *, year, last_month, as_of, default_tolerance_percent=None):
    """How many of ``goal``'s indicators (snapshot rows) had each status colour at the end of each
    month 1..``last_month`` of ``year``: ``[(month, {"green": n, "yellow": n, "red": n, "grey": n})]``.

    An indicator takes the status of its latest period that has ended by the end of the month
    (a per-tertial indicator counts from April); a period without a value is missing if it had
    ended by ``as_of`` (the snapshot's date). Indicators with nothing yet are left out that month.
    """
    if default_tolerance_percent is None:
        default_tolerance_percent = getattr(settings, "TILLIT_DEFAULT_TOLERANCE_PERCENT", 10)
    months = list(range(1, max(0, min(last_month, 12)) + 1))
    counts = {month: dict.fromkeys(CHART_ORDER, 0) for month in months}
    judged = {}  # the same value against the same target is judged once (up to a bound on memory)
    ends = {}
    for row in goal.get("indicators", []):
        target = row.get("target") or {}
        try:
            direction = Direction(row.get("direction"))
        except ValueError:  # an unknown direction: nothing to judge
            continue
        rule = dict(target=_decimal(target.get("value")), direction=direction, target_max=_decimal(target.get("max")),
                    yellow_threshold=_decimal(target.get("yellow_threshold")),
                    tolerance_percent=_decimal(target.get("tolerance_percent")),
                    default_tolerance_percent=default_tolerance_percent)
        rule_key = (target.get("value"), target.get("max"), target.get("yellow_threshold"),
                    target.get("tolerance_percent"), direction)
        points = []
        for point in row.get("series", []):
            code = point.get("code")
            end = ends[code] if code in ends else ends.setdefault(code, _period_end(code))
            if end is None or end.year != year:
                continue
            key = (point.get("value"), end < as_of, rule_key)
            colour = judged.get(key)
            if colour is None:
                status = indicator_status(value=_decimal(point.get("value")), period_ended=end < as_of, **rule)
                colour = STATUS_COLOURS[status]
                if len(judged) < 10_000:
                    judged[key] = colour
            points.append((end.month, colour))
        points.sort()
        index, current = 0, None
        for month in months:
            while index < len(points) and points[index][0] <= month:
                current = points[index][1]
                index += 1
            if current in counts[month]:
                counts[month][current] += 1
    return [(month, counts[month]) for month in months]


class StatusChartPainter:
    """Draws status trend charts (stacked bars: how many indicators had each status at the end of
    each month) as PNG bytes, one after another on the same ``Figure``.

    A figure, its axes, ticks and legend cost more to make than the bars to draw, so the
    workbook makes one painter per export and redraws only the bars, the months and the title
    for each goal. A painter belongs to one export (one thread); nothing is shared between
    exports, and nothing goes through pyplot. Each colour's bars are one collection, not a patch
    per bar."""

    BAR_WIDTH = 0.8

    def __init__(self, words):
        self.figure = Figure(figsize=(CHART_WIDTH_INCHES, CHART_HEIGHT_INCHES), dpi=CHART_DPI)
        FigureCanvasAgg(self.figure)
        self.figure.subplots_adjust(left=0.08, right=0.76, top=0.86, bottom=0.12)
        axes = self.axes = self.figure.add_subplot()
        axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        axes.tick_params(axis="both", labelsize=8)
        axes.set_ylabel("Antal mätetal", fontsize=9)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        # Colour and hatch: the statuses can be told apart on a black-and-white print too.
        handles = [Patch(facecolor=CHART_COLOURS[colour], hatch=CHART_HATCHES[colour] or None, edgecolor="white",
                         linewidth=0.5, label=words[colour]) for colour in CHART_ORDER]
        axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
        self.empty = axes.text(0.5, 0.5, "Inga värden ännu", transform=axes.transAxes, ha="center", va="center")
        self.bars = []
        self.months = None

    def render(self, trend, *, title):
        axes = self.axes
        for bars in self.bars:
            bars.remove()
        self.bars = []
        half = self.BAR_WIDTH / 2
        bottoms = [0] * len(trend)
        for colour in CHART_ORDER:
            boxes = []
            for position, (_month, counts) in enumerate(trend):
                height, bottom = counts[colour], bottoms[position]
                if height:
                    boxes.append(((position - half, bottom), (position + half, bottom),
                                  (position + half, bottom + height), (position - half, bottom + height)))
                    bottoms[position] = bottom + height
            if boxes:
                bars = PolyCollection(boxes, facecolors=CHART_COLOURS[colour], edgecolors="white", linewidths=0.5,
                                      hatch=CHART_HATCHES[colour] or None)
                axes.add_collection(bars, autolim=False)
                self.bars.append(bars)
        months = [month for month, _ in trend]
        if months != self.months:
            axes.set_xticks(range(len(months)), [MONTHS[month - 1] for month in months])
            self.months = months
        span = max(1, len(trend)) - 1 + self.BAR_WIDTH
        axes.set_xlim(-half - 0.05 * span, len(trend) - 1 + half + 0.05 * span)
        axes.set_ylim(0, max(1, max(bottoms, default=0)) * 1.05)
        axes.set_title(title, loc="left", fontsize=10)
        self.empty.set_visible(not any(bottoms))
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()


def render_status_chart(trend, *, title, words):
    """The trend as a stacked bar chart, PNG bytes, on a painter of its own."""
    return StatusChartPainter(words).render(trend, title=title)


# --- sheets as blocks of rows ---------------------------------------------------------------------------
# A row is a list of items; an item is None (an empty cell) or (value, style) or
# (value, style, link_location). Blocks are generated twice (measure, write), so a table's
# rows come from a function that makes a fresh iterator each time.

@dataclass
class Lines:
    rows: list


@dataclass
class Table:
    headers: list  # [(text, header style)]
    rows: object  # a callable returning an iterable of rows
    filter: bool = False
    groups: tuple = ()  # ((text, first column, last column), ...): a merged row above the headers
    caps: dict = field(default_factory=dict)  # header text → width cap


@dataclass
class Paragraph:
    """A label and a long text merged across the columns to its right, its height worked out."""

    label: str
    text: str
    last_column: int = 0  # 0: as wide as the sheet's first table


@dataclass
class Picture:
    png: bytes
    rows: int


@dataclass
class SheetSpec:
    title: str
    blocks: list
    freeze: str = "table"  # "table": below the filtered table's header; or a cell such as "A2"
    freeze_column: int = 1
    print_rows: str = "table"  # "table": the filtered table's header row; or "1:1"
    caps: dict = field(default_factory=dict)  # column number → width cap
    widths: dict = field(default_factory=dict)  # column number → fixed width
    gridlines: bool = True


@dataclass
class _Layout:
    widths: dict = field(default_factory=dict)
    filter_header: int | None = None
    filter_last_row: int | None = None
    filter_columns: int = 0
    table_columns: int = 0


class _Styles:
    """Every style is built once, on a template cell; a cell then refers to the template's style id
    (see ``_cells``)."""

    def __init__(self, worksheet):
        self._specs = _style_specs()
        self._worksheet = worksheet
        self._styles = {}
        self.known = {}  # style name → style, without the quote prefix: the common case, looked up quickly

    def get(self, key, quote=False):
        style = self._styles.get((key, quote))
        if style is None:
            cell = Cell(self._worksheet, row=1, column=1)
            for attribute, value in self._specs[key].items():
                setattr(cell, attribute, value)
            if quote:
                cell.quotePrefix = True
            style = self._styles[(key, quote)] = (cell._style, cell.style_id)
            if not quote:
                self.known[key] = style
        return style


def _measure(value, style):
    if value is None or style in _UNMEASURED or style.startswith("vheader"):
        return 0
    if isinstance(value, str):
        if "\n" in value:
            return max(len(line) for line in value.split("\n"))
        return len(value)
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(str(value))


def _header_width(text):
    longest_word = max((len(word) for word in text.split()), default=0)
    return max(longest_word, min(len(text), HEADER_WIDTH)) + 1  # the filter button


def _characters(width):
    """How many characters of ordinary text fit on one line of a column ``width`` wide (an
    estimate on the safe side: a little more room than needed rather than cut text)."""
    return max(1, int(width * WIDTH_TO_CHARACTERS) - 1)


def _lines(text, per_line):
    """How many lines ``text`` takes in a wrapping cell that holds ``per_line`` characters a line."""
    if len(text) <= per_line and "\n" not in text:
        return 1
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def _iter_block_rows(block):
    if isinstance(block, Lines):
        yield from block.rows
    elif isinstance(block, Table):
        if block.groups:
            group_row = [None] * len(block.headers)
            for text, first, _last in block.groups:
                group_row[first - 1] = (text, "group")
            yield group_row
        yield list(block.headers)
        yield from block.rows()
    elif isinstance(block, Paragraph):
        yield [(block.label, "label"), (block.text, "paragraph")]
    elif isinstance(block, Picture):
        yield from ([] for _ in range(block.rows))


def _plan(spec):
    layout = _Layout()
    widths = defaultdict(int)
    caps = dict(spec.caps)
    row_number = 0
    for block in spec.blocks:
        first = row_number + 1
        for row in _iter_block_rows(block):
            row_number += 1
            for column, item in enumerate(row, 1):
                if item is None:
                    continue
                value, style = item[0], item[1]
                kind = type(value)
                if kind is str and "\n" not in value and style in _MEASURED_TEXT:
                    width = len(value)  # the usual cases, the quick way
                elif (kind is float or kind is int) and -1000 < value < 1000:
                    width = len(repr(value)) + 1
                elif style.startswith("header"):
                    width = _header_width(str(value))
                else:
                    width = _measure(value, style)
                if width > widths[column]:
                    widths[column] = width
        if isinstance(block, Table):
            layout.table_columns = max(layout.table_columns, len(block.headers))
            for column, (text, _style) in enumerate(block.headers, 1):
                if text in block.caps:
                    caps[column] = block.caps[text]
            if block.filter and layout.filter_header is None:
                layout.filter_header = first + (1 if block.groups else 0)
                layout.filter_last_row = row_number
                layout.filter_columns = len(block.headers)
    for column, width in widths.items():
        layout.widths[column] = max(MIN_WIDTH, min(caps.get(column, DEFAULT_WIDTH_CAP), width + 2))
    layout.widths.update(spec.widths)
    return layout


def _write_sheet(workbook, spec, shared, before_close=None):
    """Write one sheet of ``spec`` and close it; ``before_close(worksheet)`` may add what openpyxl
    writes after the rows (headers and footers)."""
    worksheet = workbook.create_sheet(title=spec.title)
    styles = shared.setdefault("styles", _Styles(worksheet))
    layout = _plan(spec)

    # Everything that goes out before the first row: widths, panes, the sheet's properties.
    for column, width in sorted(layout.widths.items()):
        worksheet.column_dimensions[get_column_letter(column)].width = round(width, 1)
    header_row = layout.filter_header
    if spec.freeze == "table":
        if header_row is not None:
            worksheet.freeze_panes = f"{get_column_letter(spec.freeze_column)}{header_row + 1}"
    elif spec.freeze:
        worksheet.freeze_panes = spec.freeze
    _print_setup(worksheet, spec)

    characters = defaultdict(lambda: _characters(DEFAULT_COLUMN_WIDTH),
                             {column: _characters(width) for column, width in layout.widths.items()})
    stream = _RowStream(worksheet)
    try:
        row_number = 0
        for block in spec.blocks:
            if isinstance(block, Picture):
                image = Image(io.BytesIO(block.png))
                image.anchor = f"A{row_number + 1}"
                worksheet.add_image(image)
            merge_to = 0
            if isinstance(block, Paragraph):
                merge_to = max(3, block.last_column or layout.table_columns or 2)
            for row in _iter_block_rows(block):
                row_number += 1
                if merge_to:
                    width = sum(layout.widths.get(c, DEFAULT_COLUMN_WIDTH) for c in range(2, merge_to + 1))
                    height = max(_lines(row[0][0], characters[1]),
                                 _lines(clean_text(row[1][0]), _characters(width))) * LINE_HEIGHT + 3
                    worksheet.merged_cells.add(f"B{row_number}:{get_column_letter(merge_to)}{row_number}")
                elif isinstance(block, Table) and block.groups and row[0] is None and any(
                        item and item[1] == "group" for item in row):
                    for _text, first, last in block.groups:
                        if last > first:
                            worksheet.merged_cells.add(
                                f"{get_column_letter(first)}{row_number}:{get_column_letter(last)}{row_number}")
                    height = None
                else:
                    height = None
                cells, lines = _cells(worksheet, styles, row, row_number, characters)
                if lines:
                    height = height or (lines if lines < 0 else lines * LINE_HEIGHT + 3)
                stream.row(row_number, min(MAX_ROW_HEIGHT, abs(height)) if height else None, cells)

        if header_row is not None:
            last_column = get_column_letter(max(1, layout.filter_columns))
            worksheet.auto_filter.ref = f"A{header_row}:{last_column}{layout.filter_last_row}"
        if spec.print_rows == "table":
            if header_row is not None:
                worksheet.print_title_rows = f"{header_row}:{header_row}"
        elif spec.print_rows:
            worksheet.print_title_rows = spec.print_rows
        if before_close is not None:
            before_close(worksheet)
        stream.close()
    finally:
        stream.discard()
    return worksheet


class _RowStream:
    """The rows of one write-only sheet, written as XML straight into the sheet's file.

    openpyxl makes a ``Cell`` per value and writes it element by element through lxml's
    incremental writer, several microseconds a cell; this writes the same XML (``<row>``, ``<c>``
    with its reference, style, type and value, texts as inline strings) as text, in batches.
    Everything around the rows is openpyxl's own: ``write_top`` (properties, views, widths)
    before, and the worksheet's ``close`` (filter, merges, links, print setup, drawing) after.

    The sheet's file is opened here and handed to openpyxl's ``WorksheetWriter``, which writes
    through lxml's ``xmlfile``; its buffer is flushed before the rows go into the same file.
    Without lxml (openpyxl's ``xmlfile`` then has no ``flush``), each row is parsed back into an
    element and written through ``xmlfile`` instead: slower, the same XML.
    """

    BATCH = 500  # rows gathered before they go to the file

    def __init__(self, worksheet):
        self.worksheet = worksheet
        path = create_temporary_file()
        self.file = open(path, "wb")  # noqa: SIM115 - closed in close() or discard()
        self.parts = []
        self.heights = {}
        try:
            writer = WorksheetWriter(worksheet, out=self.file)
            writer.out = path  # where the workbook's writer picks the sheet up (and removes it afterwards)
            worksheet._writer = writer
            writer.write_top()
            self.xf = writer.xf.send(True)
            self.raw = hasattr(self.xf, "flush")
            if self.raw:
                self.xf.flush()
                self.file.write(b"<sheetData>")
            else:
                self.sheet_data = self.xf.element("sheetData")
                self.sheet_data.__enter__()
        except BaseException:
            self.discard()
            raise
        self.writer = writer

    def row(self, number, height, cells):
        """Row ``number`` with ``cells`` (their XML), ``height`` points tall (None: the default)."""
        attributes = ""
        if height:
            attributes = self.heights.get(height)
            if attributes is None:
                attributes = self.heights[height] = "".join(
                    f' {name}="{value}"' for name, value in RowDimension(self.worksheet, index=1, ht=height))
        self.parts.append(f'<row r="{number}"{attributes}>{"".join(cells)}</row>')
        if len(self.parts) >= self.BATCH:
            self._flush()

    def _flush(self):
        if self.raw:
            # As lxml writes it: ASCII, everything else as a character reference.
            self.file.write("".join(self.parts).encode("ascii", "xmlcharrefreplace"))
        else:
            for part in self.parts:
                self.xf.write(_parse_xml(part))
        self.parts.clear()

    def close(self):
        self._flush()
        if self.raw:
            self.file.write(b"</sheetData>")
        else:
            self.sheet_data.__exit__(None, None, None)
        self.writer.xf.send(None)
        # The rows are written: the worksheet's close writes what follows them, not the rows again.
        self.worksheet._rows = (row for row in ())
        self.worksheet.close()
        self.file.close()

    def discard(self):
        if not self.file.closed:
            self.file.close()


def _parse_xml(text):
    from xml.etree.ElementTree import fromstring  # only without lxml
    return fromstring(text)


_LETTERS = ["", *(get_column_letter(column) for column in range(1, 703))]
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _text_cell(reference, style_id, text):
    if "&" in text or "<" in text or ">" in text:
        text = text.translate(_XML_ESCAPES)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{reference}" s="{style_id}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _number_text(value):
    """A number as openpyxl writes it (``safe_string``): 16 significant digits, nothing when not finite."""
    return "%.16g" % value if math.isfinite(value) else ""


def _cells(worksheet, styles, row, row_number, characters):
    """The cells of one row as XML, and how tall the row must be: the number of lines its wrapped
    text needs (0 for one line), or minus a fixed height in points for a title, heading or
    rotated header.

    Excel and LibreOffice do not reliably fit a row to wrapped text when they open a file (and
    LibreOffice never does when it prints), so every row taller than one line gets its height."""
    cells = []
    lines = 0
    known = styles.known
    number = str(row_number)
    for column, item in enumerate(row, 1):
        if item is None:
            continue
        value, style = item[0], item[1]
        reference = (_LETTERS[column] if column < len(_LETTERS) else get_column_letter(column)) + number
        kind = type(value)
        if kind is str:
            if "\r" in value or len(value) > MAX_CELL_TEXT or _UNWRITABLE.search(value):
                value = clean_text(value)
            # A text is always a text ("inlineStr"), even when it starts with "=": never a formula.
            risky = value.startswith(RISKY_STARTS)
            style_id = (styles.get(style, True) if risky else known.get(style) or styles.get(style))[1]
            cells.append(_text_cell(reference, style_id, value))
            if style in _FIXED_HEIGHTS:
                lines = -_FIXED_HEIGHTS[style]
            elif lines >= 0 and style not in _NO_WRAP and (len(value) > characters[column] or "\n" in value):
                lines = max(lines, _lines(value, characters[column]))
        else:
            style_id = (known.get(style) or styles.get(style))[1]
            if kind is int or kind is float:
                cells.append(f'<c r="{reference}" s="{style_id}" t="n"><v>{_number_text(value)}</v></c>')
            elif kind is bool:
                cells.append(f'<c r="{reference}" s="{style_id}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (datetime.date, datetime.datetime)):
                if getattr(value, "tzinfo", None) is not None:
                    raise TypeError("Excel has no time zones: write a naive date or time.")
                serial = to_excel(value, worksheet.parent.epoch)
                cells.append(f'<c r="{reference}" s="{style_id}" t="n"><v>{_number_text(serial)}</v></c>')
            elif isinstance(value, Number):
                cells.append(f'<c r="{reference}" s="{style_id}" t="n"><v>{_number_text(float(value))}</v></c>')
            else:
                cells.append(_text_cell(reference, style_id, clean_text(value)))
        if len(item) > 2 and item[2]:
            worksheet._hyperlinks.append(Hyperlink(ref=reference, location=item[2]))
    return cells, lines


def _print_setup(worksheet, spec):
    setup = worksheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = 9  # A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as needed
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.print_options.gridLines = spec.gridlines
    worksheet.page_margins.left = worksheet.page_margins.right = 0.4
    worksheet.page_margins.top = worksheet.page_margins.bottom = 0.75


# --- the report ------------------------------------------------------------------------------------

class _Report:
    """The snapshot with what several sheets need worked out once."""

    def __init__(self, snapshot):
        self.snapshot = snapshot
        self.board = snapshot.get("board") or {}
        self.round = snapshot.get("round") or {}
        self.report = snapshot.get("report")
        self.goals = list(snapshot.get("goals") or [])
        self.balance = list(snapshot.get("balance") or [])
        self.generated_at = _datetime(snapshot.get("generated_at"))
        self.sheet_names = goal_sheet_names(self.goals)
        self._painter = None
        period = self.round.get("period") or {}
        self.period_start = _date(period.get("start"))
        self.period_end = _date(period.get("end")) or (_period_end(period.get("code")) if period.get("code") else None)
        # "Today" for the chart is the day the snapshot was made, never the day of the export.
        self.as_of = (_local(self.generated_at).date() if self.generated_at
                      else self.period_end or datetime.date.today())

    def chart_painter(self):
        """The painter of this export's charts, made on first use."""
        if self._painter is None:
            self._painter = StatusChartPainter(self.colour_words())
        return self._painter

    @staticmethod
    def status_word(code):
        return STATUS_WORDS[code]

    @staticmethod
    def assessment_word(code):
        return ASSESSMENT_WORDS[code]

    def colour_words(self):
        """The chart's and the count columns' words for the four colours."""
        return {"green": self.status_word("met"), "yellow": self.status_word("partly"),
                "red": self.status_word("not_met"), "grey": self.status_word("missing")}

    @property
    def adopted(self):
        return bool(self.report and self.report.get("state") == "adopted")

    def state_text(self):
        report = self.report
        if not report:
            return "Ingen nämndrapport upprättad ännu: aktuella uppgifter"
        state = report.get("state")
        word = REPORT_STATE_WORDS.get(state) or report.get("state_label") or state or ""
        if state == "adopted":
            parts = [f"{word} av nämnden"]
            if report.get("adopted_on"):
                parts.append(str(report["adopted_on"]))
            text = " ".join(parts)
            if report.get("minute_paragraph"):
                text += f", {report['minute_paragraph']}"
            return text
        return word

    def version_text(self):
        report = self.report
        if not report or ((report.get("version_number") or 1) == 1 and not report.get("previous_id")):
            return ""
        text = f"Version {report.get('version_number') or 1}"
        if report.get("previous_id"):
            text += " (rättar en tidigare version)"
        return text

    def basis_text(self):
        moment = _local(self.generated_at)
        when = moment.strftime("%Y-%m-%d %H:%M") if moment else ""
        if self.adopted:
            return f"Ögonblicksbild sparad när rapporten fastställdes ({when}). Senare ändringar påverkar den inte."
        return f"Aktuella uppgifter {when}. Rapporten är inte fastställd och kan ändras."

    def round_text(self):
        name = self.round.get("name") or ""
        label = (self.round.get("period") or {}).get("label") or ""
        return f"{name} ({label})" if label and label not in name else name

    def title(self):
        return f"Målrapport {self.round.get('name') or ''} – {self.board.get('name') or ''}".strip(" –")

    def unit_names(self, goal):
        names = {}
        for row in goal.get("indicators", []):
            unit = row.get("unit") or {}
            if unit.get("id") is not None:
                names[unit["id"]] = unit.get("name") or ""
        return names

    def divergence_text(self, goal):
        divergences = (goal.get("evidence") or {}).get("divergences") or []
        if not divergences:
            return "Nej"
        names = self.unit_names(goal)
        parts = []
        for divergence in divergences:
            unit_id = divergence.get("unit_id")
            where = "Målet som helhet" if unit_id is None else names.get(unit_id, "En enhet")
            parts.append(f"{where}: {DIVERGENCE_WORDS.get(divergence.get('kind'), divergence.get('kind') or '')}")
        return "Ja – " + "; ".join(parts)

    def period_columns(self, rows, *, within_round=False):
        """[(code, label)] of the periods with a column, in time order (months before the tertial
        they end, tertials before the year). ``within_round``: only periods inside the round's."""
        labels = {}
        for row in rows:
            for point in row.get("series", []):
                code = point.get("code") or point.get("period")
                if code not in labels:
                    labels[code] = point.get("period") or code
        if within_round and self.period_start and self.period_end:
            labels = {code: label for code, label in labels.items()
                      if (end := _period_end(code)) is None or self.period_start <= end <= self.period_end}
        return sorted(labels.items(), key=lambda item: _period_sort_key(item[0], item[1]))


def _colour_counts(counts):
    counts = counts or {}
    return {
        "green": counts.get("met", 0), "yellow": counts.get("partly", 0), "red": counts.get("not_met", 0),
        "grey": counts.get("missing", 0) + counts.get("no_target", 0),
    }


def _counts_text(counts, words):
    colours = _colour_counts(counts)
    return ", ".join(f"{colours[c]} {words[c].lower()}" for c in CHART_ORDER)


def _assessment_counts_text(report, counts):
    counts = counts or {}
    parts = [f"{counts.get(code, 0)} {report.assessment_word(code).lower()}" for code in ASSESSMENT_WORDS]
    parts.append(f"{counts.get('not_given', 0)} {NOT_GIVEN.lower()}")
    return ", ".join(parts)


def _overview(report):
    words = report.colour_words()
    state = report.state_text()
    if report.version_text():
        state += f" · {report.version_text()}"
    blocks = [Lines([
        [(report.title(), "title")],
        [("Nämnd", "label"), (report.board.get("name") or "", "plain")],
        [("Omgång", "label"), (report.round_text(), "plain")],
        [("Status", "label"), (state, "plain-bold")],
        [("Underlag", "label"), (report.basis_text(), "plain")],
    ])]
    if report.report and (report.report.get("summary") or "").strip():
        blocks.append(Paragraph("Sammanfattning", report.report["summary"]))
    blocks.append(Lines([[]]))

    count_columns = [(words[c], f"vheader:{c}") for c in CHART_ORDER]
    headers = ([("Politiskt mål", "header"), ("Samlad bedömning", "header"), ("Motivering", "header")]
               + count_columns + count_columns
               + [(report.assessment_word(code), f"vheader:{ASSESSMENT_COLOURS[code]}") for code in ASSESSMENT_WORDS]
               + [(NOT_GIVEN, "vheader"), ("Avvikelse mellan siffror och ord", "header"), ("Blad", "header")])
    groups = (("Styrande mätetal", 4, 7), ("Egna mätetal", 8, 11), ("Självskattningar", 12, 16))

    def goal_rows():
        for goal, sheet in zip(report.goals, report.sheet_names):
            evidence = goal.get("evidence") or {}
            assessment = goal.get("assessment") or {}
            row = [(_goal_heading(goal), "text"),
                   _assessment_item(assessment, empty="Ingen bedömning ännu"),
                   (assessment["text"], "text") if assessment.get("text") else None]
            for key in ("mandated", "own"):
                colours = _colour_counts(evidence.get(key))
                row += [(colours[c], "int") for c in CHART_ORDER]
            self_assessments = evidence.get("self_assessments") or {}
            row += [(self_assessments.get(code, 0), "int") for code in ASSESSMENT_WORDS]
            row.append((self_assessments.get("not_given", 0), "int"))
            divergence = report.divergence_text(goal)
            row.append((divergence, "divergence" if evidence.get("divergences") else "text"))
            # The link has a column of its own: LibreOffice does not wrap a cell that holds a link.
            row.append((sheet, "link", f"{quote_sheetname(sheet)}!A1"))
            yield row
        if not report.goals:
            yield [("Inga politiska mål gäller för omgångens år.", "note")]

    blocks.append(Table(headers, goal_rows, filter=True, groups=groups))

    legend = [[], [("Teckenförklaring", "heading")], [("Mätetalens status", "label")]]
    for code in ("met", "partly", "not_met", "missing", "no_target", "not_due"):
        legend.append([(report.status_word(code), f"status:{STATUS_COLOURS[Status(code)]}"),
                       (STATUS_MEANINGS[code], "plain")])
    legend.append([("Bedömning och självskattning", "label")])
    for code, word in ASSESSMENT_WORDS.items():
        meaning = "Det går ännu inte att bedöma målet." if code == "too_early" else f"Målet är {word.lower()}."
        legend.append([(report.assessment_word(code), f"status:{ASSESSMENT_COLOURS[code]}"), (meaning, "plain")])
    legend += [
        [("Avvikelse", "divergence"),
         ("Siffrorna och självskattningarna skiljer sig två steg eller mer: frågor nämnden kan ställa.", "plain")],
        [("Styrande mätetal", "label"), ("Krävs av nämnden, förvaltningen eller lag och tillsyn.", "plain")],
        [("Egna mätetal", "label"), ("Valda av enheterna själva.", "plain")],
        [("Räkningen", "label"),
         (f"Kolumnerna \"{words['grey']}\" räknar både saknade värden och värden utan målvärde.", "plain")],
    ]
    blocks.append(Lines(legend))
    widths = {column: 5.5 for column in range(4, 17)}
    return SheetSpec(title=OVERVIEW, blocks=blocks, caps={1: 36, 2: 18, 3: 42, 17: 32, 18: 24}, widths=widths)


def _metric_headers(rows, periods, *, extended):
    has_max = any((r.get("target") or {}).get("max") not in (None, "") for r in rows)
    has_yellow = any((r.get("target") or {}).get("yellow_threshold") not in (None, "") for r in rows)
    headers = [("Enhet", "header"), ("Mätetal", "header")]
    if extended:
        headers += [("Enhetskod", "header"), ("Politiska mål", "header"), ("Enhetens mål", "header")]
    headers += [("Mandat", "header")]
    if extended:
        headers += [("Krav från", "header"), ("Kolada", "header"), ("Frekvens", "header")]
    headers += [("Mått", "header"), ("Riktning", "header"), ("Målvärde", "header")]
    if has_max:
        headers.append(("Målvärde, övre", "header"))
    if has_yellow:
        headers.append(("Gul gräns", "header"))
    headers += [(label, "header") for _, label in periods]
    headers += [("Bedömd period", "header"), ("Värde", "header"), ("Status", "header"), ("Analys", "header")]
    return headers, has_max, has_yellow


METRIC_CAPS = {"Enhet": 28, "Mätetal": 45, "Enhetskod": 12, "Politiska mål": 10, "Enhetens mål": 36,
               "Mandat": 18, "Krav från": 24, "Kolada": 10, "Frekvens": 10, "Mått": 8, "Riktning": 16,
               "Status": 16, "Analys": 45}


def _metric_row(row, periods, *, has_max, has_yellow, goal_codes=None):
    target = row.get("target") or {}
    number_style = f"num{max(0, min(int(row.get('decimals') or 0), 6))}"
    values = {point.get("code") or point.get("period"): point.get("value") for point in row.get("series", [])}
    unit = row.get("unit") or {}
    items = [(unit.get("name") or "", "text"), (row.get("name") or "", "text")]
    if goal_codes is not None:
        items += [(unit["code"], "text") if unit.get("code") else None,
                  (goal_codes, "text") if goal_codes else None,
                  (row["scorecard_goal"], "text") if row.get("scorecard_goal") else None]
    mandate = row.get("mandate") or {}
    items.append((_word(MANDATE_WORDS, mandate), "text"))
    if goal_codes is not None:
        items += [(mandate["source"], "text") if mandate.get("source") else None,
                  (row["kolada_kpi"], "text") if row.get("kolada_kpi") else None,
                  (FREQUENCY_WORDS.get(row.get("frequency"), row.get("frequency") or ""), "text")]
    items += [(row["measure"], "text") if row.get("measure") else None,
              (DIRECTION_WORDS.get(row.get("direction"), row.get("direction") or ""), "text"),
              _numeric(target.get("value"), number_style)]
    if has_max:
        items.append(_numeric(target.get("max"), number_style))
    if has_yellow:
        items.append(_numeric(target.get("yellow_threshold"), number_style))
    items += [_numeric(values.get(code), number_style) for code, _ in periods]
    items += [(row["period"], "text") if row.get("period") else None, _numeric(row.get("value"), number_style),
              _status_item(row.get("status")), (row["analysis"], "text") if row.get("analysis") else None]
    return items


def _numeric(value, style):
    number = _number(value)
    return None if number is None else (number, style)


def _goal_sheet(report, goal, sheet_name):
    words = report.colour_words()
    evidence = goal.get("evidence") or {}
    assessment = goal.get("assessment") or {}
    heading = _goal_heading(goal)
    top = [[(heading, "title")]]
    if (goal.get("description") or "").strip():
        top.append([("Beskrivning", "label"), (goal["description"], "text")])
    top += [
        [("Samlad bedömning", "label"), _assessment_item(assessment, empty="Ingen bedömning ännu")],
        [("Motivering", "label"), (assessment["text"], "text") if assessment.get("text") else None],
        [("Styrande mätetal", "label"), (_counts_text(evidence.get("mandated"), words), "text")],
        [("Egna mätetal", "label"), (_counts_text(evidence.get("own"), words), "text")],
        [("Självskattningar", "label"), (_assessment_counts_text(report, evidence.get("self_assessments")), "text")],
        [("Avvikelse", "label"),
         (report.divergence_text(goal), "divergence" if evidence.get("divergences") else "text")],
        [],
    ]
    blocks = [Lines(top)]

    indicators = goal.get("indicators") or []
    if indicators and report.period_end:
        trend = status_trend(goal, year=report.period_end.year, last_month=report.period_end.month, as_of=report.as_of)
        title = f"Mätetalens status månad för månad – {goal.get('short_title') or heading}"[:90]
        png = report.chart_painter().render(trend, title=title)
        rows = math.ceil(CHART_HEIGHT_INCHES * CHART_DPI / ROW_HEIGHT_PX) + 1
        chart_table = [[("Diagrammets underlag: antal mätetal med varje status i slutet av månaden", "note")],
                       [("Månad", "header")] + [(words[c], f"header:{c}") for c in CHART_ORDER]]
        for month, counts in trend:
            chart_table.append([(f"{MONTHS[month - 1]} {report.period_end.year}", "text")]
                               + [(counts[c], "int") for c in CHART_ORDER])
        chart_table.append([])
        blocks += [Lines([[("Utveckling under året", "heading")]]), Picture(png, rows), Lines(chart_table)]

    blocks.append(Lines([[("Mätetal", "heading")]]))
    if indicators:
        # The round's own periods; the rest of the year is in the chart and on the sheet Mätetal.
        periods = report.period_columns(indicators, within_round=True)
        headers, has_max, has_yellow = _metric_headers(indicators, periods, extended=False)
        blocks.append(Table(headers, lambda: (_metric_row(r, periods, has_max=has_max, has_yellow=has_yellow)
                                              for r in indicators), filter=True, caps=METRIC_CAPS))
    else:
        blocks.append(Lines([[("Inga mätetal är kopplade till målet.", "note")]]))

    follow_ups = goal.get("follow_ups") or []
    lines = [[], [("Uppföljning från enheter och team", "heading")]]
    if not follow_ups:
        lines.append([("Inga godkända uppföljningar.", "note")])
    for follow_up in follow_ups:
        lines.append([(_join([follow_up.get("unit"), follow_up.get("team")]), "bold"),
                      (follow_up.get("goal") or "", "bold"),
                      _assessment_item(follow_up.get("self_assessment"), empty=f"Självskattning: {NOT_GIVEN.lower()}")])
        for key, label in FOLLOW_UP_TEXTS:
            if (follow_up.get(key) or "").strip():
                lines.append([(label, "label"), (follow_up[key], "text")])
        lines.append([])
    blocks.append(Lines(lines))

    activities = goal.get("activities") or []
    activity_lines = [[("Aktiviteter", "heading")]]
    if not activities:
        activity_lines.append([("Inga aktiviteter.", "note")])
    else:
        activity_lines.append([("Team", "header"), ("Aktivitet", "header"), ("Status", "header"),
                               ("Start", "header"), ("Slut", "header")])
        for activity in activities:
            activity_lines.append([(activity.get("team") or "", "text"), (activity.get("title") or "", "text"),
                                   (_word(ACTIVITY_STATUS_WORDS, activity.get("status")), "text"),
                                   _date_item(activity.get("start_date")), _date_item(activity.get("end_date"))])
            latest = activity.get("latest_update") or {}
            if (latest.get("text") or "").strip():
                activity_lines.append([None, (f"Senaste uppdatering {latest.get('date') or ''}: {latest['text']}",
                                              "italic")])
    blocks.append(Lines(activity_lines))

    return SheetSpec(title=sheet_name, blocks=blocks, freeze="A2", print_rows="1:1", caps={1: 28, 2: 50, 3: 22})


FOLLOW_UP_TEXTS = (("what_we_did", "Vad vi gjorde"), ("effect_for_citizens", "Effekt för invånarna"),
                   ("learning", "Vad vi lärde oss"), ("next_step", "Nästa steg"))


def _date_item(value):
    date = _date(value)
    return None if date is None else (date, "date")


class _UniqueRows:
    """The snapshot lists a thing once per goal it serves; the sheets list it once, with its goals:
    ``(item, "1, 3")`` pairs, as often as they are iterated. Kept small, since it indexes every
    indicator, follow-up or activity of the snapshot: a thing that serves one goal shares that
    goal's code string, and the pairs are made as they are read."""

    def __init__(self, report, key):
        self.first = {}
        self.codes = {}
        for goal in report.goals:
            code = str(goal.get("code") or goal.get("short_title") or "")
            for item in goal.get(key) or []:
                identity = item.get("link_id") if key == "indicators" else item.get("id")
                if identity is None:
                    identity = id(item)
                codes = self.codes.get(identity)
                if codes is None:
                    self.first[identity] = item
                    self.codes[identity] = code
                elif code not in codes.split(", "):
                    self.codes[identity] = f"{codes}, {code}"

    def __iter__(self):
        codes = self.codes
        return ((item, codes[identity]) for identity, item in self.first.items())

    def __len__(self):
        return len(self.first)


def _unique_rows(report, key):
    return _UniqueRows(report, key)


def _metrics_sheet(report):
    rows = _unique_rows(report, "indicators")
    indicators = [row for row, _ in rows]
    periods = report.period_columns(indicators)
    headers, has_max, has_yellow = _metric_headers(indicators, periods, extended=True)

    def body():
        if not rows:
            yield [("Inga mätetal.", "note")]
        for row, goal_codes in rows:
            yield _metric_row(row, periods, has_max=has_max, has_yellow=has_yellow, goal_codes=goal_codes)

    return SheetSpec(title=METRICS, blocks=[Table(headers, body, filter=True, caps=METRIC_CAPS)], freeze_column=3)


def _follow_ups_sheet(report):
    rows = _unique_rows(report, "follow_ups")
    headers = [(h, "header") for h in ("Politiska mål", "Enhet", "Team", "Mål")]
    headers += [(label, "header") for _, label in FOLLOW_UP_TEXTS] + [("Självskattning", "header")]

    def body():
        if not rows:
            yield [None, ("Inga godkända uppföljningar.", "note")]
        for follow_up, goal_codes in rows:
            yield ([(goal_codes, "text"), (follow_up.get("unit") or "", "text"),
                    (follow_up["team"], "text") if follow_up.get("team") else None,
                    (follow_up.get("goal") or "", "text")]
                   + [(follow_up[key], "text") if follow_up.get(key) else None for key, _ in FOLLOW_UP_TEXTS]
                   + [_assessment_item(follow_up.get("self_assessment"), empty=NOT_GIVEN)])

    caps = {"Politiska mål": 10, "Enhet": 24, "Team": 22, "Mål": 32, "Självskattning": 16}
    caps.update({label: 45 for _, label in FOLLOW_UP_TEXTS})
    return SheetSpec(title=FOLLOW_UPS, blocks=[Table(headers, body, filter=True, caps=caps)])


def _activities_sheet(report):
    rows = _unique_rows(report, "activities")
    headers = [(h, "header") for h in ("Team", "Enhet", "Aktivitet", "Beskrivning", "Förväntat värde för invånarna",
                                       "Status", "Start", "Slut", "Enhetens mål", "Politiska mål",
                                       "Senaste uppdatering", "Senaste uppdateringen")]

    def body():
        if not rows:
            yield [("Inga aktiviteter.", "note")]
        for activity, goal_codes in rows:
            latest = activity.get("latest_update") or {}
            yield [(activity.get("team") or "", "text"),
                   (activity["unit"], "text") if activity.get("unit") else None,
                   (activity.get("title") or "", "text"),
                   (activity["description"], "text") if activity.get("description") else None,
                   (activity["expected_citizen_value"], "text") if activity.get("expected_citizen_value") else None,
                   (_word(ACTIVITY_STATUS_WORDS, activity.get("status")), "text"),
                   _date_item(activity.get("start_date")), _date_item(activity.get("end_date")),
                   (_join(sorted(activity["goals"])), "text") if activity.get("goals") else None,
                   (goal_codes, "text"),
                   _date_item(latest.get("date")),
                   (latest["text"], "text") if latest.get("text") else None]

    caps = {"Team": 22, "Enhet": 22, "Aktivitet": 32, "Beskrivning": 40, "Förväntat värde för invånarna": 36,
            "Enhetens mål": 32, "Politiska mål": 10, "Senaste uppdateringen": 40}
    return SheetSpec(title=ACTIVITIES, blocks=[Table(headers, body, filter=True, caps=caps)])


_BALANCE_COLUMNS = (
    ("mandated_indicators", "Styrande mätetal", "int"),
    ("own_indicators", "Egna mätetal", "int"),
    ("values_due_per_year", "Värden att rapportera per år", "int"),
    ("follow_ups", "Uppföljningar", "int"),
    ("follow_ups_with_text", "Uppföljningar med text", "int"),
    ("share_follow_ups_with_text", "Andel uppföljningar med text", "share"),
    ("activities", "Aktiviteter", "int"),
    ("activities_by_teams", "Aktiviteter som teamen själva har satt upp", "int"),
    ("share_activities_by_teams", "Andel aktiviteter från teamen", "share"),
    ("reporting_hours", "Timmar för rapportering", "hours"),
)


def _balance_items(entry, bold):
    items = []
    for key, _, style in _BALANCE_COLUMNS:
        number = _number(entry.get(key))
        items.append(None if number is None else (number, f"{style}-bold" if bold else style))
    return items


def _balance_sheet(report):
    balance = report.balance
    headers = [("Enhet", "header")] + [(label, "header") for _, label, _ in _BALANCE_COLUMNS]

    def body():
        if not balance:
            yield [("Styrningsbalansen finns inte med i den här rapporten.", "note")]
        for entry in balance:
            bold = bool(entry.get("is_total"))
            yield [(entry.get("unit") or "", "bold" if bold else "text")] + _balance_items(entry, bold)

    trend_headers = [("Enhet", "header"), ("År", "header")] + [(label, "header") for _, label, _ in _BALANCE_COLUMNS]

    def trend_rows():
        for entry in balance:
            bold = bool(entry.get("is_total"))
            for year in entry.get("trend") or []:
                yield ([(entry.get("unit") or "", "bold" if bold else "text"),
                        (year["year"], "plain-bold" if bold else "plain") if year.get("year") is not None else None]
                       + _balance_items(year, bold))

    blocks = [
        Table(headers, body, filter=True, caps={"Enhet": 36}),
        Lines([[]]),
        Paragraph("Om styrningsbalansen",
                  "Vad styrningen kostar: hur många mätetal nämnden, förvaltningen och lagen kräver jämfört med "
                  "enheternas egna, hur många värden det blir att rapportera per år, hur stor del av uppföljningarna "
                  "som säger något i ord och hur stor del av aktiviteterna som teamen själva har satt upp. Timmarna "
                  "är enheternas egen uppgift om tid för rapportering."),
        Lines([[], [("Utveckling över åren", "heading")]]),
    ]
    if any(entry.get("trend") for entry in balance):
        blocks.append(Table(trend_headers, trend_rows))
    else:
        blocks.append(Lines([[("Ingen utveckling över åren att visa.", "note")]]))
    return SheetSpec(title=BALANCE, blocks=blocks)


def _sheets(report):
    yield _overview(report)
    for goal, name in zip(report.goals, report.sheet_names):
        yield _goal_sheet(report, goal, name)
    yield _metrics_sheet(report)
    yield _follow_ups_sheet(report)
    yield _activities_sheet(report)
    yield _balance_sheet(report)


def _header_footer(worksheet, report):
    # "&" starts a code in headers and footers; a literal one is "&&".
    title = report.title().replace("&", "&&")[:200]
    worksheet.oddHeader.left.text = title
    worksheet.oddFooter.left.text = "&A"
    worksheet.oddFooter.right.text = "Sida &P av &N"


def write_workbook(snapshot, output):
    """Write the board workbook of ``snapshot`` (a board report snapshot dict) to ``output``: a
    path or a binary file object."""
    report = _Report(snapshot)
    workbook = Workbook(write_only=True)
    properties = workbook.properties
    properties.title = report.title()
    properties.subject = "Nämndrapport"
    properties.creator = "Tillit"
    properties.lastModifiedBy = "Tillit"
    properties.category = "Nämndrapport"
    properties.keywords = "målrapport; nämndrapport; styrkort"
    properties.language = "sv-SE"
    properties.description = f"{report.state_text()}. {report.basis_text()}"
    if report.generated_at is not None:
        properties.created = report.generated_at.astimezone(datetime.timezone.utc).replace(tzinfo=None)

    shared = {}
    for spec in _sheets(report):
        _write_sheet(workbook, spec, shared, before_close=lambda worksheet: _header_footer(worksheet, report))
    workbook.save(output)
    return output


def workbook_filename(snapshot):
    """E.g. ``malrapport-socialnamnden-delarsrapport-t2-2026.xlsx`` (ASCII, for every browser)."""
    board = (snapshot.get("board") or {}).get("name") or "namnd"
    round_name = (snapshot.get("round") or {}).get("name") or ""
    report = snapshot.get("report") or {}
    version = f"-v{report['version_number']}" if (report.get("version_number") or 1) > 1 else ""
    stem = slugify(f"malrapport {_ascii(board)} {_ascii(round_name)}") or "malrapport"
    return f"{stem}{version}.xlsx"


def _ascii(text):
    return str(text).translate(str.maketrans("åäöÅÄÖéÉüÜ", "aaoAAOeEuU"))


# --- what to export -----------------------------------------------------------------------------------

def export_snapshot(*, user, reporting_round, today=None):
    """The snapshot the workbook of ``reporting_round`` is made from: the frozen snapshot of its
    latest board report once that is adopted, else the live data as ``user`` may see it, with
    the trust balance. Raises PermissionDenied unless ``user`` may read the round's board."""
    scope.require_read(user, reporting_round.board)
    report = latest_board_report(reporting_round)
    if report is not None and report.is_adopted:  # an adopted report always has its snapshot
        return report.snapshot
    return build_snapshot(user=user, reporting_round=reporting_round, today=today,
                          balance=trust_balance(user=user, reporting_round=reporting_round))
