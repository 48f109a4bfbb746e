"""The verification queue: when a company started waiting for staff, and a refusal's reason,
time and author (a withdrawn verification is kept the same way).

The columns are added in place (core.migration_ops.AddColumnInPlace): rebuilding the table
on SQLite would drop the public pages' data-version triggers on it (portal 0001). So the
waiting time is a nullable column, filled here from each company's registration and for new
companies by the model's default (a Python default: the state records it, the database has
no DEFAULT to change)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F

from core.migration_ops import AddColumnInPlace


def waiting_since_registration(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    Company.objects.filter(verification_requested_at__isnull=True).update(verification_requested_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("companies", "0004_company_persian_order"),
        ("exhibitions", "0003_persian_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddColumnInPlace(
            model_name="company",
            name="refusal_reason",
            field=models.TextField(blank=True, db_default="", default="", editable=False, verbose_name="reason for refusal"),
        ),
        AddColumnInPlace(
            model_name="company",
            name="refused_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="verification refused at"),
        ),
        AddColumnInPlace(
            model_name="company",
            name="refused_by",
            field=models.ForeignKey(
                blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="verification refused by",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddColumnInPlace(
                    model_name="company",
                    name="verification_requested_at",
                    field=models.DateTimeField(editable=False, null=True, verbose_name="waiting for verification since"),
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="company",
                    name="verification_requested_at",
                    field=models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, null=True,
                        verbose_name="waiting for verification since",
                    ),
                ),
            ],
        ),
        migrations.RunPython(waiting_since_registration, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                condition=models.Q(("is_verified", False), ("refused_at__isnull", True)),
                fields=["province", "verification_requested_at"], name="company_verification_queue_idx",
            ),
        ),
    ]
