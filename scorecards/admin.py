"""Admin for scorecards, indicators, targets, measurements and activities.

Rows and rights follow the scope (governance.admin_scope). What a unit or a team writes
(scorecards, own indicators, activities) stays theirs: a controller sees it here but only
changes what the controller's role covers (mandated indicators, targets, measurements).
"""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from governance.admin_scope import ScopedModelAdmin, ScopedTabularInline, related_only
from governance.scope import Action
from scorecards.models import (
    MEASUREMENT_LOCKED_MESSAGE,
    Activity,
    ActivityUpdate,
    ComparisonValue,
    Indicator,
    Measurement,
    Perspective,
    Scorecard,
    ScorecardGoal,
    ScorecardIndicator,
    Target,
)


def _indicator_action(indicator):
    """Mandated indicators are the controller's; own ones the unit's (docs/architecture.md §3)."""
    if indicator is not None and indicator.is_mandated:
        return Action.MANAGE_MANDATED_INDICATORS
    return Action.EDIT_SCORECARD


@admin.register(ComparisonValue)
class ComparisonValueAdmin(ScopedModelAdmin):
    """Other municipalities' and the nation's Kolada values: public figures shared by every board,
    so only the superuser changes them (the Kolada import fills them)."""

    scope_field = None
    list_display = ("kpi", "indicator", "area_name", "area_code", "year", "gender", "value", "source")
    list_filter = ("source", "area_kind", "gender", "year")
    search_fields = ("kpi", "area_code", "area_name")
    list_select_related = ("indicator",)


@admin.register(Perspective)
class PerspectiveAdmin(ScopedModelAdmin):
    """Shared by every board, so only the superuser changes them."""

    scope_field = None
    list_display = ("name", "order")
    search_fields = ("name",)
    ordering = ("order", "name")


class ScorecardGoalInline(ScopedTabularInline):
    model = ScorecardGoal
    fields = ("perspective", "title", "political_goals", "order")
    autocomplete_fields = ("political_goals",)


class ScorecardIndicatorOnScorecardInline(ScopedTabularInline):
    model = ScorecardIndicator
    fk_name = "scorecard"
    fields = ("indicator", "goal", "order", "analysis")
    autocomplete_fields = ("indicator", "goal")


@admin.register(Scorecard)
class ScorecardAdmin(ScopedModelAdmin):
    scope_field = "unit"
    scope_action = Action.EDIT_SCORECARD
    scope_select_related = ("unit", "year")

    list_display = ("unit", "year", "state")
    list_filter = ("year", "state", related_only("unit"))
    search_fields = ("unit__name", "unit__external_code", "mission")
    ordering = ("-year__year", "unit__path")
    autocomplete_fields = ("unit",)
    inlines = (ScorecardGoalInline, ScorecardIndicatorOnScorecardInline)


@admin.register(ScorecardGoal)
class ScorecardGoalAdmin(ScopedModelAdmin):
    scope_field = "scorecard__unit"
    scope_action = Action.EDIT_SCORECARD
    scope_select_related = ("scorecard__unit", "scorecard__year", "perspective")

    list_display = ("title", "scorecard", "perspective", "order")
    list_filter = ("perspective", "scorecard__year", related_only("scorecard__unit"))
    search_fields = ("title", "description", "scorecard__unit__name")
    ordering = ("-scorecard__year__year", "scorecard__unit__path", "perspective__order", "order")
    autocomplete_fields = ("scorecard", "political_goals")


class TargetInline(ScopedTabularInline):
    model = Target
    fields = ("year", "unit", "target_value", "target_max", "yellow_threshold", "tolerance_percent", "comment")
    autocomplete_fields = ("unit",)


class ScorecardIndicatorOnIndicatorInline(ScopedTabularInline):
    model = ScorecardIndicator
    fk_name = "indicator"
    fields = ("scorecard", "goal", "order")
    autocomplete_fields = ("scorecard", "goal")
    verbose_name_plural = _("used in scorecards")


@admin.register(Indicator)
class IndicatorAdmin(ScopedModelAdmin):
    scope_field = "owner"
    scope_select_related = ("owner",)

    list_display = ("name", "owner", "mandate", "direction", "measure_unit", "frequency", "kolada_kpi", "external_code",
                    "is_active")
    list_filter = ("mandate", "frequency", "direction", "is_active", related_only("owner"))
    search_fields = ("name", "external_code", "kolada_kpi", "mandate_source")
    ordering = ("name",)
    autocomplete_fields = ("owner",)
    inlines = (TargetInline, ScorecardIndicatorOnIndicatorInline)

    def get_scope_action(self, indicator):
        return _indicator_action(indicator)

    def get_scope_add_actions(self):
        return (Action.MANAGE_MANDATED_INDICATORS, Action.EDIT_SCORECARD)


@admin.register(ScorecardIndicator)
class ScorecardIndicatorAdmin(ScopedModelAdmin):
    scope_field = "scorecard__unit"
    scope_select_related = ("scorecard__unit", "scorecard__year", "indicator", "goal")

    list_display = ("indicator", "scorecard", "goal", "mandate", "order")
    list_filter = ("indicator__mandate", "scorecard__year", related_only("scorecard__unit"))
    search_fields = ("indicator__name", "scorecard__unit__name", "goal__title")
    ordering = ("-scorecard__year__year", "scorecard__unit__path", "order")
    autocomplete_fields = ("scorecard", "indicator", "goal")

    @admin.display(description=_("mandate"), ordering="indicator__mandate")
    def mandate(self, link):
        return link.indicator.get_mandate_display()

    def get_scope_action(self, link):
        return _indicator_action(getattr(link, "indicator", None))

    def get_scope_add_actions(self):
        return (Action.MANAGE_MANDATED_INDICATORS, Action.EDIT_SCORECARD)


@admin.register(Target)
class TargetAdmin(ScopedModelAdmin):
    """A target is read where its indicator is read; the default target is set where the
    indicator is owned, a unit's own target where that unit is."""

    scope_field = "indicator__owner"
    scope_action = Action.SET_TARGETS
    scope_select_related = ("indicator__owner", "year", "unit")

    list_display = ("indicator", "year", "unit", "target_value", "target_max", "yellow_threshold", "tolerance_percent")
    list_filter = ("year", "indicator__mandate", related_only("unit"))
    search_fields = ("indicator__name", "indicator__external_code", "unit__name", "comment")
    ordering = ("indicator__name", "-year__year", "unit__path")
    autocomplete_fields = ("indicator", "unit")

    def scope_units(self, target):
        if target.unit_id:
            return [target.unit]
        return super().scope_units(target)


@admin.register(Measurement)
class MeasurementAdmin(ScopedModelAdmin):
    scope_field = "unit"
    scope_action = Action.ENTER_MEASUREMENTS
    scope_select_related = ("indicator", "unit", "period", "author")

    list_display = ("indicator", "unit", "period", "value", "source", "author", "updated_at")
    list_filter = ("source", "period__kind", "indicator__mandate", related_only("unit"))
    search_fields = ("indicator__name", "indicator__external_code", "unit__name", "unit__external_code", "comment")
    ordering = ("indicator__name", "unit__path", "period__start")
    date_hierarchy = "period__start"
    autocomplete_fields = ("indicator", "unit", "author")
    readonly_fields = ("created_at", "updated_at")

    def lock_message(self, measurement):
        # Frozen by an adopted board report (reporting.locks): read-only and undeletable here.
        return MEASUREMENT_LOCKED_MESSAGE if measurement.pk is not None and measurement.locked else None


class ActivityUpdateInline(ScopedTabularInline):
    model = ActivityUpdate
    fields = ("date", "text", "status_after", "author")
    autocomplete_fields = ("author",)


@admin.register(Activity)
class ActivityAdmin(ScopedModelAdmin):
    scope_field = "team"
    scope_action = Action.EDIT_ACTIVITIES
    scope_select_related = ("team", "created_by")

    list_display = ("title", "team", "status", "start_date", "end_date", "created_by", "updated_at")
    list_filter = ("status", related_only("team"))
    search_fields = ("title", "description", "expected_citizen_value", "team__name")
    ordering = ("team__path", "-start_date", "title")
    date_hierarchy = "start_date"
    autocomplete_fields = ("team", "goals", "created_by")
    readonly_fields = ("created_at", "updated_at")
    inlines = (ActivityUpdateInline,)


@admin.register(ActivityUpdate)
class ActivityUpdateAdmin(ScopedModelAdmin):
    scope_field = "activity__team"
    scope_action = Action.EDIT_ACTIVITIES
    scope_select_related = ("activity__team", "author")

    list_display = ("date", "activity", "team", "short_text", "status_after", "author")
    list_filter = ("status_after", related_only("activity__team"))
    search_fields = ("text", "activity__title")
    ordering = ("-date", "-pk")
    date_hierarchy = "date"
    autocomplete_fields = ("activity", "author")

    @admin.display(description=_("team"), ordering="activity__team__name")
    def team(self, update):
        return update.activity.team

    @admin.display(description=_("text"))
    def short_text(self, update):
        return Truncator(update.text).chars(80)
