"""The change history of Tillit's records, as controllers read it (docs/architecture.md §5).

django-simple-history writes one history row per create, change and delete (``history`` on each
model). This module is the registry of the models whose history may be read in Tillit's own pages,
with, for each, the rule that maps a record to the org unit it belongs to: a controller reads the
history of a record when ``Action.VIEW_HISTORY`` covers that unit. Governance does not import the
apps above it, so each app registers its own models in its ``AppConfig.ready``.

The author of a history row is the signed-in user of the request (HistoryRequestMiddleware) or,
for imports and commands without a request, the user the service was given
(``governance.concurrency.set_author``). A change made through an API key also records the key
and the person who created it (``HistoryViaApiToken``, written by ``_record_api_token`` from the
key the token authentication put on the request); the history pages show it beside the author
("via API-nyckel X (skapad av Y)"). Bulk writes (``bulk_create_with_history``) send no signal,
so their rows name the author only, unless the service calls ``record_api_token_bulk``.
"""

import contextlib
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from governance import scope
from governance.scope import Action

# Bookkeeping fields whose change says nothing a reader needs: every edit bumps them.
HIDDEN_FIELDS = frozenset({"version", "updated_at", "created_at"})

HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass(frozen=True)
class HistoryRule:
    model: type
    # The org unit a record belongs to, or None for a shared table (periods, years): those are
    # read by anyone who may read history at all.
    unit_of: Callable
    is_global: bool = False
    # The relations ``unit_of`` follows (e.g. ("scorecard__unit",)), so that a list of records
    # loads them in one query each instead of one per record (the deletions page).
    unit_relations: tuple = ()
    # Whether ``user`` may read one version of a record (``readable(user, instance)``, the instance
    # rebuilt from a history row as it was then), beyond the history permission on its unit: the
    # app that owns the model decides (e.g. a follow-up's drafts are read only by their writers and
    # their manager, reporting.models.can_read_follow_up). None: every version is readable.
    readable: Callable[[object, object], bool] | None = None

    @property
    def label(self):
        return self.model._meta.label_lower


_registry = {}


def register(model, *, unit_of=None, is_global=False, unit_relations=(), readable=None):
    """Make ``model``'s history readable in Tillit. ``unit_of(record)`` gives the org unit, through
    the relations named in ``unit_relations`` (prefetched for lists). ``readable(user, instance)``,
    when given, hides the versions of a record the user may not read (see ``HistoryRule``)."""
    if not hasattr(model, "history"):
        raise TypeError(f"{model.__name__} keeps no history (add HistoricalRecords()).")
    if readable is not None and not callable(readable):
        raise TypeError("readable must be a callable (user, instance) -> bool.")
    _registry[model._meta.label_lower] = HistoryRule(model=model, unit_of=unit_of or (lambda obj: None),
                                                     is_global=is_global, unit_relations=tuple(unit_relations),
                                                     readable=readable)


def rule_for(label):
    return _registry.get(str(label).lower())


def registered_labels():
    return sorted(_registry)


def label_of(obj):
    return obj._meta.label_lower


# --- who may read --------------------------------------------------------------------------------

def unit_of(rule, obj):
    try:
        return rule.unit_of(obj)
    # The record hangs on something that was deleted as well: a lookup raises DoesNotExist, a
    # prefetched relation (deleted_records) is None. Either way no unit, so no reader but superusers.
    except (ObjectDoesNotExist, AttributeError):
        return None


def may_read_history(user, rule, obj):
    """Whether ``user`` may read the history of ``obj`` (a live record or one rebuilt from history)."""
    user_scope = scope.scope_for(user)
    if user_scope.is_everything:
        return True
    if not user_scope.has_any(Action.VIEW_HISTORY):
        return False  # asked before the record's unit is looked up: pages stay query-free for others
    if rule.is_global:
        return True
    unit = unit_of(rule, obj)
    return unit is not None and user_scope.can(Action.VIEW_HISTORY, unit)


def may_read_version(user, rule, instance):
    """Whether ``user`` may read this version of a record (the rule's ``readable``; the history
    permission on its unit is ``may_read_history``). Superusers read every version."""
    if rule.readable is None or scope.scope_for(user).is_everything:
        return True
    try:
        return bool(rule.readable(user, instance))
    except (ObjectDoesNotExist, AttributeError):
        return False  # hangs on something deleted: as for unit_of, no reader but superusers


def may_read_history_of(user, obj):
    """For links in templates: may ``user`` open the history page of ``obj``?"""
    if obj is None or getattr(user, "is_authenticated", False) is False:
        return False
    rule = rule_for(label_of(obj))
    return rule is not None and may_read_history(user, rule, obj) and may_read_version(user, rule, obj)


# --- what the history says -----------------------------------------------------------------------

@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    record: object
    kind: str
    kind_label: str
    when: object
    who: object
    changes: list
    # The API key the change was made through (a HistoryViaApiToken), or None.
    via: object = None


def _field_label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _display(model, name, value, cache):
    """A value as a reader knows it: the choice's word, the related record's name."""
    if value is None or value == "":
        return "–"
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if isinstance(field, models.ManyToManyField):
        target = field.remote_field.model
        column = target._meta.model_name
        ids = [row.get(column) for row in value if isinstance(row, dict)]
        names = [_related_name(target, pk, cache) for pk in ids if pk is not None]
        return ", ".join(sorted(names)) or "–"
    if field.is_relation:
        return _related_name(field.remote_field.model, value, cache)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    return str(value)


def _related_name(model, pk, cache):
    key = (model, pk)
    if key not in cache:
        obj = model._base_manager.filter(pk=pk).first()
        cache[key] = str(obj) if obj is not None else str(_("(deleted, id %(id)s)") % {"id": pk})
    return cache[key]


def _tracked_fields(record):
    model = record.instance_type
    names = [f.name for f in record.instance_type._meta.concrete_fields
             if f.name not in HIDDEN_FIELDS and f.name not in record._history_excluded_fields and f.name != "id"]
    names += [f.name for f in record._history_m2m_fields]
    return model, names


def _created_values(record, cache):
    model, names = _tracked_fields(record)
    changes = []
    for name in names:
        field = model._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            value = list(getattr(record, name).values())
        else:
            value = getattr(record, field.attname)
        shown = _display(model, name, value, cache)
        if shown != "–":
            changes.append(FieldChange(name, _field_label(model, name), "–", shown))
    return changes


def _changed_values(record, previous, cache):
    model, names = _tracked_fields(record)
    delta = record.diff_against(previous, included_fields=names)
    return [FieldChange(c.field, _field_label(model, c.field), _display(model, c.field, c.old, cache),
                        _display(model, c.field, c.new, cache))
            for c in delta.changes]


def history_rows(model, pk, *, user=None, rule=None):
    """The history of one record, oldest first, with what changed field by field. Changes that
    only touched bookkeeping (e.g. a many-to-many set that ended where it began) are left out.

    With ``user`` and ``rule``, the versions the user may not read (``may_read_version``) are
    left out of ``rows`` and of ``records``, and the next version shown is given whole, not as a
    change from the hidden one (whose values would show in "before")."""
    records = list(model.history.filter(id=pk).select_related("history_user").order_by("history_date", "history_id"))
    attach_api_tokens(model, records)
    if user is not None and rule is not None and rule.readable is not None \
            and not scope.scope_for(user).is_everything:
        instances = [record.instance for record in records]
        if rule.unit_relations:
            prefetch_related_objects(instances, *rule.unit_relations)
        shown = {record.pk for record, instance in zip(records, instances) if may_read_version(user, rule, instance)}
    else:
        shown = None
    rows, previous, cache = [], None, {}
    for record in records:
        if shown is not None and record.pk not in shown:
            previous = None
            continue
        if record.history_type == "+" or previous is None:
            changes = _created_values(record, cache)
        elif record.history_type == "-":
            changes = []
        else:
            changes = _changed_values(record, previous, cache)
            if not changes:
                previous = record
                continue
        rows.append(HistoryRow(record=record, kind=record.history_type,
                               kind_label=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
                               when=record.history_date, who=record.history_user, changes=changes,
                               via=record.api_token_via))
        previous = record
    if shown is not None:
        records = [record for record in records if record.pk in shown]
    return records, rows


def record_name(record, instance=None):
    """A readable name of a record rebuilt from history (its related rows may be gone);
    ``instance``: the record's instance when already rebuilt (with its relations loaded)."""
    try:
        return str(instance if instance is not None else record.instance)
    except (ObjectDoesNotExist, AttributeError):
        return f"{record.instance_type._meta.verbose_name} {record.id}"


def deleted_records(user, rule, *, limit=200):
    """The latest deletions of ``rule``'s model that ``user`` may read (newest first), as
    (history record, the record rebuilt from it) pairs."""
    records = list(rule.model.history.filter(history_type="-").select_related("history_user")
                   .order_by("-history_date", "-history_id")[:limit])
    attach_api_tokens(rule.model, records)
    instances = [r.instance for r in records]  # rebuilt from the history rows, without their relations
    if rule.unit_relations and not scope.scope_for(user).is_everything:
        prefetch_related_objects(instances, *rule.unit_relations)
    return [(r, instance) for r, instance in zip(records, instances)
            if may_read_history(user, rule, instance) and may_read_version(user, rule, instance)]


# --- changes made through an API key ---------------------------------------------------------------

def _current_api_token():
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "api_token", None) if request is not None else None


@contextlib.contextmanager
def through_api_token(token, user):
    """Work done off the request that a key's request asked for (a background job): history
    written inside names ``token`` (and its creator) as the request itself would have. Outside a
    request only; nothing happens when ``token`` is None."""
    if token is None or getattr(HistoricalRecords.context, "request", None) is not None:
        yield
        return
    HistoricalRecords.context.request = SimpleNamespace(user=user, api_token=token)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def _via_row(model, history_id, token):
    from governance.models import HistoryViaApiToken

    creator = token.created_by
    return HistoryViaApiToken(history_model=model._meta.label_lower, history_id=history_id, token=token,
                              token_name=token.name, token_prefix=token.key_prefix, token_created_by=creator,
                              token_created_by_name=str(creator) if creator is not None else "")


def _record_api_token(sender, instance, history_instance, **kwargs):
    """Record the API key (and through it its creator) beside the author of a history row written
    during a request that authenticated with one (governance.api.authentication)."""
    token = _current_api_token()
    if token is not None and history_instance.pk is not None:
        _via_row(type(instance), history_instance.pk, token).save()


post_create_historical_record.connect(_record_api_token, dispatch_uid="governance.history.record_api_token")


def record_api_token_bulk(model, objects):
    """For a bulk write (``bulk_create_with_history`` sends no signal): record the current
    request's API key beside the newest history row of each of ``objects``. Call it in the same
    transaction, right after the bulk write. Nothing happens outside a key's request."""
    from django.db.models import Max

    from governance.models import HistoryViaApiToken

    token = _current_api_token()
    pks = [obj.pk for obj in objects if obj.pk is not None]
    if token is None or not pks:
        return
    newest = (model.history.filter(id__in=pks).order_by().values("id").annotate(newest=Max("history_id"))
              .values_list("newest", flat=True))
    HistoryViaApiToken.objects.bulk_create([_via_row(model, history_id, token) for history_id in newest],
                                           ignore_conflicts=True)


def attach_api_tokens(model, records):
    """Set ``api_token_via`` (a HistoryViaApiToken or None) on each history record, in one query."""
    from governance.models import HistoryViaApiToken

    records = list(records)
    via = {}
    if records:
        rows = (HistoryViaApiToken.objects.select_related("token_created_by")
                .filter(history_model=model._meta.label_lower, history_id__in=[r.pk for r in records]))
        via = {row.history_id: row for row in rows}
    for record in records:
        record.api_token_via = via.get(record.pk)
    return records
