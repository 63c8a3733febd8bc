"""Rules that span rows, enforced by the database itself (CHECK constraints cannot look at
another row): a team stands under a unit, and a period lies inside its reporting year and
inside the period it is part of (months in tertials, tertials in the year)."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER governance_team_under_unit_insert BEFORE INSERT ON governance_orgunit
    WHEN NEW.kind = 'team' AND (SELECT kind FROM governance_orgunit WHERE id = NEW.parent_id) IS NOT 'unit'
    BEGIN SELECT RAISE(ABORT, 'A team must stand under a unit'); END
    """,
    """
    CREATE TRIGGER governance_team_under_unit_update BEFORE UPDATE OF kind, parent_id ON governance_orgunit
    WHEN (NEW.kind = 'team' AND (SELECT kind FROM governance_orgunit WHERE id = NEW.parent_id) IS NOT 'unit')
      OR (NEW.kind <> 'unit' AND EXISTS (SELECT 1 FROM governance_orgunit WHERE parent_id = NEW.id AND kind = 'team'))
    BEGIN SELECT RAISE(ABORT, 'A team must stand under a unit'); END
    """,
    """
    CREATE TRIGGER governance_period_nesting_insert BEFORE INSERT ON governance_period
    WHEN NEW.start < (SELECT printf('%04d-01-01', year) FROM governance_reportingyear WHERE id = NEW.year_id)
      OR NEW."end" > (SELECT printf('%04d-12-31', year) FROM governance_reportingyear WHERE id = NEW.year_id)
      OR (NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM governance_period p WHERE p.id = NEW.parent_id AND p.year_id = NEW.year_id
              AND p.start <= NEW.start AND NEW."end" <= p."end"
              AND ((NEW.kind = 'month' AND p.kind = 'tertial') OR (NEW.kind = 'tertial' AND p.kind = 'year'))))
    BEGIN SELECT RAISE(ABORT, 'A period must lie inside its year and the period it is part of'); END
    """,
    """
    CREATE TRIGGER governance_period_nesting_update BEFORE UPDATE ON governance_period
    WHEN NEW.start < (SELECT printf('%04d-01-01', year) FROM governance_reportingyear WHERE id = NEW.year_id)
      OR NEW."end" > (SELECT printf('%04d-12-31', year) FROM governance_reportingyear WHERE id = NEW.year_id)
      OR (NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM governance_period p WHERE p.id = NEW.parent_id AND p.year_id = NEW.year_id
              AND p.start <= NEW.start AND NEW."end" <= p."end"
              AND ((NEW.kind = 'month' AND p.kind = 'tertial') OR (NEW.kind = 'tertial' AND p.kind = 'year'))))
      OR EXISTS (SELECT 1 FROM governance_period c WHERE c.parent_id = NEW.id AND (c.start < NEW.start OR c."end" > NEW."end"))
    BEGIN SELECT RAISE(ABORT, 'A period must lie inside its year and the period it is part of'); END
    """,
    """
    CREATE TRIGGER governance_year_keeps_periods BEFORE UPDATE OF year ON governance_reportingyear
    WHEN EXISTS (SELECT 1 FROM governance_period WHERE year_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'A reporting year with periods cannot change its year'); END
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS governance_team_under_unit_insert",
    "DROP TRIGGER IF EXISTS governance_team_under_unit_update",
    "DROP TRIGGER IF EXISTS governance_period_nesting_insert",
    "DROP TRIGGER IF EXISTS governance_period_nesting_update",
    "DROP TRIGGER IF EXISTS governance_year_keeps_periods",
]

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION governance_orgunit_rules() RETURNS trigger AS $$
    BEGIN
        IF NEW.kind = 'team' AND (SELECT kind FROM governance_orgunit WHERE id = NEW.parent_id) IS DISTINCT FROM 'unit' THEN
            RAISE EXCEPTION 'A team must stand under a unit' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.kind <> 'unit'
           AND EXISTS (SELECT 1 FROM governance_orgunit WHERE parent_id = NEW.id AND kind = 'team') THEN
            RAISE EXCEPTION 'A team must stand under a unit' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER governance_orgunit_rules BEFORE INSERT OR UPDATE OF kind, parent_id ON governance_orgunit
    FOR EACH ROW EXECUTE FUNCTION governance_orgunit_rules()
    """,
    """
    CREATE OR REPLACE FUNCTION governance_period_rules() RETURNS trigger AS $$
    DECLARE
        y integer;
    BEGIN
        SELECT year INTO y FROM governance_reportingyear WHERE id = NEW.year_id;
        IF NEW.start < make_date(y, 1, 1) OR NEW."end" > make_date(y, 12, 31) THEN
            RAISE EXCEPTION 'A period must lie inside its year' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM governance_period p WHERE p.id = NEW.parent_id AND p.year_id = NEW.year_id
              AND p.start <= NEW.start AND NEW."end" <= p."end"
              AND ((NEW.kind = 'month' AND p.kind = 'tertial') OR (NEW.kind = 'tertial' AND p.kind = 'year'))) THEN
            RAISE EXCEPTION 'A period must lie inside the period it is part of' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND EXISTS (
            SELECT 1 FROM governance_period c WHERE c.parent_id = NEW.id AND (c.start < NEW.start OR c."end" > NEW."end")) THEN
            RAISE EXCEPTION 'A period must contain its parts' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER governance_period_rules BEFORE INSERT OR UPDATE ON governance_period
    FOR EACH ROW EXECUTE FUNCTION governance_period_rules()
    """,
    """
    CREATE OR REPLACE FUNCTION governance_year_keeps_periods() RETURNS trigger AS $$
    BEGIN
        IF NEW.year <> OLD.year AND EXISTS (SELECT 1 FROM governance_period WHERE year_id = NEW.id) THEN
            RAISE EXCEPTION 'A reporting year with periods cannot change its year' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER governance_year_keeps_periods BEFORE UPDATE OF year ON governance_reportingyear
    FOR EACH ROW EXECUTE FUNCTION governance_year_keeps_periods()
    """,
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS governance_orgunit_rules ON governance_orgunit",
    "DROP FUNCTION IF EXISTS governance_orgunit_rules()",
    "DROP TRIGGER IF EXISTS governance_period_rules ON governance_period",
    "DROP FUNCTION IF EXISTS governance_period_rules()",
    "DROP TRIGGER IF EXISTS governance_year_keeps_periods ON governance_reportingyear",
    "DROP FUNCTION IF EXISTS governance_year_keeps_periods()",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
}


def _run(schema_editor, index):
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"Tillit supports SQLite and PostgreSQL, not {vendor}.")
    for statement in STATEMENTS[vendor][index]:
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, 0)


def backward(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
