"""Admin for reporting rounds, follow-ups, unit reports and board reports.

An adopted board report is a public record frozen by the board's decision (docs/architecture.md §5): the
admin shows it, snapshot included, and changes or deletes nothing of it. Adoption itself is
the reporting workflow's business (it builds the snapshot), so it is not offered here.
"""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from governance.admin_scope import ScopedModelAdmin, ScopedTabularInline, related_only
from governance.scope import Action
from reporting.models import FOLLOW_UP_LOCKED_MESSAGE, BoardReport, FollowUp, GoalAssessment, ReportingRound, UnitReport

ADOPTED_MESSAGE = _("The board report has been adopted and can no longer be changed.")


@admin.register(ReportingRound)
class ReportingRoundAdmin(ScopedModelAdmin):
    scope_field = "board"
    scope_action = Action.MANAGE_ROUNDS
    scope_select_related = ("board", "period")

    list_display = ("name", "board", "period", "deadline", "state", "opened_at", "closed_at")
    list_filter = ("state", "period__kind", related_only("board"))
    search_fields = ("name", "board__name")
    ordering = ("board__name", "-period__start", "-period__end")
    date_hierarchy = "deadline"
    autocomplete_fields = ("board",)


@admin.register(FollowUp)
class FollowUpAdmin(ScopedModelAdmin):
    scope_field = "org_unit"
    scope_action = Action.WRITE_FOLLOW_UP
    scope_select_related = ("round__board", "org_unit", "scorecard_goal", "political_goal", "author")

    list_display = ("org_unit", "goal", "round", "self_assessment", "state", "author", "updated_at")
    list_filter = ("state", "self_assessment", related_only("round"), related_only("org_unit"))
    search_fields = ("org_unit__name", "scorecard_goal__title", "political_goal__title", "what_we_did",
                     "effect_for_citizens", "learning", "next_step")
    ordering = ("round", "org_unit__path", "pk")
    date_hierarchy = "updated_at"
    autocomplete_fields = ("round", "org_unit", "scorecard_goal", "political_goal", "author", "reviewed_by")
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description=_("goal"))
    def goal(self, follow_up):
        return follow_up.goal

    def lock_message(self, follow_up):
        # Frozen by an adopted board report (reporting.locks): read-only and undeletable here.
        return FOLLOW_UP_LOCKED_MESSAGE if follow_up.pk is not None and follow_up.locked else None


@admin.register(UnitReport)
class UnitReportAdmin(ScopedModelAdmin):
    scope_field = "unit"
    scope_action = Action.SUBMIT_UNIT_REPORT
    scope_select_related = ("round__board", "unit", "submitted_by")

    list_display = ("unit", "round", "state", "reporting_hours", "submitted_by", "submitted_at")
    list_filter = ("state", related_only("round"), related_only("unit"))
    search_fields = ("unit__name", "unit__external_code", "summary")
    ordering = ("round", "unit__path")
    autocomplete_fields = ("round", "unit", "submitted_by")


class BoardReportLock:
    """Adopted reports, and everything in them, are read-only for everyone."""

    def lock_message(self, obj):
        report = self.report_of(obj)
        return ADOPTED_MESSAGE if report is not None and report.is_adopted else None

    def report_of(self, obj):
        return obj


class GoalAssessmentInline(ScopedTabularInline):
    model = GoalAssessment
    fields = ("political_goal", "assessment", "text")
    autocomplete_fields = ("political_goal",)


@admin.register(BoardReport)
class BoardReportAdmin(BoardReportLock, ScopedModelAdmin):
    scope_field = "board"
    scope_action = Action.COMPILE_BOARD_REPORT
    scope_select_related = ("board", "round__board")

    list_display = ("__str__", "board", "round", "version_number", "state", "adopted_on", "minute_paragraph", "updated_at")
    list_filter = ("state", related_only("board"), related_only("round"))
    search_fields = ("board__name", "round__name", "summary", "minute_paragraph")
    ordering = ("board__name", "-round__period__start", "-version_number")
    autocomplete_fields = ("board", "round", "previous")
    readonly_fields = ("adopted_on", "minute_paragraph", "adopted_recorded_by", "created_at", "updated_at",
                       "snapshot_pretty")
    fieldsets = (
        (None, {"fields": ("board", "round", "version_number", "previous", "state", "summary")}),
        (_("Board decision"), {"fields": ("adopted_on", "minute_paragraph", "adopted_recorded_by", "snapshot_pretty")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )
    inlines = (GoalAssessmentInline,)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "state":
            # Adoption stores the snapshot and belongs to the reporting workflow, not to a select.
            kwargs["choices"] = [(s.value, s.label) for s in BoardReport.State if s != BoardReport.State.ADOPTED]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=_("snapshot"))
    def snapshot_pretty(self, report):
        if report.snapshot is None:
            return "–"
        return format_html("<pre>{}</pre>", json.dumps(report.snapshot, indent=2, ensure_ascii=False))


@admin.register(GoalAssessment)
class GoalAssessmentAdmin(BoardReportLock, ScopedModelAdmin):
    scope_field = "report__board"
    scope_action = Action.COMPILE_BOARD_REPORT
    scope_select_related = ("report__board", "report__round", "political_goal")

    list_display = ("political_goal", "report", "assessment")
    list_filter = ("assessment", "report__state", related_only("report__board"))
    search_fields = ("political_goal__title", "political_goal__code", "text")
    ordering = ("report", "political_goal__order", "political_goal__code")
    autocomplete_fields = ("report", "political_goal")

    def report_of(self, assessment):
        return getattr(assessment, "report", None)
