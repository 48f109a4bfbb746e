"""The supplier page (company_detail, catalogue scope) shows the capability profile: its
products, their HS codes and its certificates. A write to any of them advances the
catalogue's data version, as 0002 does for the tables it covers (same triggers, same
function and sequences)."""

from django.db import migrations

TABLES = {
    "companies_product": ("catalogue",),
    "companies_producthscode": ("catalogue",),
    "companies_certificate": ("catalogue",),
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, scopes in TABLES.items():
        if vendor == "postgresql":
            arguments = ", ".join(f"'{scope}'" for scope in scopes)
            schema_editor.execute(
                f"CREATE TRIGGER portal_data_versions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_data_versions({arguments});"
            )
        elif vendor == "sqlite":
            names = ", ".join(f"'{scope}'" for scope in scopes)
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER portal_data_versions_{table}_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN UPDATE portal_data_versions SET version = version + 1 WHERE scope IN ({names}); END;"
                )
        else:
            raise NotImplementedError(f"No data-version triggers for {vendor}.")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_versions ON {table};")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_versions_{table}_{event};")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_scoped_data_versions"),
        ("companies", "0006_capability_profile"),
    ]

    operations = [migrations.RunPython(create, drop)]
