"""Indicator status: the rule that turns a value, a target and thresholds into a status.

This module is the documented definition of an indicator's status for the municipality
(docs/architecture.md §4). It is a pure rule: no database, no models. The enums are Django ``TextChoices``
only so that model fields can use them as choices.

Statuses
========

Every status has a word beside its colour, because colour alone is not accessible:

=============  ===================  ================  ======  ===========================================
code           English              Swedish           colour  meaning
=============  ===================  ================  ======  ===========================================
``met``        Met                  Uppnått           green   the target is met
``partly``     Partly met           Delvis            yellow  not met, but within the yellow band
``not_met``    Not met              Ej uppnått        red     outside the yellow band
``missing``    Missing              Saknas            grey    no value, and the period has ended
``no_target``  No target            Målvärde saknas   grey    a value, but no target has been set
``not_due``    Not due              Ej aktuell        none    no value, and the period has not ended
=============  ===================  ================  ======  ===========================================

Only ``met``, ``partly`` and ``not_met`` are *assessed* statuses (steps 2, 1 and 0 in the roll-up,
see ``reporting.rules``); the three grey/none statuses say that there is nothing to assess.

The rule, in the order it is applied
====================================

1. **No value.** The status is ``missing`` if the period has ended, otherwise ``not_due``.
   A value that is present before the period has ended is assessed normally: it is a preliminary
   value, and the status is preliminary with it.
2. **No target.** A value without a target is ``no_target``.
3. **Tolerance.** The tolerance is the indicator's ``tolerance_percent`` if it is set, otherwise
   the default (10 %). The *tolerance band* is ``|target| × tolerance / 100``. It is proportional
   to the size of the target, so:

   - a **target of 0 has no tolerance band at all**, whatever the percentage: with a target of 0
     only an explicit yellow threshold can give a yellow status;
   - a **tolerance of 0** has no band either: the status is green or red;
   - **negative targets and values** work through ``|target|``; e.g. a target of −100 with 10 %
     tolerance has a band of 10.

4. **Direction ``increase``** (higher is better):

   - ``met`` if ``value ≥ target``;
   - the yellow floor is the explicit yellow threshold if one is set, otherwise ``target − band``;
   - ``partly`` if ``floor ≤ value < target``;
   - ``not_met`` below the floor.

   A yellow threshold above the target is inconsistent (forms reject it, see
   ``threshold_errors``). If one reaches this rule anyway it is ignored and there is **no yellow
   band**: the status is green or red. The rule never raises for it. A yellow threshold equal to the
   target likewise leaves no room for yellow.

5. **Direction ``decrease``** (lower is better) is the exact mirror:

   - ``met`` if ``value ≤ target``;
   - the yellow ceiling is the explicit yellow threshold if one is set, otherwise
     ``target + band``;
   - ``partly`` if ``target < value ≤ ceiling``;
   - ``not_met`` above the ceiling.

   A yellow threshold below the target is inconsistent and ignored (no yellow band).
   ``status(v, t, decrease, yellow=y)`` is always ``status(−v, −t, increase, yellow=−y)``.

6. **Direction ``target``** (closer to target is better, two-sided):

   - the target is the range ``[target, target_max]``; ``target_max`` defaults to ``target``
     (a single point), and if ``target_max < target`` the two are swapped;
   - ``met`` inside the range, both ends included;
   - the band is ``max(|target|, |target_max|) × tolerance / 100``;
   - ``partly`` within the band outside the range on either side (band edges included);
   - ``not_met`` further away.

   A yellow threshold is **not used** for this direction (a single threshold cannot describe a
   two-sided band); forms reject it.

7. ``target_max`` is ignored for ``increase`` and ``decrease``.

Numbers
=======

Values, targets, thresholds and tolerances may be ``int``, ``float``, ``Decimal`` or
``Fraction``. They are converted to ``Decimal`` (floats through ``str``, so ``0.1`` is exactly
``0.1``) and all arithmetic is ``Decimal`` arithmetic with 60 significant digits; comparisons
are exact. The rule never raises for a number, however large, small or negative. Numbers that
are not finite (NaN, ±infinity) cannot be a measurement or a setting: such a value counts as no
value, such a target as no target, such a yellow threshold or ``target_max`` as not set, and such
a tolerance as not set. A negative tolerance counts as 0. (A tolerance above 100 % is used as
given; forms reject it.)

Percent and fraction
====================

Percent indicators store **percent points**: 78.5 means 78.5 %. The status rule **never guesses**
a scale: it compares the value with the target in the indicator's own scale, so 0.785 against a
target of 80 is simply red. Converting at the input is the job of ``to_percent_points``, and
``looks_like_fraction`` lets a form warn "did you mean 78,5 %?" when a value looks like a
fraction typed by mistake.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from fractions import Fraction

from django.db.models import TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Direction",
    "Status",
    "STATUS_COLOURS",
    "STATUS_STEPS",
    "is_assessed",
    "indicator_status",
    "threshold_errors",
    "to_percent_points",
    "looks_like_fraction",
]


class Direction(TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")
    TARGET = "target", _("Closer to target is better")


class Status(TextChoices):
    MET = "met", _("Met")  # sv: Uppnått
    PARTLY = "partly", _("Partly met")  # sv: Delvis
    NOT_MET = "not_met", _("Not met")  # sv: Ej uppnått
    MISSING = "missing", _("Missing")  # sv: Saknas
    NO_TARGET = "no_target", _("No target")  # sv: Målvärde saknas
    NOT_DUE = "not_due", _("Not due")  # sv: Ej aktuell


STATUS_COLOURS: dict[Status, str] = {
    Status.MET: "green",
    Status.PARTLY: "yellow",
    Status.NOT_MET: "red",
    Status.MISSING: "grey",
    Status.NO_TARGET: "grey",
    Status.NOT_DUE: "none",
}

STATUS_STEPS: dict[Status, int] = {
    Status.MET: 2,
    Status.PARTLY: 1,
    Status.NOT_MET: 0,
}

# Traps off: a huge input must give an (infinite) result, not an exception. Sixty digits keep
# the band arithmetic exact for anything a form or a float can hold.
_ARITHMETIC = Context(prec=60, rounding=ROUND_HALF_EVEN, traps=[])
_HUNDRED = Decimal(100)


def is_assessed(status) -> bool:
    """True for the statuses that say something about the target: met, partly met, not met."""
    return status in STATUS_STEPS


def _to_decimal(number) -> Decimal | None:
    if number is None:
        return None
    if isinstance(number, Decimal):
        return number
    if isinstance(number, int):
        return Decimal(number)
    if isinstance(number, float):
        # Through str so that 0.1 is 0.1, not 0.1000000000000000055511151231257827.
        return Decimal(str(number))
    if isinstance(number, Fraction):
        with localcontext(_ARITHMETIC):
            return Decimal(number.numerator) / Decimal(number.denominator)
    if isinstance(number, str):
        # A string here means a form skipped its number field; "78,5" must not be guessed at.
        raise TypeError(f"expected a number, got the string {number!r}")
    return Decimal(str(number))


def _finite(number) -> Decimal | None:
    converted = _to_decimal(number)
    if converted is None or not converted.is_finite():
        return None
    return converted


def _tolerance(tolerance_percent, default_tolerance_percent) -> Decimal:
    tolerance = _finite(tolerance_percent)
    if tolerance is None:
        tolerance = _finite(default_tolerance_percent)
    if tolerance is None or tolerance < 0:
        return Decimal(0)
    return tolerance


def indicator_status(
    *,
    value,
    target,
    direction,
    target_max=None,
    yellow_threshold=None,
    tolerance_percent=None,
    period_ended=True,
    default_tolerance_percent=10,
) -> Status:
    """The status of one indicator for one period; the rule is in the module docstring."""
    direction = Direction(direction)
    value = _finite(value)
    if value is None:
        return Status.MISSING if period_ended else Status.NOT_DUE
    target = _finite(target)
    if target is None:
        return Status.NO_TARGET
    tolerance = _tolerance(tolerance_percent, default_tolerance_percent)

    with localcontext(_ARITHMETIC):
        if direction == Direction.TARGET:
            return _two_sided_status(value, target, _finite(target_max), tolerance)
        yellow = _finite(yellow_threshold)
        if direction == Direction.DECREASE:
            # Mirror onto "higher is better" so that both directions share one rule; copy_negate
            # is exact, where unary minus would round to the context's precision.
            value, target = value.copy_negate(), target.copy_negate()
            yellow = None if yellow is None else yellow.copy_negate()
        return _increase_status(value, target, yellow, tolerance)


def _increase_status(value: Decimal, target: Decimal, yellow: Decimal | None, tolerance: Decimal) -> Status:
    if value >= target:
        return Status.MET
    if yellow is None:
        floor = target - target.copy_abs() * tolerance / _HUNDRED
    elif yellow <= target:
        floor = yellow
    else:
        return Status.NOT_MET  # an inconsistent threshold is ignored, leaving no yellow band
    return Status.PARTLY if value >= floor else Status.NOT_MET


def _two_sided_status(value: Decimal, target: Decimal, target_max: Decimal | None, tolerance: Decimal) -> Status:
    low, high = sorted((target, target if target_max is None else target_max))
    if low <= value <= high:
        return Status.MET
    band = max(low.copy_abs(), high.copy_abs()) * tolerance / _HUNDRED
    if low - band <= value <= high + band:
        return Status.PARTLY
    return Status.NOT_MET


def threshold_errors(
    *,
    direction,
    target,
    target_max=None,
    yellow_threshold=None,
    tolerance_percent=None,
) -> list[str]:
    """Why a combination of target and thresholds is not acceptable; an empty list when it is.

    The input forms use this so that ``indicator_status`` never meets an inconsistent setting in
    practice (it ignores one if it does). The checks:

    - ``increase``: a yellow threshold must be at or below the target;
    - ``decrease``: a yellow threshold must be at or above the target;
    - ``target``: no yellow threshold (the tolerance gives the two-sided band);
    - an upper target (``target_max``) only for ``target``; there it must be at or above the target
      (its order is only checked where it is used, so one mistake gives one message);
    - the tolerance must be between 0 and 100 percent, both included.

    Comparisons with the target are skipped while the target is empty. Messages are translated
    into the active language.
    """
    direction = Direction(direction)
    target = _finite(target)
    target_max = _finite(target_max)
    yellow = _finite(yellow_threshold)
    tolerance = _finite(tolerance_percent)
    errors: list[str] = []

    if yellow is not None:
        if direction == Direction.TARGET:
            errors.append(gettext("For 'closer to target' use the tolerance, not a yellow threshold."))
        elif target is not None and direction == Direction.INCREASE and yellow > target:
            errors.append(gettext("For 'higher is better' the yellow threshold must be at or below the target."))
        elif target is not None and direction == Direction.DECREASE and yellow < target:
            errors.append(gettext("For 'lower is better' the yellow threshold must be at or above the target."))

    if target_max is not None:
        if direction != Direction.TARGET:
            errors.append(gettext("An upper target is only used for 'closer to target'."))
        elif target is not None and target_max < target:
            errors.append(gettext("The upper target must be at or above the target."))

    if tolerance is not None and not (0 <= tolerance <= 100):
        errors.append(gettext("The tolerance must be between 0 and 100 percent."))

    return errors


def to_percent_points(value, *, given_as_fraction: bool) -> Decimal | None:
    """The value in percent points: a fraction (0.785) is multiplied by 100 (78.5); None stays None."""
    converted = _to_decimal(value)
    if converted is None or not given_as_fraction:
        return converted
    with localcontext(_ARITHMETIC):
        return converted * _HUNDRED


def looks_like_fraction(*, value, target) -> bool:
    """True when a percent indicator's value is probably a fraction typed by mistake.

    That is: ``0 < |value| ≤ 1`` while ``|target| > 1`` (0.785 against a target of 80 %). The form
    warns ("did you mean 78,5 %?") and lets the user decide; nothing is converted silently.
    False when either number is missing or not finite.
    """
    value = _finite(value)
    target = _finite(target)
    if value is None or target is None:
        return False
    return 0 < value.copy_abs() <= 1 and target.copy_abs() > 1
