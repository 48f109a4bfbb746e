"""The fa_persian collation on PostgreSQL: ICU's rules for the Persian locale (CLDR), which
put the letters in the order of the Persian alphabet (code point order puts پ چ ژ ک گ after
و and ه). SQLite gets a collation of the same name on every connection (core.apps); see
core/collation.py. Deterministic, so texts that ICU finds equal are ordered by their bytes."""

from django.db import migrations

COLLATION = "fa_persian"  # core.collation.COLLATION, frozen here as a migration must be


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    name = schema_editor.quote_name(COLLATION)
    schema_editor.execute(f"CREATE COLLATION IF NOT EXISTS {name} (provider = icu, locale = 'fa')")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP COLLATION IF EXISTS {schema_editor.quote_name(COLLATION)}")


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create, drop)]
