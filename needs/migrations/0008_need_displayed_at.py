"""Need.displayed_at: when a need first went on display (the staff funnel's second step).

Added in place (core.migration_ops.AddColumnInPlace): rebuilding needs_need on SQLite would
drop its triggers (the shelf-place guard, the public pages' data version). Needs already on
display or further along get the best moment on record: their last change (updated_at),
which is when most of them were put on display; a need whose last change predates its
identification (imported rows) gets the start of its identification day."""

import datetime

from django.db import migrations, models
from django.utils import timezone

from core.migration_ops import AddColumnInPlace

DISPLAYED_OR_LATER = ("on_display", "in_talks", "contracted")


def backfill(apps, schema_editor):
    Need = apps.get_model("needs", "Need")
    pending = Need.objects.filter(status__in=DISPLAYED_OR_LATER, displayed_at__isnull=True)
    pending.update(displayed_at=models.F("updated_at"))
    # The rare row changed before the day it says it was identified: not before that day.
    # One UPDATE per distinct day, so a large table is not walked row by row.
    zone = timezone.get_default_timezone()
    days = (
        Need.objects.filter(status__in=DISPLAYED_OR_LATER, displayed_at__date__lt=models.F("identified_on"))
        .order_by().values_list("identified_on", flat=True).distinct()
    )
    for day in list(days):
        start = datetime.datetime.combine(day, datetime.time(0), zone)
        Need.objects.filter(
            status__in=DISPLAYED_OR_LATER, identified_on=day, displayed_at__lt=start
        ).update(displayed_at=start)


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0007_title_indexes_in_persian_order"),
    ]

    operations = [
        AddColumnInPlace(
            model_name="need",
            name="displayed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="first on display at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
