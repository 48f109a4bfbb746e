"""Trigram indexes for the catalogue's text search on PostgreSQL.

`search_text` holds the normalised, lower-cased text (core.text.normalize_text), and the
catalogue searches it with `contains` (LIKE '%word%'), which a GIN trigram index answers
without scanning the table. SQLite has no such index; there the search still works, by
scanning, which is fine at development sizes."""

from django.db import migrations

INDEXES = [
    ("needs_need", "need_search_trgm_idx"),
    ("companies_company", "company_search_trgm_idx"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm;")
    for table, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops);")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("needs", "0002_shelf_place_guard"), ("companies", "0002_sectors")]
    operations = [migrations.RunPython(create, drop)]
