"""The database refuses a need whose shelf place breaks the display rule, even when model
validation is skipped (bulk inserts, raw SQL, a bug in a view).

These rules span tables (the need, its exhibition and its shelf), which a CHECK constraint
cannot see, so they are triggers, written for SQLite and for PostgreSQL:
- the exhibition is in the need's own province;
- the shelf belongs to that exhibition and has the position;
- a need on display is in an open exhibition.
The single-row half of the rule (consent, a complete place) is a CHECK constraint on Need."""

from django.db import migrations

RULES = [
    (
        "need_exhibition_in_own_province",
        "NEW.exhibition_id IS NOT NULL AND "
        "(SELECT province_id FROM exhibitions_exhibition WHERE id = NEW.exhibition_id) <> NEW.province_id",
    ),
    (
        "need_shelf_in_its_exhibition",
        "NEW.shelf_id IS NOT NULL AND "
        "(SELECT exhibition_id FROM exhibitions_shelf WHERE id = NEW.shelf_id) IS DISTINCT FROM NEW.exhibition_id",
    ),
    (
        "need_shelf_position_exists",
        "NEW.shelf_id IS NOT NULL AND (NEW.shelf_position < 1 OR "
        "NEW.shelf_position > (SELECT positions FROM exhibitions_shelf WHERE id = NEW.shelf_id))",
    ),
    (
        "need_on_display_in_open_exhibition",
        "NEW.status = 'on_display' AND (NEW.exhibition_id IS NULL OR "
        "(SELECT status FROM exhibitions_exhibition WHERE id = NEW.exhibition_id) <> 'open')",
    ),
]

WATCHED = "province_id, exhibition_id, shelf_id, shelf_position, status"


def _sqlite(condition: str) -> str:
    # SQLite has IS NOT instead of IS DISTINCT FROM.
    return condition.replace("IS DISTINCT FROM", "IS NOT")


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("INSERT", "UPDATE"):
            checks = "\n".join(
                f"    SELECT RAISE(ABORT, 'CHECK constraint failed: {name}') WHERE {_sqlite(cond)};"
                for name, cond in RULES
            )
            on = "INSERT ON needs_need" if event == "INSERT" else f"UPDATE OF {WATCHED} ON needs_need"
            schema_editor.execute(
                f"CREATE TRIGGER need_shelf_place_guard_{event.lower()} BEFORE {on}\nBEGIN\n{checks}\nEND;"
            )
    elif vendor == "postgresql":
        checks = "\n".join(
            f"  IF {cond} THEN RAISE EXCEPTION 'new row for relation \"needs_need\" violates check "
            f"constraint \"{name}\"' USING ERRCODE = 'check_violation', CONSTRAINT = '{name}'; END IF;"
            for name, cond in RULES
        )
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION need_shelf_place_guard() RETURNS trigger AS $$\nBEGIN\n"
            f"{checks}\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER need_shelf_place_guard BEFORE INSERT OR UPDATE OF {WATCHED} ON needs_need "
            "FOR EACH ROW EXECUTE FUNCTION need_shelf_place_guard();"
        )
    else:
        raise NotImplementedError(f"No shelf-place guard for {vendor}; add one before using this database.")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS need_shelf_place_guard_insert;")
        schema_editor.execute("DROP TRIGGER IF EXISTS need_shelf_place_guard_update;")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS need_shelf_place_guard ON needs_need;")
        schema_editor.execute("DROP FUNCTION IF EXISTS need_shelf_place_guard();")


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial"), ("exhibitions", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
