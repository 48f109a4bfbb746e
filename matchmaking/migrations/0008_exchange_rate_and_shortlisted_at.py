"""ExchangeRate: the dated rials-per-dollar table national staff keep, which converts
contract values to US dollars (matchmaking.selectors.fx_saved); and Interest.shortlisted_at,
when a declaration was first shortlisted (the funnel report reads it).

shortlisted_at is added in place (core.migration_ops.AddColumnInPlace): rebuilding the
interest table on SQLite would drop its triggers (the public pages' data version, portal
0001). Declarations shortlisted before this migration take their last change as the time
they were shortlisted, the best the rows remember.

A new rate changes the dollar figures of /stats/, so the new table advances the public
pages' data version like the tables portal 0001 lists."""

import django.core.validators
from django.db import migrations, models
from django.db.models import F

from core.migration_ops import AddColumnInPlace

RATE_TABLE = "matchmaking_exchangerate"


def backfill_shortlisted_at(apps, schema_editor):
    Interest = apps.get_model("matchmaking", "Interest")
    Interest.objects.filter(status="shortlisted", shortlisted_at__isnull=True).update(shortlisted_at=F("updated_at"))


def rate_table_advances_data_version(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER portal_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {RATE_TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_data_version();"
        )
    elif vendor == "sqlite":
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER portal_data_version_{RATE_TABLE}_{event.lower()} AFTER {event} ON {RATE_TABLE} "
                "BEGIN UPDATE portal_data_version SET version = version + 1 WHERE id = 1; END;"
            )
    else:
        raise NotImplementedError(f"No data-version triggers for {vendor}.")


def drop_rate_table_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_version ON {RATE_TABLE};")
    elif vendor == "sqlite":
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_data_version_{RATE_TABLE}_{event};")


class Migration(migrations.Migration):

    dependencies = [
        ("matchmaking", "0007_meeting_calendar_sequence"),
        ("portal", "0001_data_version"),
    ]

    operations = [
        AddColumnInPlace(
            model_name="interest",
            name="shortlisted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="shortlisted at"),
        ),
        migrations.RunPython(backfill_shortlisted_at, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ExchangeRate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("effective_on", models.DateField(unique=True, verbose_name="effective from")),
                ("rials_per_usd", models.PositiveBigIntegerField(
                    validators=[django.core.validators.MinValueValidator(
                        1, message="The rate must be a positive number of rials per US dollar."
                    )],
                    verbose_name="rials per US dollar",
                )),
                ("source", models.CharField(
                    blank=True, help_text="Where the rate comes from, e.g. the central bank's published rate.",
                    max_length=200, verbose_name="source or note",
                )),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={
                "verbose_name": "exchange rate",
                "verbose_name_plural": "exchange rates",
                "ordering": ["-effective_on"],
                "constraints": [models.CheckConstraint(
                    condition=models.Q(("rials_per_usd__gt", 0)), name="exchange_rate_positive",
                    violation_error_message="The rate must be a positive number of rials per US dollar.",
                )],
            },
        ),
        migrations.RunPython(rate_table_advances_data_version, drop_rate_table_trigger),
    ]
