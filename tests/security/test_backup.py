"""``backup_export`` and ``backup_restore``: the round trip through a file loses nothing."""

import gzip
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from governance.management.commands._backup import backed_up_models
from governance.models import Membership, OrgUnit, OrgUnitKind, Period, Role, User


def _tables():
    """Every table a backup covers, including the hidden many-to-many tables."""
    chosen = set(backed_up_models())
    through = [m for m in apps.get_models(include_auto_created=True)
               if m._meta.auto_created and any(m is f.remote_field.through for o in chosen for f in o._meta.many_to_many)]
    return sorted(chosen, key=lambda m: m._meta.label) + through


def _fingerprint():
    """Per table, every row's field values (ids of content types and permissions replaced by
    their natural keys, which is what survives a restore; hidden m2m rows without their own id)."""
    content_types = {ct.pk: ct.natural_key() for ct in ContentType.objects.all()}
    permissions = {p.pk: p.natural_key() for p in Permission.objects.select_related("content_type")}
    result = {}
    for model in _tables():
        fields = [f for f in model._meta.concrete_fields if not (model._meta.auto_created and f.primary_key)]
        mapped = []
        for f in fields:
            target = f.related_model if f.is_relation else None
            mapped.append(content_types if target is ContentType else permissions if target is Permission else None)
        rows = model._base_manager.values_list(*[f.attname for f in fields])
        result[model._meta.label] = sorted(
            (repr(tuple(m.get(v, ("missing", v)) if m is not None and v is not None else v for m, v in zip(mapped, row)))
             for row in rows))
    return result


def _empty(fingerprint):
    return {label: rows for label, rows in fingerprint.items() if rows}


@pytest.fixture
def demo_db(transactional_db):
    from fixtures.demo import build_demo

    build_demo()


def test_export_then_restore_into_an_emptied_database_loses_nothing(demo_db, tmp_path, capsys):
    before = _fingerprint()
    assert len(before["governance.OrgUnit"]) > 20 and len(before["scorecards.Measurement"]) > 500
    assert before["reporting.BoardReport"] and before["governance.User"]

    backup = tmp_path / "tillit.jsonl.gz"
    call_command("backup_export", "-o", str(backup))
    assert "Exporterade" in capsys.readouterr().out
    with gzip.open(backup, "rt", encoding="utf-8") as stream:
        first = json.loads(stream.readline())
    assert set(first) == {"model", "pk", "fields"}

    call_command("flush", interactive=False, verbosity=0)
    assert _empty(_fingerprint()) == {}

    call_command("backup_restore", str(backup))
    after = _fingerprint()
    assert {label: len(rows) for label, rows in after.items()} == {label: len(rows) for label, rows in before.items()}
    assert after == before


def test_restored_database_accepts_new_rows(demo_db, tmp_path):
    backup = tmp_path / "tillit.json.gz"
    call_command("backup_export", "-o", str(backup))
    call_command("flush", interactive=False, verbosity=0)
    call_command("backup_restore", str(backup))

    highest_unit = OrgUnit.objects.order_by("-pk").first().pk
    unit = OrgUnit.objects.filter(kind=OrgUnitKind.UNIT).first()
    team = OrgUnit.objects.create(name="Nytt team efter återställning", kind=OrgUnitKind.TEAM, parent=unit)
    assert team.pk > highest_unit
    assert team.path == f"{unit.path}{team.pk:08d}/"
    user = User.objects.create_user(username="ny-efter-aterstallning", password="x" * 12)
    Membership.objects.create(user=user, org_unit=team, role=Role.TEAM_MEMBER)
    assert User.objects.get(username="ledamot").check_password("tillit-demo-2026")


def test_restore_refuses_a_database_that_is_not_empty(demo_db, tmp_path):
    backup = tmp_path / "tillit.jsonl"
    call_command("backup_export", "-o", str(backup))
    units = OrgUnit.objects.count()
    with pytest.raises(CommandError, match="inte tom"):
        call_command("backup_restore", str(backup))
    assert OrgUnit.objects.count() == units


def test_restore_with_force_replaces_everything(demo_db, tmp_path):
    before = _fingerprint()
    backup = tmp_path / "tillit.jsonl.gz"
    call_command("backup_export", "-o", str(backup))
    board = OrgUnit.objects.get(kind=OrgUnitKind.BOARD, parent=None, name="Socialnämnden")
    OrgUnit.objects.create(name="Ska försvinna", kind=OrgUnitKind.ADMINISTRATION, parent=board)
    User.objects.filter(username="ledamot").update(first_name="Ändrad")
    call_command("backup_restore", str(backup), "--force")
    assert _fingerprint() == before


def test_a_broken_backup_writes_nothing(demo_db, tmp_path):
    backup = tmp_path / "tillit.jsonl"
    call_command("backup_export", "-o", str(backup))
    lines = backup.read_text(encoding="utf-8").splitlines()
    # A period whose year does not exist: the database refuses it halfway through the file.
    period = next(i for i, line in enumerate(lines) if '"model": "governance.period"' in line)
    broken = json.loads(lines[period])
    broken["fields"]["year"] = 999999
    lines[period] = json.dumps(broken)
    backup.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="inget har ändrats|kunde inte"):
        call_command("backup_restore", str(backup))
    assert _empty(_fingerprint()) == {}


def test_a_file_that_is_not_a_backup_is_refused_with_a_clear_message(transactional_db, tmp_path):
    with pytest.raises(CommandError, match="Okänd filtyp"):
        call_command("backup_export", "-o", str(tmp_path / "tillit.xlsx"))
    garbage = tmp_path / "tillit.jsonl"
    garbage.write_text("det här är ingen säkerhetskopia\n", encoding="utf-8")
    with pytest.raises(CommandError, match="kunde inte läsas"):
        call_command("backup_restore", str(garbage))
    with pytest.raises(CommandError, match="finns inte"):
        call_command("backup_restore", str(tmp_path / "saknas.jsonl.gz"))
    assert not Period.objects.exists()
