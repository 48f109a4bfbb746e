"""Tour.calendar_sequence and TourRegistration.calendar_sequence: together the SEQUENCE of
a registration's calendar file, counters the services raise (a clock in seconds let a
confirmation and a cancellation tie).

The columns are added in place (core.migration_ops.AddColumnInPlace): rebuilding a table
on SQLite would drop the triggers on it: the seat guards (matchmaking 0003) and the public pages'
data version (portal 0001)."""

from django.db import migrations, models

from core.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ("tours", "0001_initial"),
    ]

    operations = [
        AddColumnInPlace(
            model_name="tour",
            name="calendar_sequence",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False, verbose_name="calendar revision"),
        ),
        AddColumnInPlace(
            model_name="tourregistration",
            name="calendar_sequence",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False, verbose_name="calendar revision"),
        ),
    ]
