"""Roll-up for a political goal: evidence, not a verdict (docs/architecture.md §4).

This module is the documented definition of how Tillit summarises a goal for the board. It is a
pure rule: no database, no models. It never decides whether a goal is attained; it puts the
evidence side by side and points at the questions the board should ask.

What the report shows for a goal
================================

1. **Mandated metrics** (board, administration, regulator): how many indicators have each status.
2. **Own indicators** (chosen by a unit or team): likewise, counted separately.
3. **Self-assessments** by teams and units: how many said each assessment, and how many gave none.
4. **Divergence signals**: where the numbers and the words disagree by two steps or more.
5. **A suggested assessment** for the controller. The system only suggests; the controller
   decides and writes the overall assessment (docs/architecture.md §4 point 5).

Assessments
===========

================  ====================  =======================  ======  ====
code              English               Swedish                  colour  step
================  ====================  =======================  ======  ====
``attained``      Attained              Uppnått                  green   2
``partly``        Partly attained       Delvis uppnått           yellow  1
``not_attained``  Not attained          Ej uppnått               red     0
``too_early``     Too early to assess   För tidigt att bedöma    grey    —
================  ====================  =======================  ======  ====

An empty assessment (``None`` or ``""``) means that none was given.

Levels
======

The numbers and the words are each reduced to a *level* 0, 1 or 2 on the same scale (red, yellow,
green):

- **Metric level**: the mean of the steps of the *assessed* indicator statuses
  (met 2, partly met 1, not met 0). Missing, no target and not due are left out: they say nothing
  about the goal. No assessed status means no metric level.
- **Word level**: the mean of the steps of the self-assessments (attained 2, partly 1, not
  attained 0). "Too early to assess" and "not given" are left out. No such assessment means no word
  level.
- A mean is mapped to a level thus: **mean ≥ 1.5 → 2; mean < 0.5 → 0; otherwise 1**. Means are
  computed as exact fractions, so 1.5 is exactly 1.5 (e.g. one met and one partly met gives 2, one
  partly met and one not met gives 1).

Divergence
==========

There is a divergence when **both levels exist and differ by two steps or more**. On a three-step
scale that means red numbers with the words "attained" (*the numbers are worse than the
assessment*), or green numbers with the words "not attained" (*the assessment is worse than the
numbers*). One step apart (e.g. yellow numbers, "attained") is not a divergence.

For a goal, divergence is computed once for the goal as a whole (all its indicators against all
its self-assessments; ``unit_id`` None), and once for every unit that has both indicator statuses
and self-assessments (grouped by ``unit_id``; evidence without a unit only counts for the goal as a
whole). The goal-level divergence comes first, then the units in ``unit_id`` order.

Suggested assessment
====================

- No metric level and no word level: no suggestion.
- Only one of them: that level.
- Both: the mean of the two levels, mapped as above (≥ 1.5 attained, < 0.5 not attained, otherwise
  partly attained). So green numbers with "partly" suggest attained, red numbers with "partly"
  suggest partly attained, and a divergence (green and "not attained") suggests partly attained.
- The suggestion never says "too early to assess": that is for the controller to judge.

Mandated and own indicators weigh the same in the metric level and the suggestion; the counts keep
them apart so that the reader can weigh them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from scorecards.status import STATUS_COLOURS, STATUS_STEPS, Status, is_assessed

__all__ = [
    "Assessment",
    "ASSESSMENT_COLOURS",
    "ASSESSMENT_STEPS",
    "IndicatorEvidence",
    "SelfAssessmentEvidence",
    "DivergenceKind",
    "Divergence",
    "StatusCounts",
    "AssessmentCounts",
    "GoalEvidence",
    "metric_level",
    "word_level",
    "divergence",
    "suggest_assessment",
    "goal_evidence",
]


class Assessment(TextChoices):
    ATTAINED = "attained", _("Attained")  # sv: Uppnått
    PARTLY = "partly", _("Partly attained")  # sv: Delvis uppnått
    NOT_ATTAINED = "not_attained", _("Not attained")  # sv: Ej uppnått
    TOO_EARLY = "too_early", _("Too early to assess")  # sv: För tidigt att bedöma


ASSESSMENT_COLOURS: dict[Assessment, str] = {
    Assessment.ATTAINED: "green",
    Assessment.PARTLY: "yellow",
    Assessment.NOT_ATTAINED: "red",
    Assessment.TOO_EARLY: "grey",
}

ASSESSMENT_STEPS: dict[Assessment, int] = {
    Assessment.ATTAINED: 2,
    Assessment.PARTLY: 1,
    Assessment.NOT_ATTAINED: 0,
}

_ASSESSMENT_FOR_LEVEL = {step: assessment for assessment, step in ASSESSMENT_STEPS.items()}


def _assessment_or_none(assessment) -> Assessment | None:
    if assessment is None or assessment == "":
        return None
    return Assessment(assessment)


@dataclass(frozen=True)
class IndicatorEvidence:
    """One indicator's status for the round, and whether it is mandated (board, administration,
    regulator) or the unit's own."""

    mandated: bool
    status: Status
    unit_id: int | None = None

    def __post_init__(self):
        # Accept the stored string ("met") so that callers need not convert database values.
        object.__setattr__(self, "status", Status(self.status))


@dataclass(frozen=True)
class SelfAssessmentEvidence:
    """One team's or unit's self-assessment; None or "" when none was given."""

    assessment: Assessment | None
    unit_id: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "assessment", _assessment_or_none(self.assessment))


class DivergenceKind(TextChoices):
    NUMBERS_WORSE = "numbers_worse", _("The numbers are worse than the assessment")
    WORDS_WORSE = "words_worse", _("The assessment is worse than the numbers")


@dataclass(frozen=True)
class Divergence:
    """Numbers and words two steps or more apart, for one unit or (unit_id None) the whole goal."""

    unit_id: int | None
    metric_level: int
    word_level: int
    kind: DivergenceKind

    def as_dict(self) -> dict:
        return {
            "unit_id": self.unit_id,
            "metric_level": self.metric_level,
            "word_level": self.word_level,
            "kind": str(self.kind.value),
        }


def _level(steps: Iterable[int]) -> int | None:
    steps = list(steps)
    if not steps:
        return None
    # A Fraction, not a float: the boundaries 1.5 and 0.5 must be hit exactly.
    mean = Fraction(sum(steps), len(steps))
    if mean >= Fraction(3, 2):
        return 2
    if mean < Fraction(1, 2):
        return 0
    return 1


def metric_level(statuses: Iterable[Status]) -> int | None:
    """0, 1 or 2 from the assessed statuses (met 2, partly 1, not met 0); None when none is assessed."""
    return _level(STATUS_STEPS[Status(s)] for s in statuses if is_assessed(s))


def word_level(assessments: Iterable[Assessment | None]) -> int | None:
    """0, 1 or 2 from the assessments (attained 2, partly 1, not attained 0); too early and empty
    are left out; None when nothing is left."""
    steps = []
    for assessment in assessments:
        assessment = _assessment_or_none(assessment)
        if assessment in ASSESSMENT_STEPS:
            steps.append(ASSESSMENT_STEPS[assessment])
    return _level(steps)


def divergence(
    *,
    statuses: Iterable[Status],
    assessments: Iterable[Assessment | None],
    unit_id: int | None = None,
) -> Divergence | None:
    """A divergence when the metric and word levels both exist and are two steps or more apart."""
    numbers = metric_level(statuses)
    words = word_level(assessments)
    if numbers is None or words is None or abs(numbers - words) < 2:
        return None
    kind = DivergenceKind.NUMBERS_WORSE if numbers < words else DivergenceKind.WORDS_WORSE
    return Divergence(unit_id=unit_id, metric_level=numbers, word_level=words, kind=kind)


def suggest_assessment(
    *,
    statuses: Iterable[Status],
    assessments: Iterable[Assessment | None],
) -> Assessment | None:
    """A suggested overall assessment for the controller, who decides (docs/architecture.md §4 point 5).

    None when there is neither a metric level nor a word level; the one level that exists if only
    one does; otherwise the mean of the two, mapped like any mean (≥ 1.5 attained, < 0.5 not
    attained, otherwise partly attained). Never "too early to assess".
    """
    levels = [level for level in (metric_level(statuses), word_level(assessments)) if level is not None]
    level = _level(levels)
    return None if level is None else _ASSESSMENT_FOR_LEVEL[level]


class _Counts(Mapping):
    """Counts for every member of a TextChoices, in declaration order; 0 when absent.

    Immutable; keys may be given as members or their stored strings."""

    __slots__ = ("_counts",)
    _choices: type[TextChoices]

    def __init__(self, counts: Mapping | None = None):
        given = {self._choices(key): int(count) for key, count in (counts or {}).items()}
        object.__setattr__(self, "_counts", tuple(given.get(member, 0) for member in self._choices))

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __getitem__(self, key) -> int:
        try:
            member = self._choices(key)
        except ValueError:
            raise KeyError(key) from None
        return self._counts[list(self._choices).index(member)]

    def __iter__(self) -> Iterator:
        return iter(self._choices)

    def __len__(self) -> int:
        return len(self._counts)

    def __eq__(self, other):
        if type(other) is type(self):
            return self._counts == other._counts
        return super().__eq__(other)

    def __hash__(self):
        return hash((type(self), self._counts))

    def __repr__(self):
        inner = ", ".join(f"{member.value}={count}" for member, count in zip(self._choices, self._counts))
        return f"{type(self).__name__}({inner})"


class StatusCounts(_Counts):
    """How many indicators have each status.

    ``counts[Status.MET]`` (or ``counts["met"]``) is a count, 0 when absent; iteration is in
    ``Status`` order. ``as_dict()`` is for JSON snapshots, ``by_colour()`` for the G/Y/R/grey
    columns of the board workbook.
    """

    __slots__ = ()
    _choices = Status

    @classmethod
    def of(cls, statuses: Iterable[Status]) -> StatusCounts:
        counts: dict[Status, int] = defaultdict(int)
        for status in statuses:
            counts[Status(status)] += 1
        return cls(counts)

    @property
    def total(self) -> int:
        return sum(self._counts)

    @property
    def assessed(self) -> int:
        """Met, partly met and not met: the statuses that say something about the target."""
        return sum(self[status] for status in STATUS_STEPS)

    def as_dict(self) -> dict[str, int]:
        """Every status code with its count, in ``Status`` order."""
        return {str(status.value): self[status] for status in Status}

    def by_colour(self) -> dict[str, int]:
        """Counts per colour (green, yellow, red, grey, none); missing and no target are both grey."""
        colours: dict[str, int] = {}
        for status in Status:
            colour = STATUS_COLOURS[status]
            colours[colour] = colours.get(colour, 0) + self[status]
        return colours


class AssessmentCounts(_Counts):
    """How many self-assessments said each assessment, plus how many were not given.

    ``total`` counts every self-assessment asked for, given or not; ``given`` leaves out the ones
    not given; ``assessed`` counts only attained, partly and not attained (not "too early").
    """

    __slots__ = ("not_given",)
    _choices = Assessment

    def __init__(self, counts: Mapping | None = None, not_given: int = 0):
        super().__init__(counts)
        object.__setattr__(self, "not_given", int(not_given))

    @classmethod
    def of(cls, assessments: Iterable[Assessment | None]) -> AssessmentCounts:
        counts: dict[Assessment, int] = defaultdict(int)
        not_given = 0
        for assessment in assessments:
            assessment = _assessment_or_none(assessment)
            if assessment is None:
                not_given += 1
            else:
                counts[assessment] += 1
        return cls(counts, not_given=not_given)

    @property
    def given(self) -> int:
        return sum(self._counts)

    @property
    def total(self) -> int:
        return self.given + self.not_given

    @property
    def assessed(self) -> int:
        return sum(self[assessment] for assessment in ASSESSMENT_STEPS)

    def as_dict(self) -> dict[str, int]:
        """Every assessment code with its count, in ``Assessment`` order, then ``not_given``."""
        counts = {str(assessment.value): self[assessment] for assessment in Assessment}
        counts["not_given"] = self.not_given
        return counts

    def __eq__(self, other):
        if type(other) is type(self):
            return self._counts == other._counts and self.not_given == other.not_given
        return super().__eq__(other)

    def __hash__(self):
        return hash((type(self), self._counts, self.not_given))

    def __repr__(self):
        return f"{super().__repr__()[:-1]}, not_given={self.not_given})"


@dataclass(frozen=True)
class GoalEvidence:
    """Everything the board report shows for one political goal in one round."""

    mandated: StatusCounts
    own: StatusCounts
    self_assessments: AssessmentCounts
    divergences: tuple[Divergence, ...]
    suggested_assessment: Assessment | None

    @property
    def has_divergence(self) -> bool:
        return bool(self.divergences)

    def as_dict(self) -> dict:
        """Plain str/int/None/list/dict, for the frozen snapshot of an adopted report."""
        return {
            "mandated": self.mandated.as_dict(),
            "own": self.own.as_dict(),
            "self_assessments": self.self_assessments.as_dict(),
            "divergences": [d.as_dict() for d in self.divergences],
            "suggested_assessment": None if self.suggested_assessment is None else str(self.suggested_assessment.value),
        }


def goal_evidence(
    *,
    indicators: Iterable[IndicatorEvidence],
    self_assessments: Iterable[SelfAssessmentEvidence],
) -> GoalEvidence:
    """The evidence for one goal: counts, divergences and a suggestion; the rules are in the module docstring."""
    indicators = tuple(indicators)
    self_assessments = tuple(self_assessments)
    all_statuses = [i.status for i in indicators]
    all_assessments = [s.assessment for s in self_assessments]

    statuses_by_unit: dict[int, list[Status]] = defaultdict(list)
    for indicator in indicators:
        if indicator.unit_id is not None:
            statuses_by_unit[indicator.unit_id].append(indicator.status)
    assessments_by_unit: dict[int, list[Assessment | None]] = defaultdict(list)
    for assessment in self_assessments:
        if assessment.unit_id is not None:
            assessments_by_unit[assessment.unit_id].append(assessment.assessment)

    found = [divergence(statuses=all_statuses, assessments=all_assessments, unit_id=None)]
    for unit_id in sorted(statuses_by_unit.keys() & assessments_by_unit.keys()):
        found.append(
            divergence(statuses=statuses_by_unit[unit_id], assessments=assessments_by_unit[unit_id], unit_id=unit_id)
        )

    return GoalEvidence(
        mandated=StatusCounts.of(i.status for i in indicators if i.mandated),
        own=StatusCounts.of(i.status for i in indicators if not i.mandated),
        self_assessments=AssessmentCounts.of(all_assessments),
        divergences=tuple(d for d in found if d is not None),
        suggested_assessment=suggest_assessment(statuses=all_statuses, assessments=all_assessments),
    )
