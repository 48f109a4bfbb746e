"""NeedRollup: the needs' count and annual FX per (province, sector, exhibition, status,
display consent), kept exact by triggers on needs_need, so the catalogue's totals do not
scan the needs (issue 15). The triggers add the new row's group and take away the old
row's on every insert, update of a grouped column or of the FX, and delete, whatever the
path (the ORM, bulk inserts, QuerySet.update(), raw SQL). TRUNCATE fires no row trigger:
truncate needs_needrollup with needs_need (Django's flush truncates every table). The
rollup is filled from the needs already stored.

A later migration that rebuilds needs_need on SQLite would drop these triggers: add columns
with core.migration_ops.AddColumnInPlace, as for the data-version triggers."""

import django.db.models.deletion
from django.db import migrations, models


GROUP = "province_id, sector_id, exhibition_key, status, display_consent"
ADD = (
    "INSERT INTO needs_needrollup (province_id, sector_id, exhibition_key, status, display_consent, needs, annual_fx_usd) "
    "VALUES (NEW.province_id, NEW.sector_id, COALESCE(NEW.exhibition_id, 0), NEW.status, NEW.display_consent, 1, "
    "NEW.annual_fx_usd) "
    f"ON CONFLICT ({GROUP}) DO UPDATE SET needs = needs_needrollup.needs + 1, "
    "annual_fx_usd = needs_needrollup.annual_fx_usd + excluded.annual_fx_usd;"
)
TAKE = (
    "UPDATE needs_needrollup SET needs = needs - 1, annual_fx_usd = annual_fx_usd - OLD.annual_fx_usd "
    "WHERE province_id = OLD.province_id AND sector_id = OLD.sector_id "
    "AND exhibition_key = COALESCE(OLD.exhibition_id, 0) AND status = OLD.status "
    "AND display_consent = OLD.display_consent;"
)
GROUPED = "province_id, sector_id, exhibition_id, status, display_consent, annual_fx_usd"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        "INSERT INTO needs_needrollup (province_id, sector_id, exhibition_key, status, display_consent, needs, "
        "annual_fx_usd) SELECT province_id, sector_id, COALESCE(exhibition_id, 0), status, display_consent, "
        "COUNT(*), COALESCE(SUM(annual_fx_usd), 0) FROM needs_need "
        "GROUP BY province_id, sector_id, COALESCE(exhibition_id, 0), status, display_consent;"
    )
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION needs_rollup_apply() RETURNS trigger AS $$\n"
            f"BEGIN\n  IF TG_OP IN ('UPDATE', 'DELETE') THEN {TAKE} END IF;\n"
            f"  IF TG_OP IN ('INSERT', 'UPDATE') THEN {ADD} END IF;\n  RETURN NULL;\nEND;\n$$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER needs_rollup AFTER INSERT OR UPDATE OF {GROUPED} OR DELETE ON needs_need "
            "FOR EACH ROW EXECUTE FUNCTION needs_rollup_apply();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(f"CREATE TRIGGER needs_rollup_insert AFTER INSERT ON needs_need BEGIN {ADD} END;")
        schema_editor.execute(f"CREATE TRIGGER needs_rollup_delete AFTER DELETE ON needs_need BEGIN {TAKE} END;")
        schema_editor.execute(
            f"CREATE TRIGGER needs_rollup_update AFTER UPDATE OF {GROUPED} ON needs_need BEGIN {TAKE} {ADD} END;"
        )
    else:
        raise NotImplementedError(f"No rollup triggers for {vendor}.")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS needs_rollup ON needs_need;")
        schema_editor.execute("DROP FUNCTION IF EXISTS needs_rollup_apply();")
    else:
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS needs_rollup_{event};")


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0005_company_verification_queue'),
        ('exhibitions', '0003_persian_order'),
        ('needs', '0008_need_displayed_at'),
    ]

    operations = [
        migrations.CreateModel(
            name='NeedRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('exhibition_key', models.BigIntegerField()),
                ('status', models.CharField(max_length=12)),
                ('display_consent', models.BooleanField()),
                ('needs', models.BigIntegerField(default=0)),
                ('annual_fx_usd', models.DecimalField(decimal_places=2, default=0, max_digits=22)),
                ('province', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='exhibitions.province')),
                ('sector', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='companies.sector')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('province', 'sector', 'exhibition_key', 'status', 'display_consent'), name='need_rollup_group')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
