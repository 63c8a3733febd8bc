"""Admin for the organisation, memberships, users, the reporting calendar and political goals.

Access and rows follow the user's scope (see governance.admin_scope), not Django's model
permissions: rights come from memberships, so Django's groups are not offered here.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from governance import scope
from governance.admin_scope import (
    AdminAccessMixin,
    ReadOnlyInlineMixin,
    ScopedChoicesMixin,
    ScopedInlineMixin,
    ScopedModelAdmin,
    ScopedTabularInline,
    is_superuser,
    related_only,
)
from governance.models import (
    ALLOWED_PARENT_KINDS,
    GoalArea,
    Membership,
    OrgUnit,
    OrgUnitKind,
    Period,
    PoliticalGoal,
    ReportingYear,
    User,
)
from governance.periods import year_calendar
from governance.scope import Action
from governance.services import _create_periods

if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class MembershipForm(forms.ModelForm):
    """An integration account's roles are set on the token pages only (governance.services.
    integration_account_update: only roles the one who sets them holds), never here: the admin
    lets a controller give any role in their part of the organisation."""

    def clean(self):
        data = super().clean()
        member = data.get("user")
        if member is None and self.instance.user_id:
            member = self.instance.user
        if member is not None and member.is_integration and self.has_changed():
            raise ValidationError(_("The roles of an integration account are set on the API tokens pages "
                                    "(Integration accounts), within the rights of the one who sets them."))
        return data


class MembershipOnUnitInline(ScopedTabularInline):
    model = Membership
    form = MembershipForm
    fk_name = "org_unit"
    fields = ("user", "role", "valid_from", "valid_to")
    autocomplete_fields = ("user",)
    verbose_name_plural = _("memberships in this unit")


class MembershipOnUserInline(ScopedTabularInline):
    model = Membership
    form = MembershipForm
    fk_name = "user"
    fields = ("org_unit", "role", "valid_from", "valid_to")
    autocomplete_fields = ("org_unit",)


class OrgUnitAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        # A database trigger refuses a team under anything but a unit; say so before it does.
        if self.instance.pk and kind and "kind" in self.changed_data:
            misplaced = [child for child in self.instance.children.all()
                         if OrgUnitKind(kind) not in ALLOWED_PARENT_KINDS[OrgUnitKind(child.kind)]]
            if misplaced:
                raise ValidationError(
                    {"kind": _("%(child)s cannot stand under a %(kind)s.")
                     % {"child": misplaced[0], "kind": OrgUnitKind(kind).label.lower()}}
                )
        return cleaned_data


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedModelAdmin):
    form = OrgUnitAdminForm
    scope_field = ""
    scope_action = Action.MANAGE_ORGANISATION
    scope_select_related = ("parent",)
    no_unit_message = _("Only an administrator can create a new board.")

    list_display = ("indented_name", "kind", "parent", "external_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "external_code")
    ordering = ("path",)
    fields = ("name", "kind", "parent", "external_code", "is_active", "path", "depth")
    readonly_fields = ("path", "depth")
    autocomplete_fields = ("parent",)
    inlines = (MembershipOnUnitInline,)

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit):
        # Em spaces survive HTML whitespace collapsing, so the tree shows without markup or CSS.
        return "\u2003" * unit.depth + unit.name

    def _scope_form_field(self, form):
        return "parent"

    def scope_units_to_write(self, unit, form):
        # A new or moved unit is placed by whoever manages its new parent; a board has none.
        if unit.pk is None or "parent" in form.changed_data:
            return [unit.parent] if unit.parent_id else []
        return [unit]


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    form = MembershipForm
    scope_field = "org_unit"
    scope_action = Action.MANAGE_ORGANISATION
    scope_select_related = ("user", "org_unit")

    list_display = ("user", "org_unit", "role", "valid_from", "valid_to", "current")
    list_filter = ("role", related_only("org_unit"))
    search_fields = ("user__username", "user__first_name", "user__last_name", "org_unit__name")
    autocomplete_fields = ("user", "org_unit")

    @admin.display(description=_("current"), boolean=True)
    def current(self, membership):
        return membership.is_current()


@admin.register(User)
class TillitUserAdmin(AdminAccessMixin, ScopedChoicesMixin, UserAdmin):
    """Controllers may look users up (e.g. to give them a membership); only the superuser
    creates accounts and changes them, since an account reaches beyond one board."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "is_integration",
                                        "integration_created_by")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    # Integration accounts are created on the token pages (governance.services.
    # integration_account_create); here the mark is only shown. The model keeps an integration
    # account without a usable password, staff or superuser status, whatever is posted.
    readonly_fields = ("is_integration", "integration_created_by")
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser",
                    "is_integration", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "is_integration", "memberships__role")
    ordering = ("last_name", "first_name", "username")
    inlines = (MembershipOnUserInline,)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_superuser(request.user):
            return queryset
        # People in the user's readable units, and accounts not yet placed anywhere (so that a
        # controller can give a new colleague a membership) — never another board's people.
        memberships = Membership.objects.filter(user=OuterRef("pk"))
        in_scope = memberships.filter(org_unit__in=scope.readable_units(request.user))
        return queryset.filter(Q(Exists(in_scope)) | ~Q(Exists(memberships)))

    def has_add_permission(self, request):
        return is_superuser(request.user)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request.user)


class PeriodInline(ReadOnlyInlineMixin, ScopedInlineMixin, admin.TabularInline):
    model = Period
    fk_name = "year"
    fields = ("kind", "number", "parent", "start", "end")
    readonly_fields = fields


@admin.register(ReportingYear)
class ReportingYearAdmin(ScopedModelAdmin):
    """A controller sets up a year; its periods come from the calendar, never by hand. Changing
    or deleting a year reaches every board, so that is left to the superuser."""

    scope_field = None
    scope_action = Action.MANAGE_ROUNDS

    list_display = ("year", "period_count")
    search_fields = ("=year",)
    ordering = ("-year",)
    inlines = (PeriodInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(period_count=Count("periods"))

    @admin.display(description=_("periods"), ordering="period_count")
    def period_count(self, reporting_year):
        return reporting_year.period_count

    def get_readonly_fields(self, request, obj=None):
        # The periods are tied to the year number (a database trigger refuses to change it).
        return ("year",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            _create_periods(obj, year_calendar(obj.year), parent=None)


@admin.register(Period)
class PeriodAdmin(ScopedModelAdmin):
    scope_field = None
    scope_select_related = ("year", "parent")

    list_display = ("__str__", "kind", "number", "year", "parent", "start", "end")
    list_filter = ("kind", "year")
    search_fields = ("=year__year",)
    ordering = ("start", "-end")
    date_hierarchy = "start"


@admin.register(GoalArea)
class GoalAreaAdmin(ScopedModelAdmin):
    scope_field = "board"
    scope_action = Action.MANAGE_POLITICAL_GOALS
    scope_select_related = ("board",)

    list_display = ("name", "board", "order")
    list_filter = (related_only("board"),)
    search_fields = ("name", "description")
    ordering = ("board__name", "order", "name")
    autocomplete_fields = ("board",)


@admin.register(PoliticalGoal)
class PoliticalGoalAdmin(ScopedModelAdmin):
    scope_field = "board"
    scope_action = Action.MANAGE_POLITICAL_GOALS
    scope_select_related = ("board", "area")

    list_display = ("code", "title", "short_title", "board", "area", "valid_from", "valid_to", "order")
    list_filter = (related_only("board"), related_only("area"), "valid_from")
    search_fields = ("code", "title", "short_title", "description")
    ordering = ("board__name", "order", "code")
    autocomplete_fields = ("board", "area")
