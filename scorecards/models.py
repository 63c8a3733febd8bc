"""Scorecards, their goals and indicators, targets, measurements, and the teams' activities."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import OrgUnit, OrgUnitKind, Period, PeriodKind, PoliticalGoal, ReportingYear
from scorecards.status import Direction

# --- the one bound of every stored number --------------------------------------------------------
# Every value, target, threshold and comparison value is less than a billion in absolute value,
# with at most four decimals: 13 digits, well inside what SQLite (which keeps decimals as floating
# point, exact to 15 digits) and PostgreSQL can store and read back. The model fields carry the
# validator (full_clean, ModelForms, admin, DRF ModelSerializers) and each field has a
# CheckConstraint as the last line (see bounded_value_constraint).
MEASUREMENT_VALUE_LIMIT = Decimal(10) ** 9
VALUE_MAX_DIGITS, VALUE_DECIMAL_PLACES = 13, 4


BOUNDED_VALUE_MESSAGE = _("The number must be less than a billion (1 000 000 000) in absolute value.")


def validate_bounded_value(value):
    """Refuse NaN, infinity and anything of a billion or more (in absolute value)."""
    if value is None:
        return
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if not number.is_finite():
        raise ValidationError(_("Enter a finite number."), code="invalid")
    if abs(number) >= MEASUREMENT_VALUE_LIMIT:
        raise ValidationError(BOUNDED_VALUE_MESSAGE, code="too_large")


def bounded_value_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES,
                               validators=[validate_bounded_value], **kwargs)


def bounded_value_constraint(model, field):
    condition = Q(**{f"{field}__gt": -MEASUREMENT_VALUE_LIMIT, f"{field}__lt": MEASUREMENT_VALUE_LIMIT})
    return models.CheckConstraint(condition=Q(**{f"{field}__isnull": True}) | condition,
                                  name=f"{model}_{field}_bounded", violation_error_message=BOUNDED_VALUE_MESSAGE)


def value_plausibility_issue(unit, value):
    """The reason a value cannot be meant in the indicator's unit of measure, or None.
    A percentage outside 0-100, a negative count or number of days."""
    if value is None:
        return None
    if unit == MeasureUnit.PERCENT and not (0 <= value <= 100):
        return _("A percentage must be between 0 and 100.")
    if unit in (MeasureUnit.COUNT, MeasureUnit.DAYS) and value < 0:
        return _("A count or a number of days cannot be negative.")
    return None


class Perspective(models.Model):
    """A scorecard perspective (invånare/brukare, medarbetare, verksamhet, ekonomi).
    Kept as a table so a municipality can rename, add or reorder them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Scorecard(models.Model):
    """A unit's scorecard (styrkort) for one year."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="scorecards")
    year = models.ForeignKey(ReportingYear, verbose_name=_("year"), on_delete=models.PROTECT, related_name="scorecards")
    mission = models.TextField(_("mission"), blank=True, help_text=_("What the unit is for, in its own words."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["year", "unit__path"]
        constraints = [models.UniqueConstraint(
            fields=["unit", "year"], name="scorecard_unique_unit_year",
            violation_error_message=_("The unit already has a scorecard for this year."))]

    def __str__(self):
        return f"{self.unit} {self.year}"

    def clean(self):
        if self.unit_id and self.unit.kind not in (OrgUnitKind.UNIT, OrgUnitKind.DEPARTMENT):
            raise ValidationError({"unit": _("Scorecards are kept by units and departments.")})


class ScorecardGoal(models.Model):
    """A unit goal or commitment (enhetsmål/åtagande) that contributes to political goals."""

    scorecard = models.ForeignKey(Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="goals")
    perspective = models.ForeignKey(Perspective, verbose_name=_("perspective"), on_delete=models.PROTECT, related_name="goals")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    political_goals = models.ManyToManyField(PoliticalGoal, verbose_name=_("political goals"), related_name="scorecard_goals",
                                             blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=["political_goals"])

    class Meta:
        verbose_name = _("scorecard goal")
        verbose_name_plural = _("scorecard goals")
        ordering = ["scorecard", "perspective__order", "order", "pk"]

    def __str__(self):
        return self.title


class Mandate(models.TextChoices):
    """Who demands an indicator (docs/architecture.md §3)."""

    BOARD = "board", _("Board")
    ADMINISTRATION = "administration", _("Administration")
    REGULATOR = "regulator", _("Regulator or law")
    OWN = "own", _("Own")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    TERTIAL = "tertial", _("Per tertial")
    YEARLY = "yearly", _("Yearly")


FREQUENCY_PERIOD_KIND = {
    Frequency.MONTHLY: PeriodKind.MONTH,
    Frequency.TERTIAL: PeriodKind.TERTIAL,
    Frequency.YEARLY: PeriodKind.YEAR,
}


class MeasureUnit(models.TextChoices):
    PERCENT = "percent", _("Percent")
    COUNT = "count", _("Count")
    DAYS = "days", _("Days")
    SEK = "sek", _("SEK")
    KSEK = "ksek", _("Thousand SEK")
    INDEX = "index", _("Index")
    OTHER = "other", _("Other")


MEASURE_UNIT_SYMBOLS = {
    MeasureUnit.PERCENT: "%", MeasureUnit.COUNT: "st", MeasureUnit.DAYS: "dagar", MeasureUnit.SEK: "kr",
    MeasureUnit.KSEK: "tkr", MeasureUnit.INDEX: "", MeasureUnit.OTHER: "",
}


class IndicatorTerms:
    """What an indicator's columns mean, for the model and for the board report's light copy of
    it (``reporting.evidence.ReportedIndicator``) alike: one rule each."""

    __slots__ = ()

    @property
    def is_mandated(self):
        return self.mandate != Mandate.OWN

    @property
    def unit_symbol(self):
        return self.measure_unit_label or MEASURE_UNIT_SYMBOLS.get(self.measure_unit, "")

    @property
    def period_kind(self):
        return FREQUENCY_PERIOD_KIND[Frequency(self.frequency)]


class Indicator(IndicatorTerms, models.Model):
    """A metric (mätetal/nyckeltal). Mandated indicators are defined centrally by ``owner``
    (the board or administration) and assigned to scorecards; a unit cannot remove or rename
    them. Own indicators belong to the unit that made them."""

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_indicators",
                              help_text=_("For mandated indicators the board or administration; for own ones the unit."))
    mandate = models.CharField(_("mandate"), max_length=20, choices=Mandate.choices, default=Mandate.OWN)
    mandate_source = models.CharField(_("source of the mandate"), max_length=200, blank=True,
                                      help_text=_("E.g. SoL 11 kap. 2 §, IVO, the board's budget decision."))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    measure_unit = models.CharField(_("unit of measure"), max_length=10, choices=MeasureUnit.choices, default=MeasureUnit.COUNT)
    measure_unit_label = models.CharField(_("unit label"), max_length=30, blank=True,
                                          help_text=_("Shown instead of the standard symbol when set."))
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    kolada_kpi = models.CharField(_("Kolada KPI id"), max_length=20, blank=True, db_index=True)
    external_code = models.CharField(_("external code"), max_length=50, blank=True,
                                     help_text=_("The indicator's code in import files."))
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["external_code"], condition=~Q(external_code=""),
                                    name="indicator_unique_external_code",
                                    violation_error_message=_("Another indicator already has this external code.")),
            models.CheckConstraint(condition=Q(decimals__lte=6), name="indicator_sensible_decimals",
                                   violation_error_message=_("An indicator is shown with at most six decimals.")),
        ]
        indexes = [models.Index(fields=["mandate", "owner"])]

    def __str__(self):
        return self.name

    def clean(self):
        if self.owner_id:
            if self.mandate == Mandate.OWN and self.owner.kind not in (OrgUnitKind.UNIT, OrgUnitKind.DEPARTMENT, OrgUnitKind.TEAM):
                raise ValidationError({"owner": _("An own indicator belongs to a unit, department or team.")})
            if self.mandate != Mandate.OWN and self.owner.kind not in (OrgUnitKind.BOARD, OrgUnitKind.ADMINISTRATION):
                raise ValidationError({"owner": _("A mandated indicator is owned by a board or an administration.")})


class ScorecardIndicator(models.Model):
    """An indicator as it appears in one scorecard, under one of its goals, with the unit's analysis."""

    scorecard = models.ForeignKey(Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="scorecard_links")
    goal = models.ForeignKey(ScorecardGoal, verbose_name=_("scorecard goal"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="indicator_links")
    analysis = models.TextField(_("analysis"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator in scorecard")
        verbose_name_plural = _("indicators in scorecards")
        ordering = ["scorecard", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "indicator"], name="scorecardindicator_unique",
                                    violation_error_message=_("The indicator is already in this scorecard.")),
        ]

    def __str__(self):
        return f"{self.indicator} ({self.scorecard})"

    def clean(self):
        if self.goal_id and self.scorecard_id and self.goal.scorecard_id != self.scorecard_id:
            raise ValidationError({"goal": _("The goal must belong to the same scorecard.")})


class Target(models.Model):
    """Target and thresholds of an indicator for one year; ``unit`` empty means the default
    for every unit, a row with a unit overrides it for that unit."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets")
    year = models.ForeignKey(ReportingYear, verbose_name=_("year"), on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="targets", help_text=_("Leave empty for the default of all units."))
    target_value = bounded_value_field(_("target"))
    target_max = bounded_value_field(_("target, upper end"), null=True, blank=True, help_text=_("Only for 'closer to target': the upper end of the target range."))
    yellow_threshold = bounded_value_field(_("yellow threshold"), null=True, blank=True)
    tolerance_percent = models.DecimalField(_("tolerance (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
                                            help_text=_("Width of the yellow band as a percentage of the target when no yellow threshold is set."))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "unit"], condition=Q(unit__isnull=False),
                                    name="target_unique_per_unit",
                                    violation_error_message=_("The indicator already has a target for this unit and "
                                                              "year.")),
            models.UniqueConstraint(fields=["indicator", "year"], condition=Q(unit__isnull=True),
                                    name="target_unique_default",
                                    violation_error_message=_("The indicator already has a target for this year.")),
            models.CheckConstraint(condition=Q(tolerance_percent__isnull=True) | Q(tolerance_percent__gte=0, tolerance_percent__lte=100),
                                   name="target_tolerance_range",
                                   violation_error_message=_("The tolerance must be between 0 and 100 per cent.")),
            bounded_value_constraint("target", "target_value"),
            bounded_value_constraint("target", "target_max"),
            bounded_value_constraint("target", "yellow_threshold"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.target_value}"

    def clean(self):
        from scorecards.status import threshold_errors

        if self.indicator_id and self.target_value is not None:
            errors = threshold_errors(
                direction=self.indicator.direction, target=self.target_value, target_max=self.target_max,
                yellow_threshold=self.yellow_threshold, tolerance_percent=self.tolerance_percent,
            )
            if errors:
                raise ValidationError(errors)


class Measurement(models.Model):
    """One value (utfall) of an indicator for a unit and a period."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("File import")
        API = "api", _("API")
        KOLADA = "kolada", _("Kolada")

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="measurements")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="measurements")
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="measurements")
    value = bounded_value_field(_("value"), null=True, blank=True, help_text=_("Empty when the value is known to be missing; say why in the comment."))
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set by the reporting app when a board report that shows this value is adopted (and cleared
    # when a correction of that report is started): a locked value cannot be changed by any route
    # (see the guard below and reporting.locks). Not an edit of the value, so not in the history.
    locked = models.BooleanField(_("locked by an adopted board report"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["locked"])

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "unit", "period__start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period"], name="measurement_one_per_indicator_unit_period",
                                    violation_error_message=_("The indicator already has a value for this unit and "
                                                              "period.")),
            bounded_value_constraint("measurement", "value"),
        ]
        indexes = [models.Index(fields=["unit", "period"])]

    def __str__(self):
        return f"{self.indicator} {self.unit} {self.period}: {self.value}"

    def clean(self):
        if self.indicator_id and self.period_id and self.period.kind != self.indicator.period_kind:
            raise ValidationError({"period": _("This indicator is reported %(kind)s.")
                                   % {"kind": self.indicator.get_frequency_display().lower()}})
        if self.indicator_id and isinstance(self.value, Decimal) and self.value.is_finite():
            # Refused (not confirmed with a warning): a value the unit cannot hold is a typing error.
            issue = value_plausibility_issue(self.indicator.measure_unit, self.value)
            if issue:
                raise ValidationError({"value": issue}, code="implausible")

    def is_locked_in_database(self):
        """Ask the database, not this copy: it may have been read before the board adopted."""
        return self.pk is not None and type(self)._base_manager.filter(pk=self.pk, locked=True).exists()

    def save(self, *args, **kwargs):
        # The last guard of the locked-decision rule, for code that bypasses the services (the
        # shell, a script). loaddata does not come here (it saves raw), and a queryset
        # .update() cannot be caught by any model code: nothing in Tillit updates values that way.
        if self.is_locked_in_database():
            raise ValidationError(MEASUREMENT_LOCKED_MESSAGE, code="locked")
        super().save(*args, **kwargs)


MEASUREMENT_LOCKED_MESSAGE = _("This value is shown in a board report that the board has adopted, so it can no longer "
                               "be changed. Start a correction of the report (a new version) to change it.")


@receiver(pre_delete, sender=Measurement, dispatch_uid="scorecards.measurement.refuse_locked_delete")
def _refuse_locked_measurement_delete(sender, instance, **kwargs):
    # pre_delete is sent for Model.delete(), queryset.delete() and cascades alike.
    if instance.is_locked_in_database():
        raise ValidationError(MEASUREMENT_LOCKED_MESSAGE, code="locked")


# Dates of activities and progress notes: Tillit's data begins after 2000, and a plan reaches at
# most ten years ahead (a progress note at most one year: it tells what happened). Anything outside
# is a typing error (1900, 2099, 9999), refused with a message instead of being stored.
EARLIEST_DATE = datetime.date(2000, 1, 1)
ACTIVITY_YEARS_AHEAD, UPDATE_YEARS_AHEAD = 10, 1


def _years_ahead(years):
    today = datetime.date.today()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def _check_date(value, years_ahead):
    if value is None:
        return
    if value < EARLIEST_DATE:
        raise ValidationError(_("The date cannot be before %(date)s.") % {"date": EARLIEST_DATE.isoformat()},
                              code="too_early")
    latest = _years_ahead(years_ahead)
    if value > latest:
        raise ValidationError(_("The date cannot be after %(date)s.") % {"date": latest.isoformat()},
                              code="too_late")


def validate_activity_date(value):
    _check_date(value, ACTIVITY_YEARS_AHEAD)


def validate_update_date(value):
    _check_date(value, UPDATE_YEARS_AHEAD)


ACTIVITY_DATES_MESSAGE = _("The end date cannot be before the start date.")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(models.Model):
    """Something a team decided to do for the unit's goals, in its own words."""

    Status = ActivityStatus

    team = models.ForeignKey(OrgUnit, verbose_name=_("team"), on_delete=models.PROTECT, related_name="activities",
                             limit_choices_to={"kind": OrgUnitKind.TEAM})
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    expected_citizen_value = models.TextField(_("expected value for citizens"), blank=True)
    goals = models.ManyToManyField(ScorecardGoal, verbose_name=_("scorecard goals"), related_name="activities")
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[validate_activity_date])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[validate_activity_date])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=["goals"])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["team", "-start_date", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(start_date__lte=models.F("end_date")),
                                   name="activity_start_before_end",
                                   violation_error_message=ACTIVITY_DATES_MESSAGE),
        ]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.team_id and self.team.kind != OrgUnitKind.TEAM:
            raise ValidationError({"team": _("Activities belong to a team.")})
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValidationError({"end_date": ACTIVITY_DATES_MESSAGE}, code="activity_start_before_end")


class ActivityUpdate(models.Model):
    """A dated progress note (aktivitetslogg) on an activity."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), validators=[validate_update_date])
    text = models.TextField(_("text"))
    status_after = models.CharField(_("status after the update"), max_length=10, choices=ActivityStatus.choices, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity update")
        verbose_name_plural = _("activity updates")
        ordering = ["activity", "-date", "-pk"]
        get_latest_by = "date"

    def __str__(self):
        return f"{self.date}: {self.text[:60]}"


COMPARISON_TWICE = _("There is already a comparison value for this KPI, area, year and gender.")


class ComparisonValue(models.Model):
    """A value of someone else to compare with: another municipality, a group of municipalities,
    the whole country (Kolada's "0000", Riket) or the own municipality's yearly figure for an
    indicator that is reported monthly. Kept per Kolada KPI (``kpi``) or, for other sources, per
    ``indicator``; never counted as the unit's own measurement and never judged against a target.
    Written only by the importers (``scorecards.importers``)."""

    class AreaKind(models.TextChoices):
        COUNTRY = "country", _("The whole country")
        MUNICIPALITY = "municipality", _("Municipality")
        GROUP = "group", _("Group of municipalities")
        ORGANISATIONAL_UNIT = "ou", _("Organisational unit")

    class Gender(models.TextChoices):
        TOTAL = "T", _("Total")
        WOMEN = "K", _("Women")
        MEN = "M", _("Men")

    kpi = models.CharField(_("Kolada KPI id"), max_length=20, blank=True, db_index=True)
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="comparison_values")
    area_code = models.CharField(_("area code"), max_length=40)
    area_name = models.CharField(_("area name"), max_length=200, blank=True)
    area_kind = models.CharField(_("kind of area"), max_length=12, choices=AreaKind.choices, default=AreaKind.MUNICIPALITY)
    year = models.PositiveSmallIntegerField(_("year"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.TOTAL)
    value = bounded_value_field(_("value"))
    source = models.CharField(_("source"), max_length=10, choices=Measurement.Source.choices,
                              default=Measurement.Source.KOLADA)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("comparison value")
        verbose_name_plural = _("comparison values")
        ordering = ["kpi", "indicator", "area_code", "year", "gender"]
        constraints = [
            models.CheckConstraint(condition=~Q(kpi="") | Q(indicator__isnull=False),
                                   name="comparisonvalue_kpi_or_indicator",
                                   violation_error_message=_("A comparison value needs a Kolada KPI or an indicator.")),
            bounded_value_constraint("comparisonvalue", "value"),
            models.UniqueConstraint(fields=["kpi", "area_code", "year", "gender"], condition=Q(indicator__isnull=True),
                                    name="comparisonvalue_unique_per_kpi", violation_error_message=COMPARISON_TWICE),
            models.UniqueConstraint(fields=["indicator", "area_code", "year", "gender"],
                                    condition=Q(indicator__isnull=False), name="comparisonvalue_unique_per_indicator",
                                    violation_error_message=COMPARISON_TWICE),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=2100), name="comparisonvalue_sensible_year",
                                   violation_error_message=_("The year must be between 1900 and 2100.")),
        ]

    def __str__(self):
        return f"{self.kpi or self.indicator} {self.area_name or self.area_code} {self.year} {self.gender}: {self.value}"
