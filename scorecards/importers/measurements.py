"""Check a file's measurement rows and write them all or nothing.

One function, ``import_measurements``, serves the web page (preview and confirm), the API and
the management command. It first checks every row (codes, period, number, scope, the indicator
being in the unit's scorecard, personal data in comments, duplicates) and reports each row's
status; only when no row is wrong does it write, through one call of
``services.measurements_record_batch`` inside one transaction. A dry run (the preview) makes the
same call with ``check_only``: every rule of the recorder runs on every value, only the bulk
writes are left out (and rolled back in any case), so a preview says what the confirm will do in
half the time of writing and rolling back (docs/benchmarks.md, "Measurement import"). Rules live in the service;
this module only gathers their answers row by row. Checking and writing are set-based: the number
of queries does not grow with the number of rows (tests/scale/test_import_queries.py,
docs/benchmarks.md).

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
from scorecards.importers.base import PeriodError, cell_text, normalise_code, read_period
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


PROGRESS_EVERY = 2000


def check_rows(*, user, rows, progress=None):
    """The report of ``rows`` (ImportRow) without writing: each row's status or errors.

    Set-based: one query each for the units, the indicators, the periods, the scorecard links
    and the stored values, whatever the number of rows (docs/benchmarks.md). ``progress``, if
    given, is called as ``progress(done, total)`` while the rows are checked."""
    report = ImportReport()
    total = len(rows)
    units = _by_code(scope.readable_units(user), {r.unit_code for r in rows if r.unit_code})
    indicators = _by_code(Indicator.objects.select_related("owner"),
                          {r.indicator_code for r in rows if r.indicator_code})
    may_enter = {}

    def can_enter(unit):
        if unit.pk not in may_enter:
            may_enter[unit.pk] = scope.can(user, Action.ENTER_MEASUREMENTS, unit)
        return may_enter[unit.pk]

    comment_errors = {}

    def comment_messages(comment):
        if comment not in comment_errors:
            try:
                # The fields declared bound for the board (governance.extensions), as the service checks.
                privacy.require_no_personal_data_in(Measurement(comment=comment))
                comment_errors[comment] = ()
            except ValidationError as error:
                comment_errors[comment] = tuple(error.messages)
        return comment_errors[comment]

    periods_read = {}
    results = []
    for done, row in enumerate(rows, start=1):
        result = RowResult(line=row.line, unit_code=row.unit_code, indicator_code=row.indicator_code,
                           period_code=cell_text(row.period), value_text=cell_text(row.value), comment=row.comment)
        results.append(result)
        if not row.unit_code:
            result.fail(_("The unit code is missing."))
        else:
            result.unit = _lookup(units, row.unit_code)
            if result.unit is None:
                result.fail(_("No unit has the code “%(code)s” (or it is not one you can see).")
                            % {"code": row.unit_code})
            elif not can_enter(result.unit):
                result.fail(_("You may not enter measurements for %(unit)s (outside your scope).")
                            % {"unit": result.unit})
        if not row.indicator_code:
            result.fail(_("The indicator code is missing."))
        else:
            result.indicator = _lookup(indicators, row.indicator_code)
            if result.indicator is None:
                result.fail(_("No indicator has the code “%(code)s”.") % {"code": row.indicator_code})
        try:
            raw_period = row.period
            cache_key = (type(raw_period), raw_period) if isinstance(raw_period, (str, int, float)) else None
            if cache_key is not None and cache_key in periods_read:
                result.period_key = periods_read[cache_key]
            else:
                result.period_key = read_period(raw_period)
                if cache_key is not None:
                    periods_read[cache_key] = result.period_key
            result.period_code = _period_code(*result.period_key)
        except PeriodError as error:
            result.period_key = None
            result.fail(error)
        try:
            result.value = _read_value(row.value)
        except ValidationError as error:
            result.fail(*error.messages)
        if row.comment:
            messages = comment_messages(row.comment)
            if messages:
                result.fail(*messages)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)

    periods = _periods({r.period_key for r in results if r.period_key})
    seen = {}
    targets = []
    for result in results:
        key = result.period_key
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
            if can_enter(result.unit):
                targets.append(result)
    # The rule of services.validate_measurement_target, for all rows in one query.
    target_errors = services.measurement_target_errors(
        [{"indicator": r.indicator, "unit": r.unit, "period": r.period} for r in targets])
    for index, messages in target_errors.items():
        targets[index].fail(*messages)
    for result in results:
        if not result.is_error and result.value is None and not result.comment:
            result.status = Status.SKIP
    _compare_with_stored([r for r in results if not r.is_error and r.status != Status.SKIP])
    if progress is not None:
        progress(total, total)
    report.rows = results
    return report


def _by_code(queryset, codes):
    """Objects by external code, matched without regard to case (people type "fam-01") or to
    look-alike characters (``normalise_code``: fullwidth digits, a non-breaking hyphen, a
    zero-width space), in one query; an exact match wins where two codes differ only in case."""
    wanted = {normalise_code(c).upper() for c in codes} - {""}
    if not wanted:
        return {}
    found = {}
    for obj in queryset.annotate(code_upper=Upper("external_code")).filter(code_upper__in=wanted):
        found[obj.external_code] = obj
        found.setdefault(obj.code_upper, obj)
    return found


def _lookup(found, code):
    if code in found:
        return found[code]
    code = normalise_code(code)
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
        period__in={r.period.pk for r in results}).iterator(chunk_size=2000)}
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


CHECKING, WRITING = "checking", "writing"


def import_measurements(*, user, rows, source=Measurement.Source.IMPORT, dry_run=False, progress=None):
    """Check ``rows`` and, when every row is right, write them in one transaction (a dry run
    rolls it back). Returns the ImportReport; ``report.written`` says whether anything was kept.

    The writing is one call of ``services.measurements_record_batch`` (the grid's and the API's
    recorder: set-based reads, bulk writes with history), keyed by the file's row so that its
    errors name the row. ``progress(stage, done, total)``, if given, hears of the checking
    (``CHECKING``, rows checked of the rows) and of the writing (``WRITING``, values written of
    the values to write); a background job shows it (scorecards/jobs.py)."""
    def checking(done, total):
        progress(CHECKING, done, total)

    report = check_rows(user=user, rows=rows, progress=checking if progress is not None else None)
    report.dry_run = dry_run
    if not report.ok:
        return report
    to_write = [r for r in report.rows if r.status in (Status.NEW, Status.UPDATE)]
    by_line = {r.line: r for r in to_write}
    items = []
    for result in to_write:
        comment = result.comment
        if comment is None:
            # No comment column: the stored comment stays.
            comment = result.existing.comment if result.existing is not None else ""
        items.append({"indicator": result.indicator, "unit": result.unit, "period": result.period,
                      "value": result.value, "comment": comment, "key": result.line})

    def writing(done, total):
        progress(WRITING, done, total)

    try:
        with transaction.atomic():
            try:
                _saved, errors = services.measurements_record_batch(
                    user=user, items=items, source=source, progress=writing if progress is not None else None,
                    check_only=dry_run)
            except (PermissionDenied, StaleWrite) as error:
                # Scope changed between the check and the write: every row to write is refused.
                errors = {r.line: _messages(error) for r in to_write}
            for line, messages in errors.items():
                by_line[line].fail(*messages)
            if not report.ok or dry_run:
                raise _RollBack
    except _RollBack:
        return report
    report.written = report.changes > 0
    return report
