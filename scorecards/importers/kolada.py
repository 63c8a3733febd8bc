"""Kolada: read a saved answer of the Kolada API (v2 or v3) and fill measurements and comparison
values.

The shapes accepted (``shared/data/README.md``): a page ``{"values": [...], "count": n,
"next_page": ...}`` (v2) or ``{"values": [...], "next_url": ...}`` (v3, ``count`` optional); a
list of such pages saved together; each row has ``kpi``, ``municipality`` (or ``ou`` for
``/v2/oudata``; ids starting with G are groups of municipalities), ``period`` as a number or a
string, on the row or on each value, and ``values`` per gender T/K/M whose ``value`` may be null.

Decisions (also in the report to the lead):
- Who may run it: a controller, i.e. a user who may manage mandated indicators somewhere. The
  comparison values are shared by every unit, so a unit manager cannot load them; the
  measurements themselves still go through ``services.measurement_record``, which checks
  ENTER_MEASUREMENTS on each unit. Units outside the importing user's scope are not filled, and
  the report says so (the user did not name them, so it is not an error).
- Every non-null value of the file is kept as a ComparisonValue (per KPI, area, year, gender).
- The value (gender T) of the municipality set in ``TILLIT_KOLADA_MUNICIPALITY`` becomes the
  measurement of each indicator with that ``kolada_kpi`` for the year period, for every unit
  that reports the indicator that year (``services.indicator_is_used_by``), source Kolada.
  Kolada values are yearly: an indicator reported monthly or per tertial cannot take one, so for
  it the own municipality's value stays a comparison value only (the chart shows it as a line),
  and the report says so. A year without a reporting year in Tillit is likewise comparison only.
- An imported measurement keeps the comment already stored with it.
- Bad JSON or a wrong shape is an error that names the place; nothing is written then.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance import scope
from governance.concurrency import StaleWrite
from governance.models import Period, PeriodKind
from governance.scope import Action
from scorecards import services
from scorecards.importers.base import FileRejected, check_size, normalise_code
from scorecards.models import (MEASUREMENT_VALUE_LIMIT, ComparisonValue, Frequency, Indicator, Measurement,
                               ScorecardIndicator)

GENDERS = ("T", "K", "M")
COUNTRY = "0000"
# Names of the areas Kolada ids stand for, for chart legends. Kolada's answers carry ids only;
# an id not listed here is shown as it is.
AREA_NAMES = {
    "0000": "Riket", "0114": "Upplands Väsby", "0136": "Haninge", "0180": "Stockholm", "0380": "Uppsala",
    "0580": "Linköping", "0581": "Norrköping", "0680": "Jönköping", "0780": "Växjö", "1280": "Malmö",
    "1281": "Lund", "1283": "Helsingborg", "1293": "Hässleholm", "1480": "Göteborg", "1880": "Örebro",
    "1980": "Västerås", "2480": "Umeå",
}
MAX_ERRORS = 50


def own_municipality():
    return str(getattr(settings, "TILLIT_KOLADA_MUNICIPALITY", "") or "").strip()


def area_name(code):
    return AREA_NAMES.get(code, code)


def area_kind(code, *, is_ou=False):
    if is_ou:
        return ComparisonValue.AreaKind.ORGANISATIONAL_UNIT
    if code == COUNTRY:
        return ComparisonValue.AreaKind.COUNTRY
    if code.upper().startswith("G"):
        return ComparisonValue.AreaKind.GROUP
    return ComparisonValue.AreaKind.MUNICIPALITY


# --- reading -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KoladaValue:
    row: int  # the row's position in the file, counted from 1 over all pages
    kpi: str
    area_code: str
    area_kind: str
    year: int
    gender: str
    value: Decimal | None


@dataclass
class KoladaFile:
    values: list
    has_more_pages: bool = False


def read_kolada(data):
    """KoladaFile from the bytes of a saved Kolada answer. Raises FileRejected."""
    check_size(data)
    try:
        document = json.loads(data.decode("utf-8-sig") if isinstance(data, bytes) else data)
    except UnicodeDecodeError:
        raise FileRejected(_("The file is not a Kolada JSON file: it is not UTF-8 text.")) from None
    except RecursionError:
        raise FileRejected(_("The file is nested too deeply to be a Kolada answer.")) from None
    except json.JSONDecodeError as error:
        raise FileRejected(_("The file is not valid JSON (line %(line)s, column %(column)s: %(error)s).")
                           % {"line": error.lineno, "column": error.colno, "error": error.msg}) from None
    pages = document if isinstance(document, list) else [document]
    if isinstance(document, list) and document and all(isinstance(p, dict) and "kpi" in p for p in document):
        pages = [{"values": document}]  # a bare list of rows
    if not pages:
        raise FileRejected(_("The file holds no Kolada values."))
    errors, values, more = [], [], False
    number = 0
    for page_index, page in enumerate(pages, start=1):
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise FileRejected(_("This is JSON, but not a Kolada answer: expected an object with a list "
                                 "“values” (page %(page)s).") % {"page": page_index})
        if page.get("next_page") or page.get("next_url"):
            more = True
        for row in page["values"]:
            number += 1
            try:
                values.extend(_read_row(number, row))
            except ValueError as error:
                errors.append(_("Kolada row %(row)s: %(error)s") % {"row": number, "error": error})
                if len(errors) >= MAX_ERRORS:
                    break
    if errors:
        raise FileRejected(errors)
    if not values:
        raise FileRejected(_("The file holds no Kolada values."))
    return KoladaFile(values=values, has_more_pages=more)


# Kolada's figures begin in the 1990s; a year outside this range is a broken file, not data.
MIN_YEAR, MAX_YEAR = 1990, 2100
# Kolada ids: KPIs like "N00945" or "U21468", municipalities "0180", groups "G12345", organisational
# units "V15E018000301". Anything else (over-long, spaces, markup) is refused before the database.
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


def _read_year(raw):
    if isinstance(raw, bool):
        raise ValueError(_("the period must be a year such as 2024, not %(value)s.") % {"value": raw})
    year = None
    if isinstance(raw, int):
        year = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) == 4:
        year = int(raw.strip())  # Kolada writes periods as numbers; a string of four digits is accepted too
    if year is not None and MIN_YEAR <= year <= MAX_YEAR:
        return year
    raise ValueError(_("the period must be a year such as 2024, not %(value)s.") % {"value": json.dumps(raw)})


def _read_number(raw):
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(_("the value must be a number or null, not %(value)s.") % {"value": json.dumps(raw)})
    if isinstance(raw, (int, float, str)):
        try:
            value = Decimal(str(raw).strip().replace(",", ".")) if not isinstance(raw, float) else Decimal(repr(raw))
        except InvalidOperation:
            value = None
        if value is not None and value.is_finite():
            if abs(value) >= MEASUREMENT_VALUE_LIMIT:
                raise ValueError(_("the value %(value)s is too large (it must be less than a billion).")
                                 % {"value": json.dumps(raw) if not isinstance(raw, float) else repr(raw)})
            return value.quantize(Decimal("0.0001")) if value.as_tuple().exponent < -4 else value
    raise ValueError(_("the value must be a number or null, not %(value)s.") % {"value": json.dumps(raw)})


def _read_row(number, row):
    if not isinstance(row, dict):
        raise ValueError(_("a row must be an object with kpi, municipality, period and values."))
    kpi = row.get("kpi")
    if not isinstance(kpi, str) or not kpi.strip():
        raise ValueError(_("the KPI id (“kpi”) is missing."))
    # Ids are matched as codes are (fullwidth digits, zero-width characters, look-alike dashes).
    typed_kpi, kpi = kpi, normalise_code(kpi)
    if not ID_PATTERN.match(kpi):
        raise ValueError(_("the KPI id (“kpi”) must be at most 20 letters or digits, not %(value)s.")
                         % {"value": json.dumps(typed_kpi[:40])})
    is_ou = "ou" in row and "municipality" not in row
    area = row.get("ou") if is_ou else row.get("municipality")
    if isinstance(area, int) and not isinstance(area, bool) and not is_ou:
        area = f"{area:04d}"
    if not isinstance(area, str) or not normalise_code(area):
        raise ValueError(_("the municipality (“municipality” or “ou”) is missing."))
    area = normalise_code(area)
    if not ID_PATTERN.match(area):
        raise ValueError(_("the municipality (“municipality” or “ou”) must be at most 20 letters or digits, "
                           "not %(value)s.") % {"value": json.dumps(area[:40])})
    cells = row.get("values")
    if not isinstance(cells, list):
        raise ValueError(_("“values” must be a list of values per gender."))
    row_year = _read_year(row["period"]) if row.get("period") is not None else None
    out = []
    for cell in cells:
        if not isinstance(cell, dict):
            raise ValueError(_("each of “values” must be an object with gender and value."))
        gender = cell.get("gender")
        if gender not in GENDERS:
            raise ValueError(_("the gender must be T, K or M, not %(value)s.") % {"value": json.dumps(gender)})
        year = _read_year(cell["period"]) if cell.get("period") is not None else row_year
        if year is None:
            raise ValueError(_("the period (year) is missing."))
        out.append(KoladaValue(row=number, kpi=kpi, area_code=area, area_kind=area_kind(area, is_ou=is_ou),
                               year=year, gender=gender, value=_read_number(cell.get("value"))))
    return out


# --- importing ----------------------------------------------------------------------------------------

@dataclass
class KoladaMeasurement:
    row: int
    unit: object
    indicator: object
    period: object
    value: Decimal
    status: str = "new"
    old_value: Decimal | None = None
    comment: str = ""
    errors: list = field(default_factory=list)

    def as_dict(self):
        return {"row": self.row, "unit": self.unit.external_code or self.unit.name,
                "indicator": self.indicator.external_code or self.indicator.name, "period": self.period.code,
                "value": str(self.value), "previous_value": None if self.old_value is None else str(self.old_value),
                "status": self.status, "errors": list(self.errors)}


@dataclass
class ComparisonSummary:
    kpi: str
    area_code: str
    area_name: str
    years: list
    count: int


@dataclass
class KoladaReport:
    measurements: list = field(default_factory=list)
    comparisons: list = field(default_factory=list)  # ComparisonSummary per KPI and area
    comparison_counts: dict = field(default_factory=lambda: {"new": 0, "update": 0, "unchanged": 0})
    notes: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    dry_run: bool = True
    written: bool = False
    kind: str = "kolada"

    @property
    def ok(self):
        return not self.file_errors and not any(m.errors for m in self.measurements)

    def measurement_count(self, status):
        return sum(1 for m in self.measurements if m.status == status and not m.errors)

    @property
    def changes(self):
        return (self.measurement_count("new") + self.measurement_count("update")
                + self.comparison_counts["new"] + self.comparison_counts["update"])

    def as_dict(self):
        return {
            "kind": self.kind, "ok": self.ok, "dry_run": self.dry_run, "written": self.written,
            "errors": [str(e) for e in self.file_errors], "notes": [str(n) for n in self.notes],
            "measurements": [m.as_dict() for m in self.measurements],
            "comparisons": {"counts": dict(self.comparison_counts),
                            "series": [{"kpi": c.kpi, "area": c.area_code, "name": c.area_name, "years": c.years,
                                        "count": c.count} for c in self.comparisons]},
        }

    def text_lines(self, *, errors_only=False):
        lines = [str(e) for e in self.file_errors]
        for m in self.measurements:
            if m.errors:
                lines.append(f"{m.unit} / {m.indicator} / {m.period.label}: {'; '.join(m.errors)}")
            elif not errors_only:
                lines.append(f"{m.unit} / {m.indicator} / {m.period.label}: {m.value} ({m.status})")
        if not errors_only:
            lines.extend(str(n) for n in self.notes)
        return lines


class _RollBack(Exception):
    pass


def may_import_kolada(user):
    return scope.scope_for(user).has_any(Action.MANAGE_MANDATED_INDICATORS)


def import_kolada(*, user, kolada_file, municipality=None, dry_run=False):
    """Fill measurements and comparison values from a read Kolada file, all or nothing.
    Raises PermissionDenied for a user who is not a controller."""
    if not may_import_kolada(user):
        raise PermissionDenied(_("Only controllers may import from Kolada."))
    municipality = municipality or own_municipality()
    report = KoladaReport(dry_run=dry_run)
    values = kolada_file.values
    if kolada_file.has_more_pages:
        report.notes.append(_("The file is one page of a longer Kolada answer (it names a next page). Import the "
                              "other pages too."))
    seen = {}
    for v in values:
        key = (v.kpi, v.area_code, v.year, v.gender)
        if key in seen and seen[key].value != v.value:
            report.file_errors.append(_("Kolada rows %(first)s and %(second)s give different values for %(kpi)s, "
                                        "%(area)s, %(year)s, %(gender)s.")
                                      % {"first": seen[key].row, "second": v.row, "kpi": v.kpi,
                                         "area": area_name(v.area_code), "year": v.year, "gender": v.gender})
        seen[key] = v
    if report.file_errors:
        return report
    unique = [v for v in seen.values() if v.value is not None]
    _plan_comparisons(report, unique)
    _plan_measurements(report, user=user, values=unique, municipality=municipality)
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            _write_comparisons(unique)
            for m in report.measurements:
                if m.status not in ("new", "update"):
                    continue
                try:
                    with transaction.atomic():
                        services.measurement_record(user=user, indicator=m.indicator, unit=m.unit, period=m.period,
                                                    value=m.value, comment=m.comment, source=Measurement.Source.KOLADA)
                except (ValidationError, PermissionDenied, StaleWrite) as error:
                    m.errors.extend(error.messages if isinstance(error, ValidationError) else [str(error)])
            if not report.ok or dry_run:
                raise _RollBack
    except _RollBack:
        return report
    report.written = report.changes > 0
    return report


def _stored_comparisons(values):
    if not values:
        return {}
    rows = ComparisonValue.objects.filter(indicator__isnull=True, kpi__in={v.kpi for v in values},
                                          area_code__in={v.area_code for v in values},
                                          year__in={v.year for v in values})
    return {(c.kpi, c.area_code, c.year, c.gender): c for c in rows}


def _plan_comparisons(report, values):
    stored = _stored_comparisons(values)
    series = {}
    for v in values:
        existing = stored.get((v.kpi, v.area_code, v.year, v.gender))
        if existing is None:
            report.comparison_counts["new"] += 1
        elif existing.value != v.value:
            report.comparison_counts["update"] += 1
        else:
            report.comparison_counts["unchanged"] += 1
        if v.gender == "T":
            summary = series.setdefault((v.kpi, v.area_code), ComparisonSummary(
                kpi=v.kpi, area_code=v.area_code, area_name=area_name(v.area_code), years=[], count=0))
            summary.years = sorted({*summary.years, v.year})
            summary.count += 1
    report.comparisons = sorted(series.values(), key=lambda s: (s.kpi, s.area_code != COUNTRY, s.area_name))


def _write_comparisons(values):
    stored = _stored_comparisons(values)
    new, changed = [], []
    for v in values:
        existing = stored.get((v.kpi, v.area_code, v.year, v.gender))
        if existing is None:
            new.append(ComparisonValue(kpi=v.kpi, area_code=v.area_code, area_name=area_name(v.area_code),
                                       area_kind=v.area_kind, year=v.year, gender=v.gender, value=v.value,
                                       source=Measurement.Source.KOLADA))
        elif existing.value != v.value or existing.area_name != area_name(v.area_code):
            existing.value, existing.area_name = v.value, area_name(v.area_code)
            changed.append(existing)
    ComparisonValue.objects.bulk_create(new, batch_size=500)
    ComparisonValue.objects.bulk_update(changed, ["value", "area_name", "updated_at"], batch_size=500)


def _plan_measurements(report, *, user, values, municipality):
    own = [v for v in values if v.area_code == municipality and v.gender == "T"
           and v.area_kind == ComparisonValue.AreaKind.MUNICIPALITY]
    kpis = {v.kpi for v in values}
    indicators = list(Indicator.objects.filter(kolada_kpi__in=kpis, is_active=True).select_related("owner")
                      .order_by("name"))
    by_kpi = {}
    for indicator in indicators:
        by_kpi.setdefault(indicator.kolada_kpi, []).append(indicator)
    for kpi in sorted(kpis - set(by_kpi)):
        report.notes.append(_("No indicator in Tillit carries the Kolada KPI %(kpi)s; its values are kept as "
                              "comparison values only.") % {"kpi": kpi})
    if not own and any(v.area_code == municipality and v.area_kind == ComparisonValue.AreaKind.MUNICIPALITY
                       for v in values):
        report.notes.append(_("The file has values for the own municipality (%(code)s) only for women and men, "
                              "not the total (T): only comparison values are imported.") % {"code": municipality})
        return
    if not own:
        report.notes.append(_("The file has no values for the own municipality (%(code)s); only comparison values "
                              "are imported.") % {"code": municipality})
        return
    years = {v.year for v in own}
    periods = {p.year.year: p for p in Period.objects.filter(kind=PeriodKind.YEAR, year__year__in=years)
               .select_related("year")}
    yearly = [i for i in indicators if i.frequency == Frequency.YEARLY]
    for indicator in indicators:
        if indicator.frequency != Frequency.YEARLY and any(v.kpi == indicator.kolada_kpi for v in own):
            report.notes.append(_("“%(indicator)s” is reported %(frequency)s, but Kolada gives yearly values: the "
                                  "values for %(area)s are kept as comparison values and shown in its charts, not "
                                  "as measurements.") % {"indicator": indicator,
                                                         "frequency": indicator.get_frequency_display().lower(),
                                                         "area": area_name(municipality)})
    links = {}
    for link in (ScorecardIndicator.objects.filter(indicator__in=yearly, scorecard__year__year__in=years)
                 .select_related("scorecard__unit", "scorecard__year")):
        links.setdefault((link.indicator_id, link.scorecard.year.year), {})[link.scorecard.unit.pk] = link.scorecard.unit
    stored = {(m.indicator_id, m.unit_id, m.period_id): m for m in Measurement.objects.filter(
        indicator__in=yearly, period__in=list(periods.values()))} if yearly and periods else {}
    outside = set()
    missing_years = set()
    for v in sorted(own, key=lambda v: (v.kpi, v.year)):
        for indicator in by_kpi.get(v.kpi, []):
            if indicator.frequency != Frequency.YEARLY:
                continue
            period = periods.get(v.year)
            if period is None:
                missing_years.add(v.year)
                continue
            units = dict(links.get((indicator.pk, v.year), {}))
            if not indicator.is_mandated:
                units.setdefault(indicator.owner.pk, indicator.owner)
            for unit in sorted(units.values(), key=lambda u: u.path):
                if not scope.can(user, Action.ENTER_MEASUREMENTS, unit):
                    outside.add(unit.name)
                    continue
                existing = stored.get((indicator.pk, unit.pk, period.pk))
                m = KoladaMeasurement(row=v.row, unit=unit, indicator=indicator, period=period, value=v.value,
                                      comment=existing.comment if existing else "")
                if existing is not None:
                    m.status = "unchanged" if existing.value == v.value else "update"
                    m.old_value = existing.value
                report.measurements.append(m)
    for year in sorted(missing_years):
        report.notes.append(_("There is no reporting year %(year)s in Tillit: the values for %(year)s are kept as "
                              "comparison values only.") % {"year": year})
    if outside:
        report.notes.append(_("Not filled, because they are outside your scope: %(units)s.")
                            % {"units": ", ".join(sorted(outside))})
