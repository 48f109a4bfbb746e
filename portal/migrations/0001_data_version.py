"""A data version that every write to the public data advances, kept by the database.

Public pages are cached per data version (core.public_cache). Reading it must cost O(1)
at any table size, and every write path must advance it — admin saves, services,
QuerySet.update(), bulk inserts, imports, raw SQL — so it is kept by triggers:
- PostgreSQL: a sequence advanced by statement-level triggers. Sequences are outside
  transactions and take no row lock, so concurrent writers never wait on each other (or
  deadlock) over the version; a rolled-back write only causes a spurious refresh.
- SQLite: a one-row table advanced by row-level triggers (SQLite has no statement-level
  triggers and serialises writers anyway).
A table added to the public pages later needs its trigger in a new migration."""

from django.db import migrations

TABLES = [
    "exhibitions_province", "exhibitions_industrialtown", "exhibitions_exhibition", "exhibitions_shelf",
    "exhibitions_meetingroom", "companies_sector", "companies_company", "companies_company_sectors",
    "needs_need", "needs_needphoto", "matchmaking_tour", "matchmaking_tour_sectors",
    "matchmaking_tourregistration", "matchmaking_interest", "matchmaking_meeting", "matchmaking_outcome",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS portal_data_version;")
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION portal_bump_data_version() RETURNS trigger AS $$\n"
            "BEGIN PERFORM nextval('portal_data_version'); RETURN NULL; END;\n$$ LANGUAGE plpgsql;"
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER portal_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_data_version();"
            )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TABLE portal_data_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);"
        )
        schema_editor.execute("INSERT INTO portal_data_version (id, version) VALUES (1, 0);")
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER portal_data_version_{table}_{event.lower()} AFTER {event} ON {table} "
                    "BEGIN UPDATE portal_data_version SET version = version + 1 WHERE id = 1; END;"
                )
    else:
        raise NotImplementedError(f"No data-version triggers for {vendor}.")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_version ON {table};")
        schema_editor.execute("DROP FUNCTION IF EXISTS portal_bump_data_version();")
        schema_editor.execute("DROP SEQUENCE IF EXISTS portal_data_version;")
    elif vendor == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_version_{table}_{event};")
        schema_editor.execute("DROP TABLE IF EXISTS portal_data_version;")


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitions", "0002_provinces_and_towns"),
        ("companies", "0002_sectors"),
        ("needs", "0005_search_text_with_sector_and_province"),
        ("matchmaking", "0004_meeting_sides_counter_reminders"),
    ]
    operations = [migrations.RunPython(create, drop)]
