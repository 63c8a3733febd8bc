"""What every reader shares: the row model, the size limit, text decoding, header names and
reading the cells people type (codes, periods).

Readers (``csv``, ``excel``, ``kolada``) only turn bytes into rows; they never touch the
database. ``scorecards.importers.measurements`` validates the rows and writes them, all or
nothing. Messages are user-facing (gettext) because the web page shows them as they are.
"""

import datetime
import re
import time
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# More data rows than a person would prepare by hand many times over; a guard against a file
# that is small on disk but huge inside (a zip bomb in an .xlsx, a CSV of empty lines).
MAX_ROWS = 50_000
# Rows a reader goes through, empty ones included, before it gives up: a little above MAX_ROWS so
# that a real file with some blank lines reaches the clearer "more than 50 000 rows" message.
MAX_RECORDS = MAX_ROWS + 10_000
# Wall-clock time a reader may spend on one file, whatever the file declares about itself.
READ_SECONDS = 20


class FileRejected(Exception):
    """The file as a whole cannot be read (too large, not CSV/Excel/JSON, wrong shape, a column
    missing). ``messages`` are shown to the user; nothing is written."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(m) for m in self.messages))


def max_bytes():
    return int(getattr(settings, "TILLIT_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_error(size):
    """The message for a file over the limit, or None. The size shown is the file's own; when it
    rounds to the limit it is said to be over it rather than "5,0 MB; larger than 5,0 MB"."""
    limit = max_bytes()
    if size is not None and size > limit:
        shown, limit_shown = _megabytes(size), _megabytes(limit)
        if shown == limit_shown:
            return _("The file is larger than %(limit)s MB, the largest file that can be imported. Split it "
                     "into smaller files.") % {"limit": limit_shown}
        return _("The file is %(size)s MB; files larger than %(limit)s MB cannot be imported. Split it into "
                 "smaller files.") % {"size": shown, "limit": limit_shown}
    return None


def check_size(data):
    message = size_error(len(data))
    if message:
        raise FileRejected(message)


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def bounded_records(records, *, max_records=None, seconds=None):
    """(row number, cells) pairs as ``records`` gives them, refusing the file once more than
    ``max_records`` rows (empty ones included) have been read or ``seconds`` have passed."""
    max_records = MAX_RECORDS if max_records is None else max_records
    deadline = time.monotonic() + (READ_SECONDS if seconds is None else seconds)
    for count, record in enumerate(records, start=1):
        if count > max_records:
            raise FileRejected(_("The file has more than %(count)s rows, empty rows included; no measurement file "
                                 "is that long. Delete the empty rows below the data (or split the file) and try "
                                 "again.") % {"count": max_records})
        if time.monotonic() > deadline:
            raise FileRejected(_("Reading the file took too long; it is larger inside than any measurement file. "
                                 "Save only the data rows in a new file and try again."))
        yield record


# --- the row model ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportRow:
    """One data row of a measurement file as typed, before it is checked.

    ``line`` is the row number as the user's program shows it (the header is row 1 in Excel and
    in a CSV file without blank lines above it). ``value`` is the cell as read: text from CSV,
    text or a number from Excel. ``comment`` is None when the file has no comment column (then
    a stored comment is kept), "" when the cell is empty (then a stored comment is cleared).
    """

    line: int
    unit_code: str
    indicator_code: str
    period: object
    value: object
    comment: str | None = None


# --- text ------------------------------------------------------------------------------------

def decode_text(data):
    """Bytes of a text file as str: a BOM decides (UTF-8, UTF-16); else strict UTF-8, else
    Windows-1252 (what Swedish Excel writes as "CSV (semikolonavgränsad)")."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # Excel's "Unicode text" (tab-separated)
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "cp1252":
            return data.decode("latin-1")  # the five bytes cp1252 leaves undefined
        raise FileRejected(_("The file could not be read as text in %(encoding)s.") % {"encoding": encoding}) from None


def cell_text(value):
    """A cell as text for codes: numbers without a trailing ".0", stripped strings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u00a0", " ").strip()


def normalise_code(text):
    """A code as typed, the way codes are matched: each character in its NFKC form (fullwidth
    digits and letters become ASCII), zero-width characters (U+200B-U+200D, U+2060, U+FEFF)
    dropped, every dash (U+2010-U+2015, the minus sign, small and fullwidth hyphens) read as
    ``-``, a no-break space as a space, and stripped. Codes that look identical on screen then
    match; the pieces are the privacy guard's (``governance.privacy.normalise``), so both read
    look-alike characters the same way."""
    from governance.privacy import normalise

    if text is None:
        return ""
    return normalise(str(text))[0].replace("\u00a0", " ").strip()


def is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


# --- header names ---------------------------------------------------------------------------------

COLUMN_NAMES = {
    "unit": ("enhet", "enhetskod", "enhetens kod", "enhet kod", "kod enhet", "extern enhetskod", "organisationsenhet",
             "unit", "unit code", "unit external code", "org unit", "orgunit"),
    "indicator": ("indikator", "indikatorkod", "indikatorns kod", "indikator kod", "kod indikator", "matetal",
                  "matetalskod", "nyckeltal", "indicator", "indicator code", "indicator external code", "kpi"),
    "period": ("period", "periodkod", "manad", "tidsperiod", "period code"),
    "value": ("varde", "utfall", "value", "varde utfall"),
    "comment": ("kommentar", "kommentarer", "anmarkning", "comment", "comments", "note"),
}
REQUIRED_COLUMNS = ("unit", "indicator", "period", "value")


def column_label(column):
    return {
        "unit": _("unit (enhetskod)"), "indicator": _("indicator (indikatorkod)"), "period": _("period"),
        "value": _("value (värde)"), "comment": _("comment (kommentar)"),
    }[column]


def normalise_header(text):
    text = cell_text(text).lstrip("\ufeff").strip().strip('"').lower()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[\s_\-.:]+", " ", text).strip()
    return text


_ALIASES = {alias: column for column, aliases in COLUMN_NAMES.items() for alias in aliases}


def match_header(cells):
    """Column name → index for a header row; raises FileRejected naming the missing columns."""
    found, errors = {}, []
    for index, cell in enumerate(cells):
        column = _ALIASES.get(normalise_header(cell))
        if column is None:
            continue
        if column in found:
            errors.append(_("The column %(column)s appears twice in the header row.") % {"column": column_label(column)})
        found[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in found]
    if missing:
        errors.append(_("The header row lacks the column(s) %(columns)s. The first row must name the columns: "
                        "enhetskod; indikatorkod; period; värde; kommentar (or in English: unit; indicator; period; "
                        "value; comment).") % {"columns": ", ".join(column_label(c) for c in missing)})
    if errors:
        raise FileRejected(errors)
    return found


def rows_from_records(records):
    """ImportRows from (row number, cells) pairs: the first non-blank record is the header,
    blank records (trailing lines, empty Excel rows) are skipped."""
    header = None
    rows = []
    for line, cells in records:
        cells = list(cells)
        if all(is_blank(c) for c in cells):
            continue
        if header is None:
            header = match_header(cells)
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRejected(_("The file has more than %(count)s rows; split it into smaller files.")
                               % {"count": MAX_ROWS})

        def cell(column):
            index = header.get(column)
            return cells[index] if index is not None and index < len(cells) else None

        comment = None
        if "comment" in header:
            comment = cell_text(cell("comment"))
        rows.append(ImportRow(line=line, unit_code=cell_text(cell("unit")), indicator_code=cell_text(cell("indicator")),
                              period=cell("period"), value=cell("value"), comment=comment))
    if header is None:
        raise FileRejected(_("The file is empty."))
    return rows


# --- periods as people type them ---------------------------------------------------------------------

MONTH_NAMES = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "mar": 3, "mars": 3, "march": 3,
    "apr": 4, "april": 4, "maj": 5, "may": 5, "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7,
    "aug": 8, "augusti": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}


class PeriodError(ValueError):
    pass


def read_period(raw):
    """(year, kind, number) from a period cell. Accepted besides ``governance.periods``' codes
    (2026, 2026-T1, 2026-01, 202601): 2026-M03, 2026M3, 2026/03, 2026.03, a date (an Excel date cell
    or 2026-03-01: the month it falls in), "mars 2026", "jan 2026" (as Tillit labels periods),
    "T1 2026". Quarters do not exist in Swedish municipal reporting and are refused by name."""
    from governance.periods import parse_period_code

    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        return raw.year, "month", raw.month
    text = cell_text(raw)
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        text = cell_text(float(raw)) if isinstance(raw, Decimal) else text
    if not text:
        raise PeriodError(_("The period is missing."))
    compact = text.strip().lower().replace("\u2013", "-").replace("\u2212", "-")
    if re.fullmatch(r"\d{4}\s*-?\s*[qk]\s*\d", compact):
        raise PeriodError(_("“%(value)s” is a quarter; Tillit reports months, tertials (2026-T1) and years.")
                          % {"value": text})
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", compact)
    if match:
        try:
            day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise PeriodError(_("“%(value)s” is not a date.") % {"value": text}) from None
        return day.year, "month", day.month
    match = re.fullmatch(r"(\d{4})\s*[-/.]?\s*m\s*(\d{1,2})", compact) or re.fullmatch(r"(\d{4})\s*[/.]\s*(\d{1,2})", compact)
    if match:
        compact = f"{match[1]}-{int(match[2]):02d}"
    match = re.fullmatch(r"([a-zåäö]+)\.?\s+(\d{4})", compact) or re.fullmatch(r"(\d{4})\s+([a-zåäö]+)", compact)
    if match:
        name, year = (match[1], match[2]) if not match[1].isdigit() else (match[2], match[1])
        if name in MONTH_NAMES:
            compact = f"{year}-{MONTH_NAMES[name]:02d}"
    match = re.fullmatch(r"(\d{4})\s*-?\s*t\s*(\d)", compact) or re.fullmatch(r"t\s*(\d)\s*[- ]?\s*(\d{4})", compact)
    if match:
        year, number = (match[1], match[2]) if len(match[1]) == 4 else (match[2], match[1])
        compact = f"{year}-T{number}"
    try:
        return parse_period_code(compact)
    except ValueError:
        raise PeriodError(_("“%(value)s” is not a period Tillit knows; write e.g. 2026 (the year), 2026-T1 (a "
                            "tertial) or 2026-03 (a month).") % {"value": text}) from None
