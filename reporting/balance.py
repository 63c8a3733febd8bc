"""The trust balance (styrningsbalans, docs/architecture.md §6): what the board's steering costs, per unit
and in total, and how that has changed over the years.

Two parts:

- the figures and their arithmetic, as plain Python without the ORM (``UnitBalanceFigures``,
  ``values_due_per_year``, ``total``, ``active_in_year``, the formatters);
- ``trust_balance``, which gathers the figures for one reporting round with a fixed number of
  queries, limited to what the user may read, and returns JSON-able rows (the board report
  page, the snapshot's ``balance`` list and the workbook's Styrningsbalans sheet use them).

Decisions (where docs/architecture.md is silent):

- A row is shown for every readable unit (or department) under the round's board that has a
  scorecard in the round's year, in tree order; inactive units are included, since their
  scorecard was still kept that year. The last row is the total of the rows above it, its trend
  included, so the total is always "what this user sees".
- Indicators are counted from the links of the unit's scorecard of the year; every mandate other
  than ``own`` (board, administration, regulator) counts as mandated.
- A unit's follow-ups are those written by the unit itself and by its teams, in every state
  (an empty draft is exactly the kind of reporting the balance should show). One "has text"
  when any of its four text fields is not blank, the rule of ``FollowUp.has_text``.
- An activity belongs to the unit of its team. It is active in a year when its dates overlap
  the year; a missing end date is open-ended, and a missing start date means "since it was
  created" (so an activity created in 2026 without dates does not appear in the 2025 trend).
- An activity was defined by its team when the user who created it held a team member
  membership on that very team on the day it was created. A manager or controller creating an
  activity for a team, or an activity whose creator is unknown, does not count.
- Follow-ups and activities of teams the user may not read (a team member's sibling teams)
  are left out of the counts, as they are everywhere else.
- Reporting hours come from the unit's UnitReport of the round; none given means ``None``,
  not zero. Sums count the hours that were given.
- In the trend a year's follow-ups and hours are the sums over the board's rounds of that year,
  up to and including this round (a later round of the same year is not yet part of the
  picture this round gives).
- Shares are exact fractions; in the rows they are strings with at most four decimals
  ("0.75", "0.6667", "1"), ``None`` when there is nothing to share.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Q
from django.utils import timezone

from governance import scope
from governance.models import Membership, OrgUnitKind, Role
from reporting.models import FollowUp, ReportingRound, UnitReport
from scorecards.models import Activity, Mandate, Scorecard, ScorecardIndicator

TOTAL_LABEL = "Totalt"

# How many values one indicator asks for in a year, by frequency (scorecards.models.Frequency).
VALUES_PER_YEAR = {"monthly": 12, "tertial": 3, "yearly": 1}

SHARE_DECIMALS = Decimal("0.0001")

# The texts of a follow-up; ``FollowUp.has_text`` decides whether they say anything.
_FOLLOW_UP_TEXTS = ("what_we_did", "effect_for_citizens", "learning", "next_step")


# --- the figures, without the ORM -------------------------------------------------------------------

def share(part: int, whole: int) -> Fraction | None:
    """``part`` of ``whole`` as an exact fraction; ``None`` when ``whole`` is 0."""
    return Fraction(part, whole) if whole else None


def values_due_per_year(frequencies: Iterable[str]) -> int:
    """How many values a set of indicators asks for in a year (one frequency per indicator)."""
    due = 0
    for frequency in frequencies:
        try:
            due += VALUES_PER_YEAR[str(frequency)]
        except KeyError:
            raise ValueError(f"Unknown frequency {frequency!r}.") from None
    return due


@dataclass(frozen=True)
class UnitBalanceFigures:
    """The trust balance figures of one unit (or a total) for one round or year."""

    mandated_indicators: int = 0
    own_indicators: int = 0
    values_due_per_year: int = 0
    follow_ups: int = 0
    follow_ups_with_text: int = 0
    activities: int = 0
    activities_by_teams: int = 0
    reporting_hours: Decimal | None = None

    def __post_init__(self):
        counts = ("mandated_indicators", "own_indicators", "values_due_per_year", "follow_ups",
                  "follow_ups_with_text", "activities", "activities_by_teams")
        for name in counts:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number of at least 0, not {value!r}.")
        if self.follow_ups_with_text > self.follow_ups:
            raise ValueError("There cannot be more follow-ups with text than follow-ups.")
        if self.activities_by_teams > self.activities:
            raise ValueError("There cannot be more activities by teams than activities.")
        if self.reporting_hours is not None:
            if not isinstance(self.reporting_hours, Decimal) or not self.reporting_hours.is_finite():
                raise ValueError(f"reporting_hours must be a Decimal or None, not {self.reporting_hours!r}.")
            if self.reporting_hours < 0:
                raise ValueError("reporting_hours cannot be negative.")

    @property
    def indicators(self) -> int:
        return self.mandated_indicators + self.own_indicators

    @property
    def share_follow_ups_with_text(self) -> Fraction | None:
        return share(self.follow_ups_with_text, self.follow_ups)

    @property
    def share_activities_by_teams(self) -> Fraction | None:
        return share(self.activities_by_teams, self.activities)

    @property
    def share_own_indicators(self) -> Fraction | None:
        return share(self.own_indicators, self.indicators)

    def as_dict(self) -> dict:
        """The figures as JSON-able values: counts as ints, shares and hours as strings."""
        return {
            "mandated_indicators": self.mandated_indicators,
            "own_indicators": self.own_indicators,
            "values_due_per_year": self.values_due_per_year,
            "follow_ups": self.follow_ups,
            "follow_ups_with_text": self.follow_ups_with_text,
            "share_follow_ups_with_text": format_share(self.share_follow_ups_with_text),
            "activities": self.activities,
            "activities_by_teams": self.activities_by_teams,
            "share_activities_by_teams": format_share(self.share_activities_by_teams),
            "reporting_hours": format_decimal(self.reporting_hours),
        }


def sum_hours(hours: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the hours that were given; ``None`` when none were."""
    given = [h for h in hours if h is not None]
    return sum(given, Decimal(0)) if given else None


def total(figures: Iterable[UnitBalanceFigures]) -> UnitBalanceFigures:
    """The figures of several units (or rounds) added up."""
    figures = list(figures)
    return UnitBalanceFigures(
        mandated_indicators=sum(f.mandated_indicators for f in figures),
        own_indicators=sum(f.own_indicators for f in figures),
        values_due_per_year=sum(f.values_due_per_year for f in figures),
        follow_ups=sum(f.follow_ups for f in figures),
        follow_ups_with_text=sum(f.follow_ups_with_text for f in figures),
        activities=sum(f.activities for f in figures),
        activities_by_teams=sum(f.activities_by_teams for f in figures),
        reporting_hours=sum_hours(f.reporting_hours for f in figures),
    )


def active_in_year(year: int, *, start: datetime.date | None, end: datetime.date | None,
                   created: datetime.date | None = None) -> bool:
    """Whether an activity with these dates was going on at some time in ``year``.

    A missing end is open-ended; a missing start falls back to the day it was ``created``
    (never later than its end), and with neither it counts for every year.
    """
    if start is None and created is not None:
        start = min(created, end) if end is not None else created
    return (start is None or start.year <= year) and (end is None or end.year >= year)


def format_share(value: Fraction | None) -> str | None:
    """A share as a decimal string with at most four decimals: "0.75", "0.6667", "1", "0"."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return format_decimal(exact.quantize(SHARE_DECIMALS, rounding=ROUND_HALF_UP))


def format_decimal(value: Decimal | None) -> str | None:
    """A decimal without trailing zeros or exponent: "12.5", "20", "0"."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")


# --- gathering -------------------------------------------------------------------------------------

def trust_balance(*, user, reporting_round, years=None) -> list[dict]:
    """The trust balance of ``reporting_round``'s board as ``user`` may see it: one row per unit
    with a scorecard in the round's year, then the total row.

    ``years`` limits the trend to that many reporting years, ending with the round's year
    (``None``: every year with a scorecard). Raises PermissionDenied when the user may not
    read the board. Runs the same number of queries whatever the size of the organisation.
    """
    if years is not None and (isinstance(years, bool) or not isinstance(years, int) or years < 1):
        raise ValueError("years must be a whole number of at least 1, or None.")
    board = reporting_round.board
    scope.require_read(user, board)
    period = reporting_round.period
    round_year = period.start.year  # a period always lies inside its reporting year
    first_year = round_year - years + 1 if years else None
    readable = scope.readable_units(user)

    units = list(readable.filter(path__startswith=board.path, scorecards__year_id=period.year_id)
                 .order_by("path").values_list("pk", "name"))
    unit_ids = [pk for pk, _ in units]
    unit_set = set(unit_ids)

    def in_years(prefix):
        filters = {f"{prefix}__lte": round_year}
        if first_year is not None:
            filters[f"{prefix}__gte"] = first_year
        return filters

    # Scorecards, and through them the indicators, of every year at once.
    scorecard_key = {pk: (unit_id, year) for pk, unit_id, year in Scorecard.objects.filter(
        unit_id__in=unit_ids, **in_years("year__year")).values_list("pk", "unit_id", "year__year")}
    years_by_unit = defaultdict(set)
    for unit_id, year in scorecard_key.values():
        years_by_unit[unit_id].add(year)
    indicators = defaultdict(lambda: {"mandated": 0, "own": 0, "frequencies": []})
    links = (ScorecardIndicator.objects.filter(scorecard_id__in=list(scorecard_key))
             .values_list("scorecard_id", "indicator__mandate", "indicator__frequency"))
    for scorecard_id, mandate, frequency in links:
        counts = indicators[scorecard_key[scorecard_id]]
        counts["own" if mandate == Mandate.OWN else "mandated"] += 1
        counts["frequencies"].append(frequency)

    # The board's rounds up to this one, in every year of the trend.
    round_years = dict(ReportingRound.objects.filter(
        board_id=board.pk, period__end__lte=period.end, **in_years("period__year__year"),
    ).values_list("pk", "period__year__year"))
    round_years[reporting_round.pk] = round_year

    by_unit_or_team = Q(org_unit_id__in=unit_ids) | Q(org_unit__parent_id__in=unit_ids, org_unit__kind=OrgUnitKind.TEAM)
    follow_ups = defaultdict(lambda: [0, 0])  # (unit, round) → [count, with text]
    for round_id, org_unit_id, parent_id, *texts in FollowUp.objects.filter(
            by_unit_or_team, round_id__in=list(round_years), org_unit__in=readable,
    ).values_list("round_id", "org_unit_id", "org_unit__parent_id", *_FOLLOW_UP_TEXTS):
        counter = follow_ups[(org_unit_id if org_unit_id in unit_set else parent_id, round_id)]
        counter[0] += 1
        counter[1] += FollowUp(**dict(zip(_FOLLOW_UP_TEXTS, texts))).has_text

    hours = {(unit_id, round_id): value for round_id, unit_id, value in UnitReport.objects.filter(
        round_id__in=list(round_years), unit_id__in=unit_ids).values_list("round_id", "unit_id", "reporting_hours")}

    earliest = min((year for _, year in scorecard_key.values()), default=round_year)
    activity_rows = list(Activity.objects.filter(
        team__parent_id__in=unit_ids, team__kind=OrgUnitKind.TEAM, team__in=readable,
    ).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=datetime.date(round_year, 12, 31)),
        Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(earliest, 1, 1)),
    ).values_list("team_id", "team__parent_id", "start_date", "end_date", "created_by_id", "created_at"))
    spans = defaultdict(list)  # (creator, team) → [(valid_from, valid_to)] of team member memberships
    for user_id, team_id, valid_from, valid_to in Membership.objects.filter(
            role=Role.TEAM_MEMBER, org_unit__parent_id__in=unit_ids, org_unit__kind=OrgUnitKind.TEAM,
            user_id__in={row[4] for row in activity_rows if row[4] is not None},
    ).values_list("user_id", "org_unit_id", "valid_from", "valid_to"):
        spans[(user_id, team_id)].append((valid_from, valid_to))
    activities = defaultdict(lambda: [0, 0])  # (unit, year) → [count, by teams]
    for team_id, unit_id, start, end, creator_id, created_at in activity_rows:
        created = timezone.localdate(created_at) if created_at else None
        by_team = created is not None and any(
            Membership(valid_from=valid_from, valid_to=valid_to).is_current(on=created)
            for valid_from, valid_to in spans.get((creator_id, team_id), ()))
        for year in years_by_unit[unit_id]:
            if active_in_year(year, start=start, end=end, created=created):
                activities[(unit_id, year)][0] += 1
                activities[(unit_id, year)][1] += by_team

    def figures(unit_id, year, round_ids):
        counts = indicators[(unit_id, year)]
        texts = [follow_ups.get((unit_id, r), (0, 0)) for r in round_ids]
        done = activities.get((unit_id, year), (0, 0))
        return UnitBalanceFigures(
            mandated_indicators=counts["mandated"], own_indicators=counts["own"],
            values_due_per_year=values_due_per_year(counts["frequencies"]),
            follow_ups=sum(t[0] for t in texts), follow_ups_with_text=sum(t[1] for t in texts),
            activities=done[0], activities_by_teams=done[1],
            reporting_hours=sum_hours(hours.get((unit_id, r)) for r in round_ids),
        )

    rounds_by_year = defaultdict(list)
    for round_id, year in round_years.items():
        rounds_by_year[year].append(round_id)

    rows, current_figures, trend_figures = [], [], defaultdict(list)
    for unit_id, name in units:
        current = figures(unit_id, round_year, [reporting_round.pk])
        trend = []
        for year in sorted(years_by_unit[unit_id]):
            year_figures = figures(unit_id, year, rounds_by_year[year])
            trend_figures[year].append(year_figures)
            trend.append({"year": year, **year_figures.as_dict()})
        current_figures.append(current)
        rows.append(_row(name, unit_id, current, trend))
    rows.append(_row(TOTAL_LABEL, None, total(current_figures),
                     [{"year": year, **total(trend_figures[year]).as_dict()} for year in sorted(trend_figures)]))
    return rows


def _row(name, unit_id, figures, trend):
    return {"unit": name, "unit_id": unit_id, "is_total": unit_id is None, **figures.as_dict(), "trend": trend}
