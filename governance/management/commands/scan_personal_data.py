"""``manage.py scan_personal_data [--format csv]``: look through the texts already stored for
personal identity numbers, co-ordination numbers, e-mail addresses and phone numbers.

The guard in ``governance.privacy`` stops such text when it is written; this command finds what
got in before the guard existed, by import, or through the admin. It reads every text field
declared bound for the board in ``governance.extensions.board_text_fields`` (follow-ups,
activities and their log, measurement comments, report summaries, assessments, scorecard goals,
indicator names and descriptions, round names, political goals, the frozen snapshots of adopted
reports, and the change history of all of these, where earlier versions stay after a text is
corrected) and prints, per finding, the
model, the row's id, the field, the kind of data and a short excerpt in which every finding is
masked as the writer's warning masks it (a number loses its last four digits). The full number is
never printed.

Exit status 1 when anything is found, 0 when nothing is, so it can run in cron or CI.
"""

import csv
import re

from django.core.management.base import BaseCommand, CommandError

from governance.extensions import board_text_fields
from governance.privacy import PersonalDataKind, find_personal_data



def text_fields():
    """Model -> text fields to read: every field declared bound for the board in
    ``governance.extensions.board_text_fields`` (filled by each app's ``AppConfig.ready()``), so a
    field guarded when written is also one the scan reads."""
    return board_text_fields.items()


CONTEXT = 25
CHUNK = 2000


def _mask(finding):
    """The same masking as the writer's own warning (``governance.privacy``): a number keeps its
    birth date and loses its last four digits ('19811218-9876' -> '19811218-****'), an e-mail address
    keeps its first letter and its domain. One rule for both, so that the scan's output and the
    warning can never be put together into a whole number."""
    return finding.masked


def _excerpt(text, findings, finding):
    """The finding with some text around it, every finding in that window masked. The window
    grows to take in a finding it would cut, so no number is ever shown in part unmasked."""
    start, end = max(0, finding.start - CONTEXT), min(len(text), finding.end + CONTEXT)
    changed = True
    while changed:
        changed = False
        for other in findings:
            if other.start < end and other.end > start and (other.start < start or other.end > end):
                start, end, changed = min(start, other.start), max(end, other.end), True
    pieces, position = [], start
    for other in findings:
        if start <= other.start and other.end <= end:
            pieces += [text[position:other.start], _mask(other)]
            position = other.end
    pieces.append(text[position:end])
    excerpt = re.sub(r"\s+", " ", "".join(pieces)).strip()
    return ("…" if start > 0 else "") + excerpt + ("…" if end < len(text) else "")


def _strings(value, path):
    """(path, text) for every string in a JSON value (the snapshot of an adopted report)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _tables(include_history):
    """(model, fields) to read: each listed model and, when it keeps a change history
    (django-simple-history), its history table, where earlier versions of the texts stay."""
    for model, fields in text_fields():
        yield model, fields
        history = getattr(model, "history", None)
        if include_history and history is not None and hasattr(history, "model"):
            kept = [f for f in fields if any(field.name == f for field in history.model._meta.concrete_fields)]
            if kept:
                yield history.model, kept


def scan(include_history=True):
    """Every finding in the stored texts, as dicts (model, pk, field, kind, kind_label, excerpt)."""
    for model, fields in _tables(include_history):
        label = model._meta.label
        rows = model._base_manager.order_by("pk").values_list("pk", *fields).iterator(chunk_size=CHUNK)
        for pk, *values in rows:
            for field, value in zip(fields, values):
                texts = _strings(value, field) if not isinstance(value, str) else [(field, value)]
                for where, text in texts:
                    findings = find_personal_data(text)
                    for finding in findings:
                        yield {"model": label, "pk": pk, "field": where, "kind": finding.kind.value,
                               "kind_label": str(finding.kind.label), "excerpt": _excerpt(text, findings, finding)}


class Command(BaseCommand):
    help = ("Sök efter personnummer, samordningsnummer, e-postadresser och telefonnummer i sparade texter "
            "som kan nå nämnden. Avslutar med status 1 om något hittas.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "csv"], default="text",
                            help="text (standard) eller csv (model, pk, field, kind, excerpt).")
        parser.add_argument("--no-history", action="store_true",
                            help="Hoppa över ändringshistoriken (tidigare versioner av texterna).")

    def handle(self, *args, format, no_history, **options):
        writer = None
        if format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["model", "pk", "field", "kind", "excerpt"])
        count = 0
        for found in scan(include_history=not no_history):
            count += 1
            if writer:
                writer.writerow([found["model"], found["pk"], found["field"], found["kind"], found["excerpt"]])
            else:
                self.stdout.write(f'{found["model"]} #{found["pk"]} {found["field"]}: {found["kind_label"]}: '
                                  f'"{found["excerpt"]}"')
        if count:
            raise CommandError(f"Hittade {count} möjliga personuppgifter i sparade texter.", returncode=1)
        if not writer:
            self.stdout.write("Inga personuppgifter hittades.")
