"""One data version per scope of public content, so a write empties only the cached pages
it can change (core.public_cache).

0001 kept one version for everything: a tour registration, a declaration or a new exchange
rate refreshed the catalogue's cached pages as well, and on a live site, where staff and
suppliers write all day, most visitors got a cold page. Now each table advances the
versions of the scopes that show it:

- catalogue: needs, their photos, companies and sectors, provinces, towns, exhibitions,
  shelves and rooms (the catalogue, need pages, the supplier directory, exhibition pages);
- tours: tours, their sectors and registrations, and the exhibitions, towns, provinces and
  sectors they are shown with (tour lists, exhibition pages);
- matchmaking: declarations, meetings, outcomes and exchange rates (the programme's figures).

A page names the scopes it shows (`public_page(scopes=...)`); the figures of the home page,
/stats/ and /api/stats/ read every scope. Kept by the database as before (every write
path, O(1) to read): PostgreSQL, a sequence per scope advanced by statement-level
triggers; SQLite, one row per scope advanced by row-level triggers. A table added to the
public pages later needs its trigger in a new migration (see SCOPES)."""

from django.db import migrations

PLACES = ["exhibitions_province", "exhibitions_industrialtown", "exhibitions_exhibition", "companies_sector"]
SCOPES_OF_TABLE = {
    **{table: ("catalogue", "tours") for table in PLACES},
    "exhibitions_shelf": ("catalogue",),
    "exhibitions_meetingroom": ("catalogue",),
    "companies_company": ("catalogue",),
    "companies_company_sectors": ("catalogue",),
    "needs_need": ("catalogue",),
    "needs_needphoto": ("catalogue",),
    "matchmaking_tour": ("tours",),
    "matchmaking_tour_sectors": ("tours",),
    "matchmaking_tourregistration": ("tours",),
    "matchmaking_interest": ("matchmaking",),
    "matchmaking_meeting": ("matchmaking",),
    "matchmaking_outcome": ("matchmaking",),
    "matchmaking_exchangerate": ("matchmaking",),
}
SCOPES = ("catalogue", "tours", "matchmaking")


def _drop_single_version(schema_editor) -> None:
    """0001's triggers (and the one 0008 of matchmaking added for exchange rates)."""
    vendor = schema_editor.connection.vendor
    for table in SCOPES_OF_TABLE:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_version ON {table};")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_version_{table}_{event};")


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _drop_single_version(schema_editor)
    if vendor == "postgresql":
        for scope in SCOPES:
            schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS portal_data_version_{scope};")
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION portal_bump_data_versions() RETURNS trigger AS $$\n"
            "BEGIN\n"
            "  FOR i IN 0 .. TG_NARGS - 1 LOOP PERFORM nextval('portal_data_version_' || TG_ARGV[i]); END LOOP;\n"
            "  RETURN NULL;\n"
            "END;\n$$ LANGUAGE plpgsql;"
        )
        for table, scopes in SCOPES_OF_TABLE.items():
            arguments = ", ".join(f"'{scope}'" for scope in scopes)
            schema_editor.execute(
                f"CREATE TRIGGER portal_data_versions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_data_versions({arguments});"
            )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TABLE portal_data_versions (scope TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0);"
        )
        for scope in SCOPES:
            schema_editor.execute(f"INSERT INTO portal_data_versions (scope, version) VALUES ('{scope}', 0);")
        for table, scopes in SCOPES_OF_TABLE.items():
            names = ", ".join(f"'{scope}'" for scope in scopes)
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER portal_data_versions_{table}_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN UPDATE portal_data_versions SET version = version + 1 WHERE scope IN ({names}); END;"
                )
    else:
        raise NotImplementedError(f"No data-version triggers for {vendor}.")


def drop(apps, schema_editor):
    """Back to 0001's single version (on every table it and matchmaking 0008 covered)."""
    vendor = schema_editor.connection.vendor
    for table in SCOPES_OF_TABLE:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_versions ON {table};")
            schema_editor.execute(
                f"CREATE TRIGGER portal_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_data_version();"
            )
        else:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_versions_{table}_{event.lower()};")
                schema_editor.execute(
                    f"CREATE TRIGGER portal_data_version_{table}_{event.lower()} AFTER {event} ON {table} "
                    "BEGIN UPDATE portal_data_version SET version = version + 1 WHERE id = 1; END;"
                )
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS portal_bump_data_versions();")
        for scope in SCOPES:
            schema_editor.execute(f"DROP SEQUENCE IF EXISTS portal_data_version_{scope};")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS portal_data_versions;")


class Migration(migrations.Migration):
    # After every migration that creates or rebuilds a table listed above.
    dependencies = [
        ("portal", "0001_data_version"),
        ("exhibitions", "0003_persian_order"),
        ("companies", "0005_company_verification_queue"),
        ("needs", "0008_need_displayed_at"),
        ("tours", "0003_tour_message"),
        ("matchmaking", "0008_exchange_rate_and_shortlisted_at"),
    ]
    operations = [migrations.RunPython(create, drop)]
