"""Roll-up for a political goal: evidence, not a verdict (reporting/rules.py; docs/architecture.md §4). Pure."""

import dataclasses
import json

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.rules import (
    ASSESSMENT_COLOURS,
    ASSESSMENT_STEPS,
    Assessment,
    AssessmentCounts,
    Divergence,
    DivergenceKind,
    GoalEvidence,
    IndicatorEvidence,
    SelfAssessmentEvidence,
    StatusCounts,
    divergence,
    goal_evidence,
    metric_level,
    suggest_assessment,
    word_level,
)
from scorecards.status import Status

MET, PARTLY, NOT_MET = Status.MET, Status.PARTLY, Status.NOT_MET
MISSING, NO_TARGET, NOT_DUE = Status.MISSING, Status.NO_TARGET, Status.NOT_DUE
ATTAINED, A_PARTLY, NOT_ATTAINED, TOO_EARLY = (
    Assessment.ATTAINED,
    Assessment.PARTLY,
    Assessment.NOT_ATTAINED,
    Assessment.TOO_EARLY,
)
NUMBERS_WORSE, WORDS_WORSE = DivergenceKind.NUMBERS_WORSE, DivergenceKind.WORDS_WORSE


def mandated(status, unit_id=None):
    return IndicatorEvidence(mandated=True, status=status, unit_id=unit_id)


def own(status, unit_id=None):
    return IndicatorEvidence(mandated=False, status=status, unit_id=unit_id)


def said(assessment, unit_id=None):
    return SelfAssessmentEvidence(assessment=assessment, unit_id=unit_id)


# --- the enums -------------------------------------------------------------------------------


def test_assessments_have_english_labels_and_stored_codes():
    with translation.override("en"):
        assert [(a.value, str(a.label)) for a in Assessment] == [
            ("attained", "Attained"),
            ("partly", "Partly attained"),
            ("not_attained", "Not attained"),
            ("too_early", "Too early to assess"),
        ]


def test_assessment_colours_and_steps():
    assert ASSESSMENT_COLOURS == {ATTAINED: "green", A_PARTLY: "yellow", NOT_ATTAINED: "red", TOO_EARLY: "grey"}
    assert ASSESSMENT_STEPS == {ATTAINED: 2, A_PARTLY: 1, NOT_ATTAINED: 0}


def test_divergence_kinds_have_english_labels():
    with translation.override("en"):
        assert str(NUMBERS_WORSE.label) == "The numbers are worse than the assessment"
        assert str(WORDS_WORSE.label) == "The assessment is worse than the numbers"


# --- evidence --------------------------------------------------------------------------------


def test_evidence_accepts_stored_codes_and_is_frozen():
    indicator = IndicatorEvidence(mandated=True, status="partly", unit_id=3)
    assert indicator.status is Status.PARTLY
    assessment = SelfAssessmentEvidence(assessment="too_early")
    assert assessment.assessment is TOO_EARLY
    with pytest.raises(dataclasses.FrozenInstanceError):
        indicator.status = MET


@pytest.mark.parametrize("not_given", [None, ""])
def test_an_empty_self_assessment_is_not_given(not_given):
    assert SelfAssessmentEvidence(assessment=not_given).assessment is None


def test_an_unknown_status_is_a_programming_error():
    with pytest.raises(ValueError):
        IndicatorEvidence(mandated=True, status="greenish")


# --- levels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses,expected",
    [
        ([], None),
        ([MISSING, NO_TARGET, NOT_DUE], None),  # nothing assessed
        ([MET], 2),
        ([PARTLY], 1),
        ([NOT_MET], 0),
        ([MET, MISSING, NOT_DUE], 2),  # grey statuses are left out, not counted as red
        ([MET, PARTLY], 2),  # mean 1.5 exactly: green
        ([MET, MET, PARTLY], 2),  # 5/3
        ([MET, PARTLY, PARTLY, PARTLY], 1),  # 5/4
        ([MET, NOT_MET], 1),  # 1
        ([PARTLY, NOT_MET], 1),  # mean 0.5 exactly: yellow
        ([PARTLY, NOT_MET, NOT_MET], 0),  # 1/3
        ([MET, NOT_MET, NOT_MET, NOT_MET, NOT_MET], 0),  # 2/5
        (["met", "partly"], 2),  # stored codes work
    ],
)
def test_metric_level(statuses, expected):
    assert metric_level(statuses) == expected


def test_metric_level_accepts_a_generator():
    assert metric_level(s for s in [MET, NOT_MET, MISSING]) == 1


@pytest.mark.parametrize(
    "assessments,expected",
    [
        ([], None),
        ([TOO_EARLY, None, ""], None),
        ([ATTAINED], 2),
        ([A_PARTLY], 1),
        ([NOT_ATTAINED], 0),
        ([ATTAINED, TOO_EARLY, TOO_EARLY], 2),  # too early is left out, not counted as red
        ([ATTAINED, A_PARTLY], 2),
        ([A_PARTLY, NOT_ATTAINED], 1),
        ([A_PARTLY, NOT_ATTAINED, NOT_ATTAINED], 0),
        ([ATTAINED, NOT_ATTAINED, None], 1),
        (["attained", "not_attained", "not_attained", "not_attained"], 1),  # 2/4 = 0.5: yellow
        (["attained", "not_attained", "not_attained", "not_attained", "not_attained"], 0),  # 2/5
    ],
)
def test_word_level(assessments, expected):
    assert word_level(assessments) == expected


# --- divergence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses,assessments,expected",
    [
        ([NOT_MET], [ATTAINED], (0, 2, NUMBERS_WORSE)),  # red numbers, "attained"
        ([MET], [NOT_ATTAINED], (2, 0, WORDS_WORSE)),  # green numbers, "not attained"
        ([NOT_MET, NOT_MET, PARTLY], [ATTAINED, A_PARTLY], (0, 2, NUMBERS_WORSE)),
        ([NOT_MET, MISSING], [TOO_EARLY, ATTAINED], (0, 2, NUMBERS_WORSE)),
        ([NOT_MET], [A_PARTLY], None),  # one step apart: not a divergence
        ([PARTLY], [ATTAINED], None),
        ([MET], [A_PARTLY], None),
        ([PARTLY], [NOT_ATTAINED], None),
        ([MET], [ATTAINED], None),
        ([NOT_MET], [NOT_ATTAINED], None),
        ([NOT_MET], [TOO_EARLY], None),  # too early gives no word level
        ([NOT_MET], [None, ""], None),
        ([MISSING, NOT_DUE], [ATTAINED], None),  # grey gives no metric level
        ([], [], None),
    ],
)
def test_divergence(statuses, assessments, expected):
    result = divergence(statuses=statuses, assessments=assessments, unit_id=7)
    if expected is None:
        assert result is None
    else:
        numbers, words, kind = expected
        assert result == Divergence(unit_id=7, metric_level=numbers, word_level=words, kind=kind)


def test_divergence_is_for_the_goal_as_a_whole_by_default():
    assert divergence(statuses=[NOT_MET], assessments=[ATTAINED]).unit_id is None


# --- suggestion ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses,assessments,expected",
    [
        ([], [], None),
        ([MISSING, NOT_DUE], [TOO_EARLY, None], None),  # never suggests "too early": the controller judges
        ([MET], [], ATTAINED),  # only numbers
        ([PARTLY], [TOO_EARLY], A_PARTLY),
        ([NO_TARGET], [NOT_ATTAINED], NOT_ATTAINED),  # only words
        ([MET], [ATTAINED], ATTAINED),
        ([MET], [A_PARTLY], ATTAINED),  # (2 + 1) / 2 = 1.5
        ([PARTLY], [A_PARTLY], A_PARTLY),
        ([NOT_MET], [A_PARTLY], A_PARTLY),  # (0 + 1) / 2 = 0.5
        ([PARTLY], [NOT_ATTAINED], A_PARTLY),
        ([MET], [NOT_ATTAINED], A_PARTLY),  # a divergence: (2 + 0) / 2 = 1
        ([NOT_MET], [ATTAINED], A_PARTLY),
        ([NOT_MET], [NOT_ATTAINED], NOT_ATTAINED),
        ([NOT_MET, NOT_MET, PARTLY], [A_PARTLY, ATTAINED], A_PARTLY),  # levels 0 and 2
    ],
)
def test_suggest_assessment(statuses, assessments, expected):
    assert suggest_assessment(statuses=statuses, assessments=assessments) == expected


# --- counts ----------------------------------------------------------------------------------


def test_status_counts_count_every_status_and_zero_for_the_absent():
    counts = StatusCounts.of([MET, MET, NOT_MET, MISSING, "not_due"])
    assert counts[MET] == 2
    assert counts["met"] == 2
    assert counts[PARTLY] == 0
    assert counts[NOT_MET] == 1
    assert counts[MISSING] == 1
    assert counts[NO_TARGET] == 0
    assert counts[NOT_DUE] == 1
    assert counts.total == 5
    assert counts.assessed == 3
    assert list(counts) == list(Status)
    assert len(counts) == 6


def test_status_counts_as_dict_has_every_status_in_order():
    counts = StatusCounts.of([NOT_DUE, MET])
    assert counts.as_dict() == {"met": 1, "partly": 0, "not_met": 0, "missing": 0, "no_target": 0, "not_due": 1}
    assert list(counts.as_dict()) == list(Status.values)
    assert all(type(key) is str for key in counts.as_dict())


def test_status_counts_by_colour_puts_missing_and_no_target_together_as_grey():
    counts = StatusCounts.of([MET, PARTLY, PARTLY, NOT_MET, MISSING, NO_TARGET, NO_TARGET, NOT_DUE])
    assert counts.by_colour() == {"green": 1, "yellow": 2, "red": 1, "grey": 3, "none": 1}


def test_status_counts_are_immutable_and_compare_by_value():
    counts = StatusCounts.of([MET, PARTLY])
    with pytest.raises(AttributeError):
        counts.total = 3
    with pytest.raises(TypeError):
        counts[MET] = 5
    assert counts == StatusCounts.of([PARTLY, MET])
    assert counts != StatusCounts.of([MET])
    assert hash(counts) == hash(StatusCounts({MET: 1, PARTLY: 1}))
    assert counts == {status: (1 if status in (MET, PARTLY) else 0) for status in Status}


def test_status_counts_refuse_unknown_keys():
    with pytest.raises(KeyError):
        StatusCounts.of([MET])["greenish"]


def test_empty_status_counts_are_all_zero():
    counts = StatusCounts.of([])
    assert counts.total == counts.assessed == 0
    assert set(counts.as_dict().values()) == {0}


def test_assessment_counts_count_not_given_separately():
    counts = AssessmentCounts.of([ATTAINED, ATTAINED, TOO_EARLY, None, "", "partly"])
    assert counts[ATTAINED] == 2
    assert counts[A_PARTLY] == 1
    assert counts[NOT_ATTAINED] == 0
    assert counts[TOO_EARLY] == 1
    assert counts.not_given == 2
    assert counts.given == 4
    assert counts.total == 6
    assert counts.assessed == 3  # too early is given but not an assessment of attainment
    assert counts.as_dict() == {"attained": 2, "partly": 1, "not_attained": 0, "too_early": 1, "not_given": 2}
    assert list(counts.as_dict()) == [*Assessment.values, "not_given"]
    assert counts == AssessmentCounts({ATTAINED: 2, A_PARTLY: 1, TOO_EARLY: 1}, not_given=2)
    assert counts != AssessmentCounts({ATTAINED: 2, A_PARTLY: 1, TOO_EARLY: 1}, not_given=1)
    with pytest.raises(AttributeError):
        counts.not_given = 0


# --- goal evidence ---------------------------------------------------------------------------


def test_goal_evidence_counts_mandated_and_own_indicators_separately():
    evidence = goal_evidence(
        indicators=[mandated(MET), mandated(NOT_MET), mandated(MISSING), own(PARTLY), own(PARTLY)],
        self_assessments=[said(A_PARTLY), said(None), said(TOO_EARLY)],
    )
    assert evidence.mandated == StatusCounts({MET: 1, NOT_MET: 1, MISSING: 1})
    assert evidence.own == StatusCounts({PARTLY: 2})
    assert evidence.self_assessments == AssessmentCounts({A_PARTLY: 1, TOO_EARLY: 1}, not_given=1)


def test_goal_evidence_with_no_inputs_is_empty():
    evidence = goal_evidence(indicators=[], self_assessments=[])
    assert evidence.mandated.total == evidence.own.total == evidence.self_assessments.total == 0
    assert evidence.divergences == ()
    assert evidence.has_divergence is False
    assert evidence.suggested_assessment is None


def test_goal_evidence_finds_divergence_per_unit_and_for_the_goal_in_a_fixed_order():
    evidence = goal_evidence(
        indicators=[mandated(NOT_MET, 3), own(NOT_MET, 1), mandated(NOT_MET, 2), own(PARTLY, 2)],
        self_assessments=[said(ATTAINED, 3), said(ATTAINED, 2), said(ATTAINED, 1)],
    )
    assert evidence.divergences == (
        Divergence(unit_id=None, metric_level=0, word_level=2, kind=NUMBERS_WORSE),
        Divergence(unit_id=1, metric_level=0, word_level=2, kind=NUMBERS_WORSE),
        Divergence(unit_id=3, metric_level=0, word_level=2, kind=NUMBERS_WORSE),
    )  # unit 2 is one step apart: (0 + 1) / 2 is yellow against "attained"
    assert evidence.has_divergence is True


def test_a_unit_without_self_assessment_or_without_indicators_has_no_unit_divergence():
    # Red numbers in unit 1 and "attained" in unit 2: no unit has both, but the goal as a whole does.
    evidence = goal_evidence(indicators=[mandated(NOT_MET, 1)], self_assessments=[said(ATTAINED, 2)])
    assert evidence.divergences == (Divergence(unit_id=None, metric_level=0, word_level=2, kind=NUMBERS_WORSE),)


def test_units_can_diverge_in_opposite_directions_while_the_goal_does_not():
    evidence = goal_evidence(
        indicators=[own(NOT_MET, 1), own(MET, 2)],
        self_assessments=[said(ATTAINED, 1), said(NOT_ATTAINED, 2)],
    )
    assert evidence.divergences == (
        Divergence(unit_id=1, metric_level=0, word_level=2, kind=NUMBERS_WORSE),
        Divergence(unit_id=2, metric_level=2, word_level=0, kind=WORDS_WORSE),
    )


def test_evidence_without_a_unit_only_counts_for_the_goal_as_a_whole():
    evidence = goal_evidence(
        indicators=[mandated(NOT_MET), own(MET, 1)],
        self_assessments=[said(ATTAINED), said(NOT_ATTAINED, 1)],
    )
    assert [d.unit_id for d in evidence.divergences] == [1]
    assert evidence.divergences[0].kind == WORDS_WORSE


def test_no_divergence_at_one_step():
    evidence = goal_evidence(
        indicators=[mandated(PARTLY, 1), mandated(NOT_MET, 2)],
        self_assessments=[said(ATTAINED, 1), said(A_PARTLY, 2)],
    )
    assert evidence.divergences == ()
    assert evidence.has_divergence is False


def test_too_early_is_ignored_for_divergence_and_suggestion():
    evidence = goal_evidence(indicators=[mandated(NOT_MET, 1)], self_assessments=[said(TOO_EARLY, 1)])
    assert evidence.divergences == ()
    assert evidence.suggested_assessment == NOT_ATTAINED
    assert evidence.self_assessments[TOO_EARLY] == 1


def test_goal_evidence_suggests_from_all_indicators_and_all_self_assessments():
    evidence = goal_evidence(
        indicators=[mandated(MET, 1), own(MET, 2), own(NOT_DUE, 2)],
        self_assessments=[said(A_PARTLY, 1), said(ATTAINED, 2)],
    )
    assert evidence.suggested_assessment == ATTAINED  # levels 2 and 2 (mean of partly and attained = 1.5)


def test_goal_evidence_accepts_generators():
    evidence = goal_evidence(
        indicators=(mandated(s, 1) for s in [NOT_MET, NOT_MET]),
        self_assessments=(said(a, 1) for a in [ATTAINED]),
    )
    assert evidence.mandated[NOT_MET] == 2
    assert len(evidence.divergences) == 2


def test_goal_evidence_as_dict_is_plain_json():
    evidence = goal_evidence(
        indicators=[mandated(NOT_MET, 1), own(MISSING, 1)],
        self_assessments=[said(ATTAINED, 1), said(None, 2)],
    )
    snapshot = evidence.as_dict()
    assert snapshot == {
        "mandated": {"met": 0, "partly": 0, "not_met": 1, "missing": 0, "no_target": 0, "not_due": 0},
        "own": {"met": 0, "partly": 0, "not_met": 0, "missing": 1, "no_target": 0, "not_due": 0},
        "self_assessments": {"attained": 1, "partly": 0, "not_attained": 0, "too_early": 0, "not_given": 1},
        "divergences": [
            {"unit_id": None, "metric_level": 0, "word_level": 2, "kind": "numbers_worse"},
            {"unit_id": 1, "metric_level": 0, "word_level": 2, "kind": "numbers_worse"},
        ],
        "suggested_assessment": "partly",
    }
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert _only_plain_types(snapshot)


def test_goal_evidence_as_dict_without_a_suggestion():
    snapshot = goal_evidence(indicators=[], self_assessments=[]).as_dict()
    assert snapshot["suggested_assessment"] is None
    assert snapshot["divergences"] == []
    json.dumps(snapshot)


def test_goal_evidence_is_frozen():
    evidence = goal_evidence(indicators=[], self_assessments=[])
    assert isinstance(evidence, GoalEvidence)
    with pytest.raises(dataclasses.FrozenInstanceError):
        evidence.suggested_assessment = ATTAINED


def _only_plain_types(value) -> bool:
    # str subclasses (TextChoices members) would serialise, but a snapshot must not depend on the enum.
    if value is None or type(value) in (str, int, bool):
        return True
    if type(value) is list:
        return all(_only_plain_types(item) for item in value)
    if type(value) is dict:
        return all(type(k) is str and _only_plain_types(v) for k, v in value.items())
    return False


# --- properties ------------------------------------------------------------------------------

statuses = st.lists(st.sampled_from(Status), max_size=12)
assessments = st.lists(st.sampled_from([*Assessment, None, ""]), max_size=12)
steps = st.lists(st.sampled_from([0, 1, 2]), max_size=8)
STATUS_FOR_STEP = {2: MET, 1: PARTLY, 0: NOT_MET}
ASSESSMENT_FOR_STEP = {2: ATTAINED, 1: A_PARTLY, 0: NOT_ATTAINED}


@settings(max_examples=150, deadline=None)
@given(statuses, assessments)
def test_levels_are_within_zero_and_two(some_statuses, some_assessments):
    assert metric_level(some_statuses) in (None, 0, 1, 2)
    assert word_level(some_assessments) in (None, 0, 1, 2)
    assert (metric_level(some_statuses) is None) == (not any(s in (MET, PARTLY, NOT_MET) for s in some_statuses))


@settings(max_examples=150, deadline=None)
@given(steps, steps)
def test_divergence_is_symmetric_in_kind(number_steps, word_steps):
    as_found = divergence(
        statuses=[STATUS_FOR_STEP[s] for s in number_steps],
        assessments=[ASSESSMENT_FOR_STEP[s] for s in word_steps],
    )
    swapped = divergence(
        statuses=[STATUS_FOR_STEP[s] for s in word_steps],
        assessments=[ASSESSMENT_FOR_STEP[s] for s in number_steps],
    )
    assert (as_found is None) == (swapped is None)
    if as_found is not None:
        assert {as_found.kind, swapped.kind} == {NUMBERS_WORSE, WORDS_WORSE}
        assert (as_found.metric_level, as_found.word_level) == (swapped.word_level, swapped.metric_level)
        assert abs(as_found.metric_level - as_found.word_level) == 2


@settings(max_examples=150, deadline=None)
@given(steps, steps)
def test_suggestion_lies_between_the_numbers_and_the_words(number_steps, word_steps):
    numbers = metric_level(STATUS_FOR_STEP[s] for s in number_steps)
    words = word_level(ASSESSMENT_FOR_STEP[s] for s in word_steps)
    suggestion = suggest_assessment(
        statuses=[STATUS_FOR_STEP[s] for s in number_steps],
        assessments=[ASSESSMENT_FOR_STEP[s] for s in word_steps],
    )
    levels = [level for level in (numbers, words) if level is not None]
    if not levels:
        assert suggestion is None
    else:
        assert min(levels) <= ASSESSMENT_STEPS[suggestion] <= max(levels)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.builds(IndicatorEvidence, st.booleans(), st.sampled_from(Status), st.none() | st.integers(1, 4))),
    st.lists(st.builds(SelfAssessmentEvidence, st.sampled_from([*Assessment, None]), st.none() | st.integers(1, 4))),
)
def test_goal_evidence_counts_everything_once_and_always_serialises(indicators, self_assessments):
    evidence = goal_evidence(indicators=indicators, self_assessments=self_assessments)
    assert evidence.mandated.total == sum(1 for i in indicators if i.mandated)
    assert evidence.own.total == sum(1 for i in indicators if not i.mandated)
    assert evidence.self_assessments.total == len(self_assessments)
    unit_ids = [d.unit_id for d in evidence.divergences]
    assert unit_ids == sorted(unit_ids, key=lambda unit_id: (unit_id is not None, unit_id or 0))
    assert len(set(unit_ids)) == len(unit_ids)
    assert _only_plain_types(evidence.as_dict())
    json.dumps(evidence.as_dict())
