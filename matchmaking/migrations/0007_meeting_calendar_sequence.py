"""Meeting.calendar_sequence: the SEQUENCE of a meeting's calendar files, a counter the
services raise (a clock in seconds let a confirmation and a cancellation tie).

The column is added in place (core.migration_ops.AddColumnInPlace): rebuilding the table
on SQLite would drop the triggers on it: the bookings that keep meetings from overlapping (0005) and
the public pages' data version (portal 0001)."""

from django.db import migrations, models

from core.migration_ops import AddColumnInPlace


class Migration(migrations.Migration):

    dependencies = [
        ("matchmaking", "0006_tours_move_to_their_own_app"),
    ]

    operations = [
        AddColumnInPlace(
            model_name="meeting",
            name="calendar_sequence",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False, verbose_name="calendar revision"),
        ),
    ]
