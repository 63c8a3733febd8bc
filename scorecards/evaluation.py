"""Applying the status rule to stored data: which target applies, which period an indicator
is judged on in a reporting period, and the status that follows. No queries here: callers
fetch targets, measurements and periods in bulk and pass them in."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings

from governance.models import PeriodKind
from scorecards.status import Status, indicator_status


def target_key(indicator_id, year_id, unit_id):
    return (indicator_id, year_id, unit_id)


def index_targets(targets):
    """Targets keyed by (indicator, year, unit or None) for ``resolve_target``."""
    return {target_key(t.indicator_id, t.year_id, t.unit_id): t for t in targets}


def resolve_target(targets_by_key, *, indicator_id, year_id, unit_id):
    """The unit's own target row if there is one, else the indicator's default for the year."""
    return targets_by_key.get(target_key(indicator_id, year_id, unit_id)) or targets_by_key.get(
        target_key(indicator_id, year_id, None))


def judged_period(periods, *, kind, within):
    """The period of ``kind`` an indicator is judged on when reporting on ``within``: the last
    one that ends inside it (April for a monthly indicator in T1, T2 for a per-tertial one in
    the T2 round). A yearly indicator is judged on its year, which may not have ended yet.

    ``periods`` are the Period rows of the year (one query for the caller).
    """
    if kind == PeriodKind.YEAR:
        return next((p for p in periods if p.kind == PeriodKind.YEAR and p.year_id == within.year_id), None)
    candidates = [p for p in periods if p.kind == kind and within.start <= p.start and p.end <= within.end]
    return max(candidates, key=lambda p: p.end) if candidates else None


class TargetValues(NamedTuple):
    """A target's numbers without the model row, for code that reads targets with ``values_list``
    (``TARGET_VALUE_FIELDS``); ``judge`` takes either."""

    indicator_id: int
    unit_id: int | None
    target_value: Decimal
    target_max: Decimal | None
    yellow_threshold: Decimal | None
    tolerance_percent: Decimal | None


TARGET_VALUE_FIELDS = ("indicator_id", "unit_id", "target_value", "target_max", "yellow_threshold", "tolerance_percent")


def index_target_values(rows, *, year_id):
    """``index_targets`` for ``values_list(*TARGET_VALUE_FIELDS)`` rows of one year."""
    return {target_key(row[0], year_id, row[1]): TargetValues(*row) for row in rows}


def judge(*, value, target, direction, period_ended):
    """The status of a value against a target (a Target row, a ``TargetValues`` or None):
    ``scorecards.status.indicator_status`` with the municipality's default tolerance."""
    return indicator_status(
        value=value,
        target=target.target_value if target else None,
        target_max=target.target_max if target else None,
        yellow_threshold=target.yellow_threshold if target else None,
        tolerance_percent=target.tolerance_percent if target else None,
        direction=direction,
        period_ended=period_ended,
        default_tolerance_percent=settings.TILLIT_DEFAULT_TOLERANCE_PERCENT,
    )


@dataclass(frozen=True)
class Evaluation:
    value: Decimal | None
    status: Status
    target: object | None  # the Target row, or None
    period: object | None  # the Period judged


def evaluate(*, indicator, target, measurement, period, today=None):
    """The status of one indicator for one unit and period."""
    return evaluate_value(indicator=indicator, target=target, period=period, today=today,
                          value=measurement.value if measurement is not None else None)


def evaluate_value(*, indicator, target, value, period, today=None):
    """``evaluate`` for a value read without its Measurement row (None: no value)."""
    today = today or datetime.date.today()
    if period is None:
        return Evaluation(value=None, status=Status.NOT_DUE, target=target, period=None)
    status = judge(value=value, target=target, direction=indicator.direction, period_ended=period.has_ended(today))
    return Evaluation(value=value, status=status, target=target, period=period)
