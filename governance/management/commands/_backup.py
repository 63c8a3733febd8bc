"""What a backup holds and in which order (shared by ``backup_export`` and ``backup_restore``).

A backup is Django's own serialisation (JSON Lines, or a JSON array) of every row of every
model of every installed app, with these exceptions, which the database recreates or does not
need: content types and permissions (``migrate`` creates them; rows refer to them by natural
key, so their ids may differ), sessions (everyone logs in again after a restore) and
django-axes' login attempts (security logs of this server, not Tillit data).

The order matters on the way back in. Foreign keys are checked at commit (Django creates them
deferrable on SQLite and PostgreSQL), but Tillit's database triggers
(``governance/migrations/0002_database_rules.py``) look at other rows when a row is inserted: a
team's parent must already be there, and so must a period's year and the period it is part of.
So models come in dependency order, and a model that refers to itself (the org tree, the
periods) comes parents first.
"""

import datetime
import gzip
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder

EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission"}
CHUNK = 2000


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder, except that times keep their microseconds (Django's cuts them to
    milliseconds, which would change every timestamp in the history on the way back in)."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def backed_up_models():
    """Every model a backup holds, in an order that restores cleanly (referenced models first)."""
    candidates = [
        model for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]
    chosen = set(candidates)

    def references(model):
        targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation and f.related_model}
        targets |= {f.related_model for f in model._meta.many_to_many}
        return {t._meta.concrete_model for t in targets} & chosen - {model}

    ordered, done = [], set()
    pending = list(candidates)
    while pending:
        ready = next((m for m in pending if references(m) <= done), None)
        if ready is None:  # a cycle between models: foreign keys are deferred, so any order loads
            ready = pending[0]
        pending.remove(ready)
        ordered.append(ready)
        done.add(ready)
    return ordered


def _self_references(model):
    return [f.attname for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not None and f.related_model._meta.concrete_model is model]


def _parents_first(model, self_fields):
    """The primary keys of ``model`` so that every row comes after the rows it points to."""
    pk_name = model._meta.pk.attname
    rows = list(model._base_manager.order_by(pk_name).values_list(pk_name, *self_fields))
    parents = {row[0]: [p for p in row[1:] if p is not None and p != row[0]] for row in rows}
    ordered, placed = [], set()
    for start in parents:
        stack = [(start, False)]
        while stack:
            pk, expanded = stack.pop()
            if pk in placed or pk not in parents:
                continue
            if expanded:
                placed.add(pk)
                ordered.append(pk)
                continue
            stack.append((pk, True))
            stack.extend((parent, False) for parent in parents[pk] if parent not in placed)
    return ordered


class UnreadableRow(CommandError):
    """A row the database holds but cannot give back as Python (a number stored outside what its
    field can read, e.g. infinity on SQLite). The export stops and names it, so it can be repaired;
    it never skips it silently, because a backup without it would not be the whole database."""


READ_ERRORS = (ArithmeticError, ValueError, TypeError)  # decimal.InvalidOperation is an ArithmeticError


def _unreadable_row(model, error):
    """The first row of ``model`` that cannot be read, as an UnreadableRow, found one by one."""
    manager = model._base_manager
    pk_name = model._meta.pk.attname
    for pk in manager.order_by(pk_name).values_list(pk_name, flat=True):
        try:
            manager.get(pk=pk)
        except READ_ERRORS as row_error:
            return UnreadableRow(f"Raden {model._meta.label} med pk={pk} kan inte läsas ({row_error!r}); "
                                 f"ingen backup skrevs. Rätta raden och försök igen.")
    return UnreadableRow(f"En rad i {model._meta.label} kan inte läsas ({error!r}); ingen backup skrevs.")


def rows_in_restore_order(models):
    """Every row of ``models``, streamed in chunks, never the whole table at once. A row that
    cannot be read stops the export with an UnreadableRow naming its model and primary key."""
    for model in models:
        try:
            yield from _rows_of(model)
        except READ_ERRORS as error:
            raise _unreadable_row(model, error) from error


def _rows_of(model):
    manager = model._base_manager
    self_fields = _self_references(model)
    if not self_fields:
        yield from manager.order_by(model._meta.pk.attname).iterator(chunk_size=CHUNK)
        return
    pks = _parents_first(model, self_fields)
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start:start + CHUNK]
        by_pk = manager.in_bulk(chunk)
        yield from (by_pk[pk] for pk in chunk if pk in by_pk)


def backup_format(path):
    """('jsonl' or 'json', compressed?) from the file name."""
    name = Path(path).name.lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    if name.endswith(".jsonl"):
        return "jsonl", compressed
    if name.endswith(".json"):
        return "json", compressed
    raise CommandError(
        f"Okänd filtyp: {path}. Använd .jsonl.gz (rekommenderas), .jsonl, .json.gz eller .json."
    )


@contextmanager
def open_backup(path, mode):
    _fmt, compressed = backup_format(path)
    opener = gzip.open if compressed else open
    with opener(path, mode + "t", encoding="utf-8", newline="\n" if mode == "w" else None) as stream:
        yield stream
