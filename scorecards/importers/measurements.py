"""Check a file's measurement rows and write them all or nothing.

One function, ``import_measurements``, serves the web page (preview and confirm), the API and
the management command. It first checks every row (codes, period, number, scope, the indicator
being in the unit's scorecard, personal data in comments, duplicates) and reports each row's
status; only when no row is wrong does it write, through ``services.measurement_record`` inside
one transaction, and a dry run writes the same way and rolls it back, so a preview says exactly
what the confirm will do. Rules live in the service; this module only gathers their answers row
by row.

Decisions:
- An empty value with an empty comment is skipped (a file may list months not yet reported);
  an empty value with a comment records "no value" with the reason, as the grid does.
- A file without a comment column keeps the comments already stored; an empty comment cell
  clears it.
- Writing the same file twice writes nothing new: the service leaves identical values alone.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from governance import privacy, scope
from governance.concurrency import StaleWrite
from governance.models import Period
from governance.scope import Action
from scorecards import services
from scorecards.importers.base import PeriodError, cell_text, read_period
from scorecards.models import Indicator, Measurement


class Status:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"
    ERROR = "error"


STATUS_LABELS = {
    Status.NEW: lambda: _("New value"),
    Status.UPDATE: lambda: _("Changed value"),
    Status.UNCHANGED: lambda: _("Unchanged"),
    Status.SKIP: lambda: _("Skipped (no value)"),
    Status.ERROR: lambda: _("Error"),
}


@dataclass
class RowResult:
    line: int
    unit_code: str
    indicator_code: str
    period_code: str
    value_text: str
    comment: str | None
    value: Decimal | None = None
    old_value: Decimal | None = None
    status: str = Status.NEW
    errors: list = field(default_factory=list)
    unit: object = None
    indicator: object = None
    period: object = None
    period_key: tuple | None = None
    existing: object = None

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]()

    @property
    def is_error(self):
        return self.status == Status.ERROR

    def fail(self, *messages):
        self.status = Status.ERROR
        self.errors.extend(str(m) for m in messages)

    def as_dict(self):
        return {
            "row": self.line, "unit": self.unit_code, "indicator": self.indicator_code, "period": self.period_code,
            "value": None if self.value is None else str(self.value), "comment": self.comment,
            "previous_value": None if self.old_value is None else str(self.old_value),
            "status": self.status, "errors": list(self.errors),
        }


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    dry_run: bool = True
    written: bool = False
    kind: str = "measurements"

    @property
    def ok(self):
        return not self.file_errors and not any(r.is_error for r in self.rows)

    @property
    def error_rows(self):
        return [r for r in self.rows if r.is_error]

    def count(self, status):
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self):
        return {s: self.count(s) for s in (Status.NEW, Status.UPDATE, Status.UNCHANGED, Status.SKIP, Status.ERROR)}

    @property
    def changes(self):
        return self.count(Status.NEW) + self.count(Status.UPDATE)

    def as_dict(self):
        return {"kind": self.kind, "ok": self.ok, "dry_run": self.dry_run, "written": self.written,
                "errors": [str(e) for e in self.file_errors], "counts": self.counts,
                "rows": [r.as_dict() for r in self.rows]}

    def text_lines(self, *, errors_only=False):
        """The report as lines of text (for the management command)."""
        lines = [str(e) for e in self.file_errors]
        for r in self.rows:
            if errors_only and not r.is_error:
                continue
            head = _("Row %(line)s") % {"line": r.line}
            detail = "; ".join(r.errors) if r.errors else r.status_label
            lines.append(f"{head} ({r.unit_code} {r.indicator_code} {r.period_code}): {detail}")
        return lines


class _RollBack(Exception):
    pass


def _messages(error):
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]


def check_rows(*, user, rows):
    """The report of ``rows`` (ImportRow) without writing: each row's status or errors."""
    report = ImportReport()
    units = _by_code(scope.readable_units(user), {r.unit_code for r in rows if r.unit_code})
    indicators = _by_code(Indicator.objects.select_related("owner"), {r.indicator_code for r in rows if r.indicator_code})
    results = []
    for row in rows:
        result = RowResult(line=row.line, unit_code=row.unit_code, indicator_code=row.indicator_code,
                           period_code=cell_text(row.period), value_text=cell_text(row.value), comment=row.comment)
        results.append((row, result))
        if not row.unit_code:
            result.fail(_("The unit code is missing."))
        else:
            result.unit = _lookup(units, row.unit_code)
            if result.unit is None:
                result.fail(_("No unit has the code “%(code)s” (or it is not one you can see).") % {"code": row.unit_code})
            elif not scope.can(user, Action.ENTER_MEASUREMENTS, result.unit):
                result.fail(_("You may not enter measurements for %(unit)s (outside your scope).") % {"unit": result.unit})
        if not row.indicator_code:
            result.fail(_("The indicator code is missing."))
        else:
            result.indicator = _lookup(indicators, row.indicator_code)
            if result.indicator is None:
                result.fail(_("No indicator has the code “%(code)s”.") % {"code": row.indicator_code})
        try:
            result.period_key = read_period(row.period)
            result.period_code = _period_code(*result.period_key)
        except PeriodError as error:
            result.period_key = None
            result.fail(error)
        try:
            result.value = _read_value(row.value)
        except ValidationError as error:
            result.fail(*error.messages)
        if row.comment:
            try:
                # The fields declared bound for the board (governance.extensions), as the service checks.
                privacy.require_no_personal_data_in(Measurement(comment=row.comment))
            except ValidationError as error:
                result.fail(*error.messages)

    periods = _periods({r.period_key for _row, r in results if getattr(r, "period_key", None)})
    seen = {}
    for row, result in results:
        key = getattr(result, "period_key", None)
        if key is not None:
            result.period = periods.get(key)
            if result.period is None:
                result.fail(_("There is no reporting year %(year)s in Tillit, so %(period)s cannot be reported.")
                            % {"year": key[0], "period": result.period_code})
        if result.unit is not None and result.indicator is not None and result.period is not None:
            identity = (result.unit.pk, result.indicator.pk, result.period.pk)
            if identity in seen:
                result.fail(_("Row %(line)s already gives a value for the same unit, indicator and period.")
                            % {"line": seen[identity]})
            else:
                seen[identity] = result.line
            if scope.can(user, Action.ENTER_MEASUREMENTS, result.unit):
                try:
                    services.validate_measurement_target(indicator=result.indicator, unit=result.unit,
                                                         period=result.period)
                except ValidationError as error:
                    result.fail(*error.messages)
        if not result.is_error and result.value is None and not result.comment:
            result.status = Status.SKIP
    _compare_with_stored([r for _row, r in results if not r.is_error and r.status != Status.SKIP])
    report.rows = [r for _row, r in results]
    return report


def _by_code(queryset, codes):
    """Objects by external code, matched without regard to case (people type "fam-01"), in one
    query; an exact match wins where two codes differ only in case."""
    if not codes:
        return {}
    found = {}
    for obj in queryset.annotate(code_upper=Upper("external_code")).filter(code_upper__in={c.upper() for c in codes}):
        found[obj.external_code] = obj
        found.setdefault(obj.code_upper, obj)
    return found


def _lookup(found, code):
    return found.get(code) or found.get(code.upper())


def _period_code(year, kind, number):
    return {"year": f"{year}", "tertial": f"{year}-T{number}", "month": f"{year}-{number:02d}"}[kind]


def _read_value(raw):
    if isinstance(raw, float):
        # What Excel shows (15 significant digits), not the binary fraction behind it.
        raw = format(raw, ".15g")
    if isinstance(raw, str):
        raw = raw.replace("\u2009", "").replace("\u2007", "").replace("'", "")
    value = services.parse_decimal(raw)
    if value is not None:
        Measurement._meta.get_field("value").run_validators(value)
    return value


def _periods(keys):
    if not keys:
        return {}
    years = {year for year, _kind, _number in keys}
    return {(p.year.year, p.kind, p.number): p
            for p in Period.objects.filter(year__year__in=years).select_related("year")}


def _compare_with_stored(results):
    if not results:
        return
    stored = {(m.unit_id, m.indicator_id, m.period_id): m for m in Measurement.objects.filter(
        unit__in={r.unit.pk for r in results}, indicator__in={r.indicator.pk for r in results},
        period__in={r.period.pk for r in results})}
    for r in results:
        existing = stored.get((r.unit.pk, r.indicator.pk, r.period.pk))
        r.existing = existing
        if existing is None:
            r.status = Status.NEW
            continue
        comment = existing.comment if r.comment is None else r.comment
        if existing.value == r.value and existing.comment == comment:
            r.status = Status.UNCHANGED
        else:
            r.status, r.old_value = Status.UPDATE, existing.value


def import_measurements(*, user, rows, source=Measurement.Source.IMPORT, dry_run=False):
    """Check ``rows`` and, when every row is right, write them in one transaction (a dry run
    rolls it back). Returns the ImportReport; ``report.written`` says whether anything was kept."""
    report = check_rows(user=user, rows=rows)
    report.dry_run = dry_run
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for result in report.rows:
                if result.status not in (Status.NEW, Status.UPDATE):
                    continue
                comment = result.comment
                if comment is None:
                    comment = result.existing.comment if getattr(result, "existing", None) else ""
                try:
                    with transaction.atomic():
                        services.measurement_record(user=user, indicator=result.indicator, unit=result.unit,
                                                    period=result.period, value=result.value, comment=comment,
                                                    source=source)
                except (ValidationError, PermissionDenied, StaleWrite) as error:
                    result.fail(*_messages(error))
            if not report.ok or dry_run:
                raise _RollBack
    except _RollBack:
        return report
    report.written = report.changes > 0
    return report
