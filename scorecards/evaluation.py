"""Applying the status rule to stored data: which target applies, which period an indicator
is judged on in a reporting period, and the status that follows. No queries here: callers
fetch targets, measurements and periods in bulk and pass them in."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

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


@dataclass(frozen=True)
class Evaluation:
    value: Decimal | None
    status: Status
    target: object | None  # the Target row, or None
    period: object | None  # the Period judged


def evaluate(*, indicator, target, measurement, period, today=None):
    """The status of one indicator for one unit and period."""
    today = today or datetime.date.today()
    value = measurement.value if measurement is not None else None
    if period is None:
        return Evaluation(value=None, status=Status.NOT_DUE, target=target, period=None)
    status = indicator_status(
        value=value,
        target=target.target_value if target else None,
        target_max=target.target_max if target else None,
        yellow_threshold=target.yellow_threshold if target else None,
        tolerance_percent=target.tolerance_percent if target else None,
        direction=indicator.direction,
        period_ended=period.has_ended(today),
        default_tolerance_percent=settings.TILLIT_DEFAULT_TOLERANCE_PERCENT,
    )
    return Evaluation(value=value, status=status, target=target, period=period)
