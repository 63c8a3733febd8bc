"""The indicator status rule (scorecards/status.py; docs/architecture.md §4). Pure: no database."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecards.status import (
    STATUS_COLOURS,
    STATUS_STEPS,
    Direction,
    Status,
    indicator_status,
    is_assessed,
    looks_like_fraction,
    threshold_errors,
    to_percent_points,
)

INC, DEC, TGT = Direction.INCREASE, Direction.DECREASE, Direction.TARGET
MET, PARTLY, NOT_MET = Status.MET, Status.PARTLY, Status.NOT_MET
D = Decimal


# --- the enums -------------------------------------------------------------------------------


def test_statuses_have_english_labels_and_stored_codes():
    with translation.override("en"):
        assert [(s.value, str(s.label)) for s in Status] == [
            ("met", "Met"),
            ("partly", "Partly met"),
            ("not_met", "Not met"),
            ("missing", "Missing"),
            ("no_target", "No target"),
            ("not_due", "Not due"),
        ]


def test_directions_have_english_labels_and_stored_codes():
    with translation.override("en"):
        assert [(d.value, str(d.label)) for d in Direction] == [
            ("increase", "Higher is better"),
            ("decrease", "Lower is better"),
            ("target", "Closer to target is better"),
        ]


def test_every_status_has_a_colour():
    assert STATUS_COLOURS == {
        Status.MET: "green",
        Status.PARTLY: "yellow",
        Status.NOT_MET: "red",
        Status.MISSING: "grey",
        Status.NO_TARGET: "grey",
        Status.NOT_DUE: "none",
    }


def test_only_met_partly_and_not_met_have_steps():
    assert STATUS_STEPS == {Status.MET: 2, Status.PARTLY: 1, Status.NOT_MET: 0}


@pytest.mark.parametrize(
    "status,expected",
    [
        (Status.MET, True),
        (Status.PARTLY, True),
        (Status.NOT_MET, True),
        (Status.MISSING, False),
        (Status.NO_TARGET, False),
        (Status.NOT_DUE, False),
        ("met", True),
        ("not_due", False),
        (None, False),
    ],
)
def test_is_assessed_only_for_met_partly_and_not_met(status, expected):
    assert is_assessed(status) is expected


# --- increase --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        (D("1000"), MET),
        (D("80.01"), MET),
        (D("80"), MET),  # at the target
        (D("79.99"), PARTLY),  # just below the target
        (D("72.01"), PARTLY),
        (D("72"), PARTLY),  # at the floor: 80 − 80 × 10 %
        (D("71.99"), NOT_MET),  # just below the floor
        (D("0"), NOT_MET),
        (D("-80"), NOT_MET),
    ],
)
def test_increase_with_default_ten_percent_tolerance(value, expected):
    assert indicator_status(value=value, target=D("80"), direction=INC) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (D("80"), MET),
        (D("79.99"), PARTLY),
        (D("75.01"), PARTLY),
        (D("75"), PARTLY),  # at the explicit yellow threshold
        (D("74.99"), NOT_MET),
        (D("72"), NOT_MET),  # would be yellow by the 10 % tolerance: the threshold wins
    ],
)
def test_increase_explicit_yellow_threshold_replaces_the_tolerance(value, expected):
    assert indicator_status(value=value, target=80, direction=INC, yellow_threshold=75, tolerance_percent=10) == expected


@pytest.mark.parametrize(
    "value,expected",
    [(D("80"), MET), (D("76"), PARTLY), (D("75.99"), NOT_MET)],
)
def test_increase_with_explicit_tolerance_percent(value, expected):
    assert indicator_status(value=value, target=80, direction=INC, tolerance_percent=5) == expected


@pytest.mark.parametrize("value,expected", [(D("80"), MET), (D("79.99"), NOT_MET), (D("72"), NOT_MET)])
def test_increase_with_zero_tolerance_has_no_yellow(value, expected):
    assert indicator_status(value=value, target=80, direction=INC, tolerance_percent=0) == expected


def test_increase_uses_the_given_default_tolerance_when_none_is_set():
    assert indicator_status(value=64, target=80, direction=INC, default_tolerance_percent=20) == PARTLY
    assert indicator_status(value=D("63.99"), target=80, direction=INC, default_tolerance_percent=20) == NOT_MET


def test_indicator_tolerance_overrides_the_default_tolerance():
    assert indicator_status(value=64, target=80, direction=INC, tolerance_percent=0, default_tolerance_percent=20) == NOT_MET


# --- decrease --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        (D("0"), MET),
        (D("19.99"), MET),
        (D("20"), MET),  # at the target
        (D("20.01"), PARTLY),  # just above the target
        (D("21.99"), PARTLY),
        (D("22"), PARTLY),  # at the ceiling: 20 + 20 × 10 %
        (D("22.01"), NOT_MET),  # just above the ceiling
        (D("100"), NOT_MET),
    ],
)
def test_decrease_with_default_ten_percent_tolerance(value, expected):
    assert indicator_status(value=value, target=D("20"), direction=DEC) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (D("20"), MET),
        (D("20.01"), PARTLY),
        (D("23"), PARTLY),  # would be red by the 10 % tolerance: the threshold wins
        (D("25"), PARTLY),  # at the explicit yellow threshold
        (D("25.01"), NOT_MET),
    ],
)
def test_decrease_explicit_yellow_threshold_replaces_the_tolerance(value, expected):
    assert indicator_status(value=value, target=20, direction=DEC, yellow_threshold=25) == expected


@pytest.mark.parametrize("value,expected", [(D("20"), MET), (D("20.01"), NOT_MET)])
def test_decrease_with_zero_tolerance_has_no_yellow(value, expected):
    assert indicator_status(value=value, target=20, direction=DEC, tolerance_percent=0) == expected


# --- target (two-sided) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        (D("50"), MET),  # at the target
        (D("50.01"), PARTLY),
        (D("49.99"), PARTLY),
        (D("55"), PARTLY),  # at the upper band edge: 50 + 50 × 10 %
        (D("45"), PARTLY),  # at the lower band edge
        (D("55.01"), NOT_MET),
        (D("44.99"), NOT_MET),
        (D("0"), NOT_MET),
    ],
)
def test_target_point_with_default_tolerance(value, expected):
    assert indicator_status(value=value, target=D("50"), direction=TGT) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (D("40"), MET),  # the lower end of the range is inside
        (D("50"), MET),
        (D("60"), MET),  # the upper end of the range is inside
        (D("39.99"), PARTLY),
        (D("60.01"), PARTLY),
        (D("34"), PARTLY),  # band is max(|40|, |60|) × 10 % = 6 on both sides
        (D("66"), PARTLY),
        (D("33.99"), NOT_MET),
        (D("66.01"), NOT_MET),
    ],
)
def test_target_range_with_default_tolerance(value, expected):
    assert indicator_status(value=value, target=40, target_max=60, direction=TGT) == expected
    # a range given the wrong way round is swapped, not rejected
    assert indicator_status(value=value, target=60, target_max=40, direction=TGT) == expected


@pytest.mark.parametrize("value,expected", [(D("50"), MET), (D("50.01"), NOT_MET), (D("49.99"), NOT_MET)])
def test_target_with_zero_tolerance_has_no_yellow(value, expected):
    assert indicator_status(value=value, target=50, direction=TGT, tolerance_percent=0) == expected


def test_target_ignores_a_yellow_threshold():
    # 45 would be yellow if the threshold counted; the tolerance band is 50 ± 2.5.
    assert indicator_status(value=45, target=50, direction=TGT, yellow_threshold=40, tolerance_percent=5) == NOT_MET
    assert indicator_status(value=D("47.5"), target=50, direction=TGT, yellow_threshold=40, tolerance_percent=5) == PARTLY


@pytest.mark.parametrize("direction", [INC, DEC])
def test_target_max_is_ignored_outside_the_target_direction(direction):
    # 90 against [80, 100] would be met for "closer to target"; here only the target 80 counts.
    expected = MET if direction == INC else NOT_MET
    assert indicator_status(value=90, target=80, target_max=100, direction=direction) == expected
    assert indicator_status(value=90, target=80, direction=direction) == expected


# --- target 0 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "direction,value,tolerance,yellow,expected",
    [
        # a percentage of 0 is 0: no band, even with a 100 % tolerance
        (INC, D("0"), 10, None, MET),
        (INC, D("0.01"), 10, None, MET),
        (INC, D("-0.01"), 10, None, NOT_MET),
        (INC, D("-0.01"), 100, None, NOT_MET),
        # only an explicit yellow threshold gives a band
        (INC, D("-300"), 10, D("-300"), PARTLY),
        (INC, D("-300.01"), 10, D("-300"), NOT_MET),
        (DEC, D("0"), 10, None, MET),
        (DEC, D("-5"), 10, None, MET),
        (DEC, D("0.01"), 100, None, NOT_MET),
        (DEC, D("5"), 10, D("5"), PARTLY),
        (DEC, D("5.01"), 10, D("5"), NOT_MET),
        (TGT, D("0"), 10, None, MET),
        (TGT, D("0.01"), 50, None, NOT_MET),
        (TGT, D("-0.01"), 50, None, NOT_MET),
        (TGT, D("0.01"), 50, D("1"), NOT_MET),  # not even a yellow threshold helps here
    ],
)
def test_target_zero_has_no_percentage_band(direction, value, tolerance, yellow, expected):
    assert (
        indicator_status(value=value, target=0, direction=direction, tolerance_percent=tolerance, yellow_threshold=yellow)
        == expected
    )


def test_budget_deviation_of_minus_250_tkr_against_target_0_is_red_without_a_threshold():
    assert indicator_status(value=-250, target=0, direction=INC) == NOT_MET


def test_budget_deviation_of_minus_250_tkr_is_yellow_with_a_yellow_threshold_of_minus_500():
    assert indicator_status(value=-250, target=0, direction=INC, yellow_threshold=-500) == PARTLY


def test_target_range_from_zero_takes_its_band_from_the_far_end():
    # [0, 10] with 10 %: band 1 on both sides, although |0| × 10 % is 0.
    assert indicator_status(value=D("10.5"), target=0, target_max=10, direction=TGT) == PARTLY
    assert indicator_status(value=D("-1"), target=0, target_max=10, direction=TGT) == PARTLY
    assert indicator_status(value=D("-1.01"), target=0, target_max=10, direction=TGT) == NOT_MET


# --- negative targets and values -------------------------------------------------------------


@pytest.mark.parametrize(
    "direction,value,expected",
    [
        # target −100, band |−100| × 10 % = 10
        (INC, D("-99"), MET),
        (INC, D("-100"), MET),
        (INC, D("-105"), PARTLY),
        (INC, D("-110"), PARTLY),
        (INC, D("-110.01"), NOT_MET),
        (DEC, D("-150"), MET),
        (DEC, D("-100"), MET),
        (DEC, D("-95"), PARTLY),
        (DEC, D("-90"), PARTLY),
        (DEC, D("-89.99"), NOT_MET),
        (TGT, D("-100"), MET),
        (TGT, D("-110"), PARTLY),
        (TGT, D("-90"), PARTLY),
        (TGT, D("-110.01"), NOT_MET),
        (TGT, D("-89.99"), NOT_MET),
    ],
)
def test_negative_target_uses_its_absolute_value_for_the_band(direction, value, expected):
    assert indicator_status(value=value, target=-100, direction=direction) == expected


@pytest.mark.parametrize(
    "value,expected",
    [(D("-10"), MET), (D("20"), MET), (D("-12"), PARTLY), (D("22"), PARTLY), (D("-12.01"), NOT_MET), (D("22.01"), NOT_MET)],
)
def test_target_range_across_zero(value, expected):
    # [−10, 20]: band max(10, 20) × 10 % = 2
    assert indicator_status(value=value, target=-10, target_max=20, direction=TGT) == expected


# --- no value, no target, period not ended ---------------------------------------------------


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("target", [80, None])
def test_no_value_for_an_ended_period_is_missing(direction, target):
    assert indicator_status(value=None, target=target, direction=direction, period_ended=True) == Status.MISSING


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("target", [80, None])
def test_no_value_before_the_period_has_ended_is_not_due(direction, target):
    assert indicator_status(value=None, target=target, direction=direction, period_ended=False) == Status.NOT_DUE


def test_period_ended_is_the_default():
    assert indicator_status(value=None, target=80, direction=INC) == Status.MISSING


@pytest.mark.parametrize("value,expected", [(80, MET), (75, PARTLY), (50, NOT_MET)])
def test_a_value_before_the_period_has_ended_is_assessed_as_a_preliminary_value(value, expected):
    assert indicator_status(value=value, target=80, direction=INC, period_ended=False) == expected


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("period_ended", [True, False])
def test_a_value_without_a_target_has_no_target(direction, period_ended):
    assert indicator_status(value=5, target=None, direction=direction, period_ended=period_ended) == Status.NO_TARGET


# --- inconsistent thresholds -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        (D("80"), MET),
        (D("85"), MET),
        (D("79.99"), NOT_MET),  # the 10 % tolerance would make it yellow: an ignored threshold leaves no band
        (D("75"), NOT_MET),
    ],
)
def test_increase_yellow_threshold_above_target_is_ignored_without_a_yellow_band(value, expected):
    assert indicator_status(value=value, target=80, direction=INC, yellow_threshold=90) == expected


@pytest.mark.parametrize("value,expected", [(D("15"), MET), (D("20"), MET), (D("20.01"), NOT_MET), (D("21"), NOT_MET)])
def test_decrease_yellow_threshold_below_target_is_ignored_without_a_yellow_band(value, expected):
    assert indicator_status(value=value, target=20, direction=DEC, yellow_threshold=10) == expected


@pytest.mark.parametrize("direction,value", [(INC, D("79.99")), (DEC, D("80.01"))])
def test_yellow_threshold_equal_to_target_leaves_no_room_for_yellow(direction, value):
    assert indicator_status(value=value, target=80, direction=direction, yellow_threshold=80) == NOT_MET


# --- numbers ---------------------------------------------------------------------------------


def test_floats_compare_as_their_decimal_digits():
    # In float arithmetic 1.1 − 0.11 is 0.9900000000000001, which would make 0.99 red.
    assert indicator_status(value=0.99, target=1.1, direction=INC) == PARTLY
    assert indicator_status(value=0.98, target=1.1, direction=INC) == NOT_MET


def test_ints_floats_decimals_and_fractions_give_the_same_status():
    for value in (78, 78.0, D("78"), Fraction(156, 2)):
        assert indicator_status(value=value, target=80.0, direction=INC, tolerance_percent=D("2.5")) == PARTLY


def test_direction_may_be_given_as_its_stored_code():
    assert indicator_status(value=75, target=80, direction="increase") == PARTLY
    assert indicator_status(value=75, target=80, direction="decrease") == MET


def test_an_unknown_direction_is_a_programming_error():
    with pytest.raises(ValueError):
        indicator_status(value=1, target=1, direction="sideways")


def test_a_string_value_is_refused_rather_than_guessed():
    with pytest.raises(TypeError):
        indicator_status(value="78,5", target=80, direction=INC)


@pytest.mark.parametrize("period_ended,expected", [(True, Status.MISSING), (False, Status.NOT_DUE)])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), D("NaN"), D("sNaN"), D("Infinity")])
def test_a_value_that_is_not_finite_counts_as_no_value(value, period_ended, expected):
    assert indicator_status(value=value, target=80, direction=INC, period_ended=period_ended) == expected


@pytest.mark.parametrize("target", [float("nan"), float("inf"), D("-Infinity")])
def test_a_target_that_is_not_finite_counts_as_no_target(target):
    assert indicator_status(value=80, target=target, direction=INC) == Status.NO_TARGET


def test_a_yellow_threshold_that_is_not_finite_counts_as_not_set():
    # falls back to the 10 % tolerance: floor 72
    assert indicator_status(value=0, target=80, direction=INC, yellow_threshold=float("-inf")) == NOT_MET
    assert indicator_status(value=72, target=80, direction=INC, yellow_threshold=float("-inf")) == PARTLY
    assert indicator_status(value=72, target=80, direction=INC, yellow_threshold=float("nan")) == PARTLY


def test_a_tolerance_that_is_not_finite_counts_as_not_set():
    # falls back to the default 10 %: floor 72
    assert indicator_status(value=0, target=80, direction=INC, tolerance_percent=float("inf")) == NOT_MET
    assert indicator_status(value=72, target=80, direction=INC, tolerance_percent=float("nan")) == PARTLY


def test_a_target_max_that_is_not_finite_counts_as_not_set():
    assert indicator_status(value=60, target=50, target_max=float("inf"), direction=TGT) == NOT_MET


def test_a_negative_tolerance_counts_as_zero():
    assert indicator_status(value=D("79.99"), target=80, direction=INC, tolerance_percent=-10) == NOT_MET
    assert indicator_status(value=D("50.01"), target=50, direction=TGT, tolerance_percent=-10) == NOT_MET


def test_a_tolerance_above_one_hundred_percent_is_used_as_given():
    assert indicator_status(value=-50, target=100, direction=INC, tolerance_percent=150) == PARTLY


@pytest.mark.parametrize("direction", list(Direction))
def test_huge_numbers_do_not_raise(direction):
    huge = D("9E+999999")
    for value, target in [(huge, huge), (-huge, huge), (huge, -huge), (D("1E-999999"), huge), (1e308, -1e308)]:
        status = indicator_status(value=value, target=target, direction=direction, target_max=-huge, yellow_threshold=huge)
        assert isinstance(status, Status)


# --- percent and fraction --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,given_as_fraction,expected",
    [
        (0.785, True, D("78.5")),
        (D("0.785"), True, D("78.5")),
        (1, True, D("100")),
        (0, True, D("0")),
        (-0.05, True, D("-5")),
        (78.5, False, D("78.5")),
        (D("0.785"), False, D("0.785")),
        (None, True, None),
        (None, False, None),
    ],
)
def test_to_percent_points(value, given_as_fraction, expected):
    result = to_percent_points(value, given_as_fraction=given_as_fraction)
    assert result == expected
    assert result is None or isinstance(result, Decimal)


@pytest.mark.parametrize(
    "value,target,expected",
    [
        (0.785, 80, True),
        (D("1"), 80, True),  # 1 with a target of 80 % is surely 100 %, not 1 %
        (-0.5, 80, True),
        (0.5, -80, True),
        (1.01, 80, False),
        (0, 80, False),  # zero is zero in any scale
        (78.5, 80, False),
        (0.5, 1, False),  # a target of 1 % makes 0.5 % plausible
        (0.5, D("0.9"), False),
        (None, 80, False),
        (0.5, None, False),
        (float("nan"), 80, False),
        (0.5, float("inf"), False),
    ],
)
def test_looks_like_fraction(value, target, expected):
    assert looks_like_fraction(value=value, target=target) is expected


def test_status_never_guesses_that_a_value_is_a_fraction():
    assert indicator_status(value=D("0.785"), target=80, direction=INC) == NOT_MET
    assert indicator_status(value=D("0.785"), target=80, direction=DEC) == MET


# --- threshold_errors ------------------------------------------------------------------------

INC_YELLOW_ABOVE = "For 'higher is better' the yellow threshold must be at or below the target."
DEC_YELLOW_BELOW = "For 'lower is better' the yellow threshold must be at or above the target."
TARGET_YELLOW = "For 'closer to target' use the tolerance, not a yellow threshold."
TARGET_MAX_UNUSED = "An upper target is only used for 'closer to target'."
TARGET_MAX_BELOW = "The upper target must be at or above the target."
TOLERANCE_RANGE = "The tolerance must be between 0 and 100 percent."


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        (dict(direction=INC, target=80, yellow_threshold=81), [INC_YELLOW_ABOVE]),
        (dict(direction=DEC, target=20, yellow_threshold=19), [DEC_YELLOW_BELOW]),
        (dict(direction=TGT, target=50, yellow_threshold=45), [TARGET_YELLOW]),
        (dict(direction=INC, target=50, target_max=60), [TARGET_MAX_UNUSED]),
        (dict(direction=DEC, target=50, target_max=60), [TARGET_MAX_UNUSED]),
        (dict(direction=TGT, target=60, target_max=40), [TARGET_MAX_BELOW]),
        (dict(direction=INC, target=80, tolerance_percent=-1), [TOLERANCE_RANGE]),
        (dict(direction=INC, target=80, tolerance_percent=D("100.01")), [TOLERANCE_RANGE]),
        (
            dict(direction=INC, target=80, yellow_threshold=90, target_max=100, tolerance_percent=200),
            [INC_YELLOW_ABOVE, TARGET_MAX_UNUSED, TOLERANCE_RANGE],
        ),
        (
            dict(direction=TGT, target=60, target_max=40, yellow_threshold=50, tolerance_percent=-5),
            [TARGET_YELLOW, TARGET_MAX_BELOW, TOLERANCE_RANGE],
        ),
    ],
)
def test_threshold_errors_reports_each_inconsistency(kwargs, expected):
    with translation.override("en"):
        assert threshold_errors(**kwargs) == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(direction=INC, target=80),
        dict(direction=INC, target=80, yellow_threshold=75, tolerance_percent=10),
        dict(direction=INC, target=80, yellow_threshold=80),
        dict(direction=INC, target=0, yellow_threshold=-500),
        dict(direction=DEC, target=20, yellow_threshold=25),
        dict(direction=DEC, target=20, yellow_threshold=20),
        dict(direction=DEC, target=-100, yellow_threshold=-90),
        dict(direction=TGT, target=50),
        dict(direction=TGT, target=40, target_max=60, tolerance_percent=5),
        dict(direction=TGT, target=40, target_max=40),
        dict(direction=INC, target=80, tolerance_percent=0),
        dict(direction=INC, target=80, tolerance_percent=100),
        dict(direction="decrease", target=20, yellow_threshold=25.5),
        # without a target there is nothing to compare a threshold with yet
        dict(direction=INC, target=None, yellow_threshold=75),
        dict(direction=TGT, target=None, target_max=40),
    ],
)
def test_threshold_errors_is_empty_for_valid_input(kwargs):
    assert threshold_errors(**kwargs) == []


def test_threshold_errors_are_plain_strings_in_the_active_language():
    with translation.override("en"):
        errors = threshold_errors(direction=INC, target=80, yellow_threshold=90)
    assert errors == [INC_YELLOW_ABOVE]
    assert type(errors[0]) is str  # not lazy: safe to put in a form error or JSON


# --- properties ------------------------------------------------------------------------------

finite = st.decimals(allow_nan=False, allow_infinity=False)
optional_finite = st.none() | finite
any_number = (
    st.none()
    | st.decimals()
    | st.floats()
    | st.integers()
    | st.fractions()
    | st.sampled_from([D("9E+999999"), D("-9E+999999"), D("1E-999999"), D("sNaN"), 0, -0.0])
)
tolerances = st.none() | st.decimals(min_value=-10, max_value=300, allow_nan=False, places=2)


@settings(max_examples=150, deadline=None)
@given(
    value=any_number,
    target=any_number,
    target_max=any_number,
    yellow=any_number,
    tolerance=any_number,
    default_tolerance=any_number,
    direction=st.sampled_from(Direction),
    period_ended=st.booleans(),
)
def test_indicator_status_never_raises_for_any_number(
    value, target, target_max, yellow, tolerance, default_tolerance, direction, period_ended
):
    status = indicator_status(
        value=value,
        target=target,
        direction=direction,
        target_max=target_max,
        yellow_threshold=yellow,
        tolerance_percent=tolerance,
        period_ended=period_ended,
        default_tolerance_percent=default_tolerance,
    )
    assert isinstance(status, Status)


@settings(max_examples=150, deadline=None)
@given(value=finite, target=finite, target_max=optional_finite, yellow=optional_finite, tolerance=tolerances)
def test_finite_value_and_target_always_give_an_assessed_status(value, target, target_max, yellow, tolerance):
    for direction in Direction:
        status = indicator_status(
            value=value,
            target=target,
            direction=direction,
            target_max=target_max,
            yellow_threshold=yellow,
            tolerance_percent=tolerance,
        )
        assert is_assessed(status)


@settings(max_examples=150, deadline=None)
@given(value=finite, target=finite, yellow=optional_finite, tolerance=tolerances)
def test_decrease_mirrors_increase(value, target, yellow, tolerance):
    # copy_negate is exact; unary minus would round to 28 digits
    mirrored_yellow = None if yellow is None else yellow.copy_negate()
    decrease = indicator_status(
        value=value, target=target, direction=DEC, yellow_threshold=yellow, tolerance_percent=tolerance
    )
    mirrored_increase = indicator_status(
        value=value.copy_negate(),
        target=target.copy_negate(),
        direction=INC,
        yellow_threshold=mirrored_yellow,
        tolerance_percent=tolerance,
    )
    assert decrease == mirrored_increase


@settings(max_examples=150, deadline=None)
@given(a=finite, b=finite, target=finite, yellow=optional_finite, tolerance=tolerances)
def test_raising_a_value_never_makes_an_increase_indicator_worse(a, b, target, yellow, tolerance):
    low, high = sorted((a, b))  # sorted, not low + delta: Decimal addition would round
    def step(value):
        return STATUS_STEPS[
            indicator_status(value=value, target=target, direction=INC, yellow_threshold=yellow, tolerance_percent=tolerance)
        ]

    assert step(low) <= step(high)


@settings(max_examples=150, deadline=None)
@given(a=finite, b=finite, target=finite, yellow=optional_finite, tolerance=tolerances)
def test_lowering_a_value_never_makes_a_decrease_indicator_worse(a, b, target, yellow, tolerance):
    low, high = sorted((a, b))
    def step(value):
        return STATUS_STEPS[
            indicator_status(value=value, target=target, direction=DEC, yellow_threshold=yellow, tolerance_percent=tolerance)
        ]

    assert step(high) <= step(low)


@settings(max_examples=150, deadline=None)
@given(value=finite, a=finite, b=finite, tolerance=tolerances)
def test_target_range_does_not_depend_on_the_order_of_its_ends(value, a, b, tolerance):
    assert indicator_status(value=value, target=a, target_max=b, direction=TGT, tolerance_percent=tolerance) == (
        indicator_status(value=value, target=b, target_max=a, direction=TGT, tolerance_percent=tolerance)
    )


@settings(max_examples=150, deadline=None)
@given(value=finite, target=finite, tolerance=tolerances)
def test_a_value_at_the_target_is_always_met(value, target, tolerance):
    for direction in Direction:
        assert indicator_status(value=target, target=target, direction=direction, tolerance_percent=tolerance) == MET
