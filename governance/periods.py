"""The calendar of a reporting year, as plain data: one year, three tertials, twelve months.
Tertials are Jan–Apr, May–Aug and Sep–Dec, as in Swedish municipal reporting (T1, T2
delårsrapport, T3 with the annual report)."""

import calendar
import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    number: int
    start: datetime.date
    end: datetime.date
    children: tuple = field(default=())


def tertial_of_month(month):
    return (month - 1) // 4 + 1


def month_span(year, month):
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def year_calendar(year):
    """The nested periods of ``year``: the year, its tertials, and the months in each."""
    tertials = []
    for t in (1, 2, 3):
        months = tuple(PeriodSpec("month", m, *month_span(year, m)) for m in range(4 * t - 3, 4 * t + 1))
        tertials.append(PeriodSpec("tertial", t, months[0].start, months[-1].end, months))
    return PeriodSpec("year", 1, datetime.date(year, 1, 1), datetime.date(year, 12, 31), tuple(tertials))


def parse_period_code(code):
    """Read a period code as written in import files and return (year, kind, number).

    Accepted: ``2026`` (year), ``2026-T1`` / ``T1 2026`` (tertial), ``2026-01`` / ``2026-1`` /
    ``202601`` (month). Raises ValueError with an English message for anything else.
    """
    text = str(code).strip().upper().replace(" ", "-")
    if text.isdigit() and len(text) == 4:
        return int(text), "year", 1
    if text.isdigit() and len(text) == 6:
        year, month = int(text[:4]), int(text[4:])
        if 1 <= month <= 12:
            return year, "month", month
        raise ValueError(f"Unknown period {code!r}: month must be 01–12.")
    if text.startswith("T") and "-" in text:  # "T1-2026"
        head, _, tail = text.partition("-")
        text = f"{tail}-{head}"
    year_part, sep, rest = text.partition("-")
    if sep and year_part.isdigit() and len(year_part) == 4:
        year = int(year_part)
        if rest.startswith("T") and rest[1:].isdigit() and 1 <= int(rest[1:]) <= 3:
            return year, "tertial", int(rest[1:])
        if rest.isdigit() and 1 <= int(rest) <= 12:
            return year, "month", int(rest)
    raise ValueError(f"Unknown period {code!r}: use 2026, 2026-T1 or 2026-01.")
