"""Reporting rounds, the follow-ups written in them, and the board reports compiled from them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import OrgUnit, OrgUnitKind, Period, PoliticalGoal
from reporting.rules import Assessment
from scorecards.models import Measurement, ScorecardGoal


class ReportingRound(models.Model):
    """A reporting round (rapporteringsomgång) of one board, e.g. T1 2026, with a deadline."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    board = models.ForeignKey(OrgUnit, verbose_name=_("board"), on_delete=models.PROTECT, related_name="rounds",
                              limit_choices_to={"kind": OrgUnitKind.BOARD})
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="rounds",
                               help_text=_("The tertial or year the round reports on."))
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. T1 2026, Delårsrapport 2026."))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["board", "-period__start", "-period__end"]
        constraints = [
            models.UniqueConstraint(fields=["board", "period"], name="round_one_per_board_period",
                                    violation_error_message=_("The board already has a reporting round for this "
                                                              "period.")),
            models.CheckConstraint(condition=~Q(state="open") | Q(opened_at__isnull=False), name="round_open_has_opened_at",
                                   violation_error_message=_("An open round needs the time it was opened.")),
            models.CheckConstraint(condition=~Q(state="closed") | Q(closed_at__isnull=False), name="round_closed_has_closed_at",
                                   violation_error_message=_("A closed round needs the time it was closed.")),
        ]

    def __str__(self):
        return f"{self.name} ({self.board})"


class FollowUpQuerySet(models.QuerySet):
    """The one rule for who reads a follow-up (every face asks it: the follow-up page, the API, the
    unit's round and review pages, the history pages): anyone who may read its unit reads it once
    it is reported (submitted or approved); a draft or a returned follow-up is work in progress,
    read only by those who write it (the team or unit) and review it (its manager), never by the
    board or the controllers."""

    def readable_by(self, user):
        from governance import scope
        from governance.scope import Action

        reported = Q(org_unit__in=scope.readable_units(user), state__in=FollowUp.REPORTED_STATES)
        own = (Q(org_unit__in=scope.units_for(user, Action.WRITE_FOLLOW_UP))
               | Q(org_unit__in=scope.units_for(user, Action.REVIEW_FOLLOW_UPS)))
        return self.filter(reported | own)


def can_read_follow_up(user, follow_up):
    """The same rule as ``FollowUpQuerySet.readable_by`` for one follow-up (or one rebuilt from its
    history, in the state it had then), without a query beyond the user's scope."""
    from governance import scope
    from governance.scope import Action

    unit = follow_up.org_unit
    if follow_up.state in FollowUp.REPORTED_STATES:
        return scope.can_read(user, unit)
    return scope.can(user, Action.WRITE_FOLLOW_UP, unit) or scope.can(user, Action.REVIEW_FOLLOW_UPS, unit)


FOLLOW_UP_TWICE = _("The unit already has a follow-up of this goal in this round.")


class FollowUp(models.Model):
    """A unit's or team's qualitative follow-up (uppföljning) of one scorecard goal, or of a
    political goal directly, in one round."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    # Reported to the unit, and onward to the board: read by anyone who reads the unit.
    REPORTED_STATES = (State.SUBMITTED, State.APPROVED)

    round = models.ForeignKey(ReportingRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="follow_ups")
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("unit or team"), on_delete=models.PROTECT, related_name="follow_ups")
    scorecard_goal = models.ForeignKey(ScorecardGoal, verbose_name=_("scorecard goal"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="follow_ups")
    political_goal = models.ForeignKey(PoliticalGoal, verbose_name=_("political goal"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="follow_ups")
    what_we_did = models.TextField(_("what we did"), blank=True)
    effect_for_citizens = models.TextField(_("effect for citizens"), blank=True)
    learning = models.TextField(_("what we learned"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    self_assessment = models.CharField(_("self-assessment"), max_length=20, choices=Assessment.choices, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    review_comment = models.TextField(_("comment from the manager"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set when a board report that shows this follow-up is adopted (reporting.locks); cleared
    # only when a correction of that report is started.
    locked = models.BooleanField(_("locked by an adopted board report"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["locked"])

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["round", "org_unit__path", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scorecard_goal__isnull=False, political_goal__isnull=True)
                | Q(scorecard_goal__isnull=True, political_goal__isnull=False),
                name="followup_about_one_goal",
                violation_error_message=_("A follow-up is about either a unit goal or a political goal."),
            ),
            models.UniqueConstraint(fields=["round", "org_unit", "scorecard_goal"], condition=Q(scorecard_goal__isnull=False),
                                    name="followup_unique_per_scorecard_goal", violation_error_message=FOLLOW_UP_TWICE),
            models.UniqueConstraint(fields=["round", "org_unit", "political_goal"], condition=Q(political_goal__isnull=False),
                                    name="followup_unique_per_political_goal", violation_error_message=FOLLOW_UP_TWICE),
            models.CheckConstraint(condition=Q(state="draft") | Q(submitted_at__isnull=False),
                                   name="followup_submitted_has_time",
                                   violation_error_message=_("A submitted follow-up needs the time it was submitted.")),
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self):
        return f"{self.org_unit}: {self.scorecard_goal or self.political_goal} ({self.round.name})"

    @property
    def goal(self):
        return self.scorecard_goal or self.political_goal

    @property
    def has_text(self):
        """True when the follow-up says something in words (the trust balance counts these)."""
        return any(t.strip() for t in (self.what_we_did, self.effect_for_citizens, self.learning, self.next_step))


# The kinds of org unit that submit a unit report for a round: teams write follow-ups, and their
# work is part of the report of the unit (or department) above them.
REPORTING_KINDS = (OrgUnitKind.UNIT, OrgUnitKind.DEPARTMENT)


class UnitReport(models.Model):
    """A unit's part of a round: submitted by the unit manager when its follow-ups and values are in."""

    class State(models.TextChoices):
        OPEN = "open", _("Not submitted")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(ReportingRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="unit_reports")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="unit_reports")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    summary = models.TextField(_("summary"), blank=True)
    reporting_hours = models.DecimalField(_("hours spent on reporting"), max_digits=7, decimal_places=1, null=True, blank=True,
                                          help_text=_("Optional: the cost of reporting, shown in the trust balance."))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["round", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="unitreport_one_per_round_unit",
                                    violation_error_message=_("The unit already has a report in this round.")),
            models.CheckConstraint(condition=~Q(state="submitted") | Q(submitted_at__isnull=False),
                                   name="unitreport_submitted_has_time",
                                   violation_error_message=_("A submitted report needs the time it was submitted.")),
            models.CheckConstraint(condition=Q(reporting_hours__isnull=True) | Q(reporting_hours__gte=0),
                                   name="unitreport_hours_not_negative",
                                   violation_error_message=_("The hours spent on reporting cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.unit} – {self.round.name}"


class BoardReport(models.Model):
    """The board's report (nämndrapport) for one round. Adoption freezes it: ``snapshot`` then
    holds everything it showed, and a correction is a new version pointing at the old one."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        READY = "ready", _("Ready for the board")
        ADOPTED = "adopted", _("Adopted")

    board = models.ForeignKey(OrgUnit, verbose_name=_("board"), on_delete=models.PROTECT, related_name="board_reports",
                              limit_choices_to={"kind": OrgUnitKind.BOARD})
    round = models.ForeignKey(ReportingRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="board_reports")
    version_number = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField("self", verbose_name=_("corrects"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="correction")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    minute_paragraph = models.CharField(_("minute paragraph"), max_length=30, blank=True, help_text=_("E.g. § 45."))
    adopted_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decision recorded by"), null=True,
                                            blank=True, on_delete=models.SET_NULL, related_name="+")
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    # Derived from the snapshot when it is stored (reporting.snapshot_index): where each part
    # sits, so that a page reads the part it shows instead of the whole snapshot.
    snapshot_index = models.JSONField(_("snapshot index"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # What adoption froze (reporting.locks): the values and approved follow-ups the snapshot shows.
    frozen_measurements = models.ManyToManyField(Measurement, verbose_name=_("values frozen by the adoption"),
                                                 related_name="+", blank=True, editable=False)
    frozen_follow_ups = models.ManyToManyField(FollowUp, verbose_name=_("follow-ups frozen by the adoption"),
                                               related_name="+", blank=True, editable=False)
    # The snapshot is left out of the history: it is large, it is written once, at adoption, and
    # an adopted report (snapshot included) can never change again, so there is no "before and after".
    history = HistoricalRecords(excluded_fields=["snapshot", "snapshot_index"])

    class Meta:
        verbose_name = _("board report")
        verbose_name_plural = _("board reports")
        ordering = ["board", "-round__period__start", "-version_number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version_number"], name="boardreport_unique_version",
                                    violation_error_message=_("The round already has a board report with this "
                                                              "version number.")),
            models.CheckConstraint(
                condition=~Q(state="adopted")
                | (Q(adopted_on__isnull=False) & ~Q(minute_paragraph="") & Q(snapshot__isnull=False)),
                name="boardreport_adopted_is_complete",
                violation_error_message=_("An adopted report needs the date of the decision, the paragraph of the "
                                          "minutes and its frozen content."),
            ),
        ]

    def __str__(self):
        suffix = f" v{self.version_number}" if self.version_number > 1 else ""
        return f"{self.board} – {self.round.name}{suffix}"

    @property
    def is_adopted(self):
        return self.state == self.State.ADOPTED

    def store_snapshot(self, snapshot):
        """Set the snapshot and the index derived from it (saved by the caller)."""
        from reporting.snapshot_index import index_snapshot

        self.snapshot = snapshot
        self.snapshot_index = index_snapshot(snapshot) if snapshot is not None else None


class GoalAssessment(models.Model):
    """The controller's overall assessment of one political goal in a board report:
    a human judgement. The system may suggest one, never set it."""

    report = models.ForeignKey(BoardReport, verbose_name=_("board report"), on_delete=models.CASCADE, related_name="goal_assessments")
    political_goal = models.ForeignKey(PoliticalGoal, verbose_name=_("political goal"), on_delete=models.PROTECT,
                                       related_name="assessments")
    assessment = models.CharField(_("assessment"), max_length=20, choices=Assessment.choices, blank=True)
    text = models.TextField(_("motivation"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal assessment")
        verbose_name_plural = _("goal assessments")
        ordering = ["report", "political_goal__order", "political_goal__code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "political_goal"], name="goalassessment_one_per_goal",
                                    violation_error_message=_("The report already has an assessment of this political "
                                                              "goal.")),
        ]

    def __str__(self):
        return f"{self.political_goal}: {self.get_assessment_display() or '–'}"


# --- locked decisions ---------------------------------------------------------------------------
#
# The last guard of the rule that what an adopted board report froze never changes (the rule
# itself: reporting.locks). Services refuse first, with their own message; this catches code
# that bypasses them (the shell, a script). loaddata saves raw and is not stopped; a queryset
# .update() cannot be caught by model code at all: Tillit only uses one to set the lock flags.

ADOPTED_REPORT_LOCKED_MESSAGE = _("The board has adopted this report; it can no longer be changed. "
                                  "Make a correction (a new version) instead.")
FOLLOW_UP_LOCKED_MESSAGE = _("This follow-up is part of a board report that the board has adopted, so it can no "
                            "longer be changed. Start a correction of the report (a new version) to change it.")


def _report_adopted_in_database(report_id):
    return report_id is not None and BoardReport._base_manager.filter(
        pk=report_id, state=BoardReport.State.ADOPTED).exists()


def _follow_up_locked_in_database(follow_up_id):
    return follow_up_id is not None and FollowUp._base_manager.filter(pk=follow_up_id, locked=True).exists()


def _refuse_locked_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender is BoardReport and _report_adopted_in_database(instance.pk):
        raise ValidationError(ADOPTED_REPORT_LOCKED_MESSAGE, code="locked")
    if sender is GoalAssessment and _report_adopted_in_database(instance.report_id):
        raise ValidationError(ADOPTED_REPORT_LOCKED_MESSAGE, code="locked")
    if sender is FollowUp and _follow_up_locked_in_database(instance.pk):
        raise ValidationError(FOLLOW_UP_LOCKED_MESSAGE, code="locked")


def _refuse_locked_delete(sender, instance, **kwargs):
    _refuse_locked_save(sender, instance)


for _model in (BoardReport, GoalAssessment, FollowUp):
    models.signals.pre_save.connect(_refuse_locked_save, sender=_model, dispatch_uid=f"reporting.lock.save.{_model.__name__}")
    pre_delete.connect(_refuse_locked_delete, sender=_model, dispatch_uid=f"reporting.lock.delete.{_model.__name__}")
