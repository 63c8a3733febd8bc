"""The admin's answer to "who may see and change what", taken from ``governance.scope``.

Django's model permissions (``app.change_model``) are not used: a kvalitetsstrateg is not a
superuser and gets no Django permissions. Instead:

- A staff user reaches the admin only with a controller grant (``Action.MANAGE_ORGANISATION``
  somewhere). Board members, unit managers and team members have no admin access even when
  ``is_staff`` is set; the admin is housekeeping, their work happens in Tillit's own pages.
- Every scoped admin names the path from its row to the org unit that owns it
  (``scope_field``) and the action that writing the row takes (``scope_action``). Lists hold
  only rows in the user's readable units; a row may be changed or deleted only where
  ``Scope.can(action, unit)`` says so; forms refuse to save a row into a unit the user may not
  write, and foreign-key choices (selects and autocomplete) come from the related model's
  admin, so they are scoped the same way.
- Global tables (``scope_field = None``) are visible to every admin user; who may write them
  is decided per admin.
- The superuser may do everything, except what is locked for everyone (an adopted report).
"""

from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

from governance import scope
from governance.scope import Action

# The grant that opens the admin at all: only controllers hold it (governance.scope.ROLE_ACTIONS).
ADMIN_ACCESS_ACTION = Action.MANAGE_ORGANISATION

NOT_PERMITTED_MESSAGE = _("You do not have permission to do this for %(unit)s.")
ROW_NOT_PERMITTED_MESSAGE = _("You do not have permission to change or delete %(row)s.")


def is_superuser(user):
    return bool(user.is_active and user.is_superuser)


def has_admin_access(user):
    """Whether ``user`` may use the admin at all."""
    if not (user.is_active and user.is_staff):
        return False
    return is_superuser(user) or scope.scope_for(user).has_any(ADMIN_ACCESS_ACTION)


def resolve_unit(obj, path):
    """Follow ``path`` ("scorecard__unit"; "" for the object itself) to an org unit, or None."""
    if path == "":
        return obj
    for name in path.split("__"):
        try:
            obj = getattr(obj, name)
        except ObjectDoesNotExist:  # an unset required foreign key on an unsaved row
            return None
        if obj is None:
            return None
    return obj


class AdminAccessMixin:
    """Admin access from the scope instead of Django's model permissions (view only)."""

    def has_module_permission(self, request):
        return has_admin_access(request.user)

    def has_view_permission(self, request, obj=None):
        return has_admin_access(request.user)


class ScopeRulesMixin(AdminAccessMixin):
    """The scope rules of one model, declared on its ModelAdmin. Inlines of the same model ask
    the registered ModelAdmin, so each model's rules are written once."""

    # Path from a row to the org unit it belongs to: "unit", "indicator__owner"; "" when the row
    # is an org unit itself; None for a global table without a unit.
    scope_field = None
    # The action that adding, changing or deleting a row takes. None: only the superuser writes.
    scope_action = None
    # Relations that __str__ and the scope check need, so that lists, selects and autocomplete
    # answers do not make a query per row.
    scope_select_related = ()
    # Said when a row would be saved with no unit at all (e.g. a new board).
    no_unit_message = _("Only an administrator can do this.")

    # --- rules (override per model where the plain attributes do not fit) ----------------------
    def get_scope_action(self, obj):
        """The action needed to write ``obj`` (it may depend on the row, e.g. on a mandate)."""
        return self.scope_action

    def get_scope_add_actions(self):
        """Any one of these lets a user add rows somewhere."""
        return (self.scope_action,) if self.scope_action else ()

    def scope_units(self, obj):
        """The org units ``obj`` belongs to; every one must allow the action to write it."""
        if self.scope_field is None:
            return []
        unit = resolve_unit(obj, self.scope_field)
        return [unit] if unit is not None else []

    def scope_units_to_write(self, obj, form):
        """The units to check when a form saves ``obj`` (after the form has changed it)."""
        return self.scope_units(obj)

    def lock_message(self, obj):
        """Why ``obj`` may not be changed by anyone, or None when it is not locked."""
        return None

    # --- querysets ---------------------------------------------------------------------------
    def scope_queryset(self, request, queryset):
        if self.scope_select_related:
            queryset = queryset.select_related(*self.scope_select_related)
        if is_superuser(request.user) or self.scope_field is None:
            return queryset
        readable = scope.scope_for(request.user).readable_units()
        if self.scope_field == "":
            return queryset.filter(pk__in=readable)
        return queryset.filter(**{f"{self.scope_field}__in": readable})

    # --- answers -----------------------------------------------------------------------------
    def user_may_add(self, request):
        user = request.user
        if is_superuser(user):
            return True
        if not has_admin_access(user):
            return False
        user_scope = scope.scope_for(user)
        return any(user_scope.has_any(action) for action in self.get_scope_add_actions())

    def user_may_write(self, request, obj):
        """May the user change or delete ``obj`` as it stands (None: any row at all)?"""
        if obj is not None and self.lock_message(obj):
            return False
        user = request.user
        if is_superuser(user):
            return True
        if not has_admin_access(user):
            return False
        if obj is None:
            return self.user_may_add(request)
        return self._may_write_units(user, self.get_scope_action(obj), self.scope_units(obj))

    def _may_write_units(self, user, action, units):
        if action is None or not units:
            return False
        user_scope = scope.scope_for(user)
        return all(user_scope.can(action, unit) for unit in units)

    def user_may_view(self, request, obj):
        if not has_admin_access(request.user):
            return False
        if obj is None or is_superuser(request.user):
            return True
        user_scope = scope.scope_for(request.user)
        return all(user_scope.can_read(unit) for unit in self.scope_units(obj))

    def check_form_scope(self, request, form):
        """Refuse to save a row that is locked or lands in a unit the user may not write.
        (Whether the user may touch the row as it was is decided before the form is bound.)"""
        instance = form.instance
        message = self.lock_message(instance)
        if message:
            form.add_error(None, message)
            return
        if is_superuser(request.user) or self.scope_field is None or form.errors:
            return
        units = self.scope_units_to_write(instance, form)
        if not units:
            form.add_error(self._scope_form_field(form), self.no_unit_message)
            return
        action = self.get_scope_action(instance)
        user_scope = scope.scope_for(request.user)
        for unit in units:
            if action is None or not user_scope.can(action, unit):
                form.add_error(self._scope_form_field(form),
                               ValidationError(NOT_PERMITTED_MESSAGE, params={"unit": unit}))
                return

    def _scope_form_field(self, form):
        """The form field the scope check is about (the first hop of scope_field), if shown."""
        first = (self.scope_field or "").split("__")[0]
        return first if first in form.fields else None


def with_scope_check(form_class, rules, request, *, only_changed=False):
    """``form_class`` with the scope check of ``rules`` run after the model instance is built."""

    class ScopeCheckedForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            if only_changed and not self.has_changed():
                return
            rules.check_form_scope(request, self)

    ScopeCheckedForm.__name__ = form_class.__name__
    return ScopeCheckedForm


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices from the related model's admin queryset, so that a
    select or an autocomplete never offers (or accepts) a row the user may not read."""

    def _scoped_choices(self, db_field, request):
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        if related_admin is None:
            return None
        return related_admin.get_queryset(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self._scoped_choices(db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self._scoped_choices(db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedModelAdmin(ScopeRulesMixin, ScopedChoicesMixin, admin.ModelAdmin):
    """A ModelAdmin whose permissions, rows and choices follow the user's scope."""

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return self.user_may_view(request, obj)

    def has_add_permission(self, request):
        return self.user_may_add(request)

    def has_change_permission(self, request, obj=None):
        return self.user_may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.user_may_write(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_scope_check(super().get_form(request, obj, change=change, **kwargs), self, request)

    def save_model(self, request, obj, form, change):
        bump_version(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.initial_forms:
            if inline_form.has_changed() and not formset._should_delete_form(inline_form):
                bump_version(inline_form.instance)
        super().save_formset(request, form, formset, change)


def bump_version(obj):
    """Count an admin edit as a new version, so that a form opened elsewhere before it is
    refused as stale instead of silently overwriting it."""
    if obj.pk is not None and any(f.name == "version" for f in obj._meta.concrete_fields):
        obj.version += 1


class ScopedInlineMixin(ScopedChoicesMixin):
    """An inline that may be written when the parent may be changed and the inline's own model
    may be written by the user; each new or changed row is then checked against the rules of
    the inline model's registered admin (so a row cannot be moved out of scope)."""

    def _rules(self):
        return self.admin_site._registry[self.model]

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def get_queryset(self, request):
        return self._rules().scope_queryset(request, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def _may_write(self, request, parent):
        parent_admin = self._parent_admin()
        if parent is None:
            parent_ok = parent_admin.has_add_permission(request)
        else:
            parent_ok = parent_admin.has_change_permission(request, parent)
        return parent_ok and self._rules().user_may_add(request)

    def has_add_permission(self, request, obj=None):
        return self._may_write(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset_class = super().get_formset(request, obj, **kwargs)
        rules = self._rules()

        class ScopeCheckedFormSet(formset_class):
            form = with_scope_check(formset_class.form, rules, request, only_changed=True)

            def clean(self):
                super().clean()
                # The rows as stored, not as the posted form has already changed them: a row the
                # user may not write must not be edited or deleted by moving it into scope first.
                touched = [row for row in self.initial_forms if row.has_changed() or self._should_delete_form(row)]
                if not touched:
                    return
                stored = rules.scope_queryset(request, rules.model._default_manager.all()).in_bulk(
                    [row.instance.pk for row in touched])
                for row in touched:
                    original = stored.get(row.instance.pk)
                    if original is None or not rules.user_may_write(request, original):
                        raise ValidationError(ROW_NOT_PERMITTED_MESSAGE, params={"row": row.instance})

        return ScopeCheckedFormSet


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    extra = 0


class ScopedStackedInline(ScopedInlineMixin, admin.StackedInline):
    extra = 0


class ReadOnlyInlineMixin:
    """An inline that only shows rows (e.g. periods made by the calendar)."""

    can_delete = False
    extra = 0
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """A list filter offering only the related rows that the user's list refers to (so the
    sidebar never names another board's units), read through the related model's admin so
    that their names cost one query, not one per choice."""

    def field_choices(self, field, request, model_admin):
        related_model = field.remote_field.model
        related_admin = model_admin.admin_site._registry.get(related_model)
        queryset = related_admin.get_queryset(request) if related_admin else related_model._default_manager.all()
        used = model_admin.get_queryset(request).values_list(f"{self.field_path}__pk", flat=True)
        queryset = queryset.filter(pk__in=used)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


def related_only(field):
    return (field, ScopedRelatedFilter)
