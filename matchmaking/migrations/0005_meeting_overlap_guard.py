"""The database refuses two live meetings that overlap in time for one company or one room.

Bookings used to be one row per participant and grid slot, unique per exact slot start:
meetings on grids that were out of step (exhibitions opening at 08:00 and 08:15, or a
changed MEETING_SLOT_MINUTES) overlapped without sharing a start, and nothing saw it. Now a
booking is one row per participant (buyer, supplier, room) of a live meeting, holding the
meeting's whole time, and:
- a trigger on matchmaking_meeting writes those rows when a meeting is proposed or
  confirmed and deletes them when it stops being live or moves, on every path;
- the database refuses two rows of one company or one room whose times overlap: an
  exclusion constraint over tstzrange(starts_at, ends_at) with btree_gist on PostgreSQL,
  BEFORE INSERT/UPDATE triggers on SQLite.

Existing bookings are rebuilt from the live meetings, oldest first. Two live meetings that
already overlap (only the old bug could make them) cannot both stay live: the later one is
cancelled, with a note saying why; no meeting row is deleted."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models
from django.db.models import Func, Q

LIVE = ("proposed", "confirmed")
BOOKING = "matchmaking_meetingslotbooking"
CLASH_NOTE = "Cancelled when double bookings were removed: it overlapped another meeting of the same company or room."


class BtreeGist(BtreeGistExtension):
    """btree_gist lets the exclusion constraints compare company and room ids with "=".
    Forwards it does nothing off PostgreSQL; backwards it is left installed (other
    constraints may use it, and Django's own backwards step does not skip SQLite)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def _participants(meeting) -> list[tuple[str, int]]:
    keys = [("company", meeting.buyer_id), ("company", meeting.supplier_id)]
    if meeting.room_id:
        keys.append(("room", meeting.room_id))
    return keys


def rebuild_bookings(apps, schema_editor):
    Meeting = apps.get_model("matchmaking", "Meeting")
    Booking = apps.get_model("matchmaking", "MeetingSlotBooking")
    db = schema_editor.connection.alias
    Booking.objects.using(db).all().delete()
    held: dict[tuple[str, int], list[tuple]] = {}
    rows = []
    for meeting in Meeting.objects.using(db).filter(status__in=LIVE).order_by("created_at", "id"):
        keys = _participants(meeting)
        clash = any(
            start < meeting.ends_at and meeting.starts_at < end for key in keys for start, end in held.get(key, [])
        )
        if clash:
            Meeting.objects.using(db).filter(pk=meeting.pk).update(status="cancelled", response_note=CLASH_NOTE)
            continue
        for kind, pk in keys:
            held.setdefault((kind, pk), []).append((meeting.starts_at, meeting.ends_at))
            rows.append(Booking(meeting_id=meeting.pk, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                                **{f"{kind}_id": pk}))
    Booking.objects.using(db).bulk_create(rows)
    _check_foreign_keys_now(schema_editor)


def _check_foreign_keys_now(schema_editor):
    # PostgreSQL cannot ALTER a table with deferred foreign-key checks pending from rows
    # written in this transaction: run them now.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED;")


def fill_slot_start(apps, schema_editor):
    """Backwards: each booking's old slot is its meeting's start (one row per participant)."""
    Booking = apps.get_model("matchmaking", "MeetingSlotBooking")
    Booking.objects.using(schema_editor.connection.alias).update(slot_start=models.F("starts_at"))
    _check_foreign_keys_now(schema_editor)


def _exclusions() -> list[ExclusionConstraint]:
    during = Func(
        models.F("starts_at"), models.F("ends_at"), models.Value("[)"), function="tstzrange",
        output_field=DateTimeRangeField(),
    )
    return [
        ExclusionConstraint(
            name=f"booking_{kind}_no_overlap",
            expressions=[(kind, RangeOperators.EQUAL), (during, RangeOperators.OVERLAPS)],
            condition=Q(**{f"{kind}__isnull": False}),
        )
        for kind in ("company", "room")
    ]


# Whether an update changes what a meeting holds: whether it is live, its time or its parties.
CHANGED = (
    "(OLD.status IN ('proposed', 'confirmed')) <> (NEW.status IN ('proposed', 'confirmed'))"
    " OR OLD.starts_at <> NEW.starts_at OR OLD.ends_at <> NEW.ends_at OR OLD.buyer_id <> NEW.buyer_id"
    " OR OLD.supplier_id <> NEW.supplier_id OR OLD.room_id IS DISTINCT FROM NEW.room_id"
)

PG_SYNC = f"""
CREATE OR REPLACE FUNCTION meeting_bookings_sync() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NOT ({CHANGED}) THEN
    RETURN NULL;
  END IF;
  DELETE FROM {BOOKING} WHERE meeting_id = NEW.id;
  IF NEW.status IN ('proposed', 'confirmed') THEN
    INSERT INTO {BOOKING} (meeting_id, company_id, room_id, starts_at, ends_at) VALUES
      (NEW.id, NEW.buyer_id, NULL, NEW.starts_at, NEW.ends_at),
      (NEW.id, NEW.supplier_id, NULL, NEW.starts_at, NEW.ends_at);
    IF NEW.room_id IS NOT NULL THEN
      INSERT INTO {BOOKING} (meeting_id, company_id, room_id, starts_at, ends_at)
      VALUES (NEW.id, NULL, NEW.room_id, NEW.starts_at, NEW.ends_at);
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
WATCHED = "status, buyer_id, supplier_id, room_id, starts_at, ends_at"

SQLITE_INSERT_BOOKINGS = f"""
    INSERT INTO {BOOKING} (meeting_id, company_id, room_id, starts_at, ends_at)
    SELECT NEW.id, NEW.buyer_id, NULL, NEW.starts_at, NEW.ends_at WHERE NEW.status IN ('proposed', 'confirmed')
    UNION ALL SELECT NEW.id, NEW.supplier_id, NULL, NEW.starts_at, NEW.ends_at WHERE NEW.status IN ('proposed', 'confirmed')
    UNION ALL SELECT NEW.id, NULL, NEW.room_id, NEW.starts_at, NEW.ends_at
        WHERE NEW.status IN ('proposed', 'confirmed') AND NEW.room_id IS NOT NULL;"""


def _sqlite_overlap(kind: str, other: str) -> str:
    # Django stores datetimes on SQLite as UTC text of one format, so text order is time order.
    return (
        f"    SELECT RAISE(ABORT, 'CHECK constraint failed: booking_{kind}_no_overlap') "
        f"WHERE NEW.{kind}_id IS NOT NULL AND EXISTS (SELECT 1 FROM {BOOKING} b WHERE b.{kind}_id = NEW.{kind}_id "
        f"AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at{other});"
    )


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        Booking = apps.get_model("matchmaking", "MeetingSlotBooking")
        for constraint in _exclusions():
            schema_editor.add_constraint(Booking, constraint)
        schema_editor.execute(PG_SYNC, None)
        schema_editor.execute(
            f"CREATE TRIGGER meeting_bookings_sync AFTER INSERT OR UPDATE OF {WATCHED} ON matchmaking_meeting "
            "FOR EACH ROW EXECUTE FUNCTION meeting_bookings_sync();"
        )
    elif vendor == "sqlite":
        for event, other in (("insert", ""), ("update", " AND b.id <> NEW.id")):
            on = f"INSERT ON {BOOKING}" if event == "insert" else f"UPDATE OF company_id, room_id, starts_at, ends_at ON {BOOKING}"
            checks = "\n".join(_sqlite_overlap(kind, other) for kind in ("company", "room"))
            schema_editor.execute(f"CREATE TRIGGER booking_no_overlap_{event} BEFORE {on}\nBEGIN\n{checks}\nEND;")
        schema_editor.execute(
            f"CREATE TRIGGER meeting_bookings_insert AFTER INSERT ON matchmaking_meeting\nBEGIN{SQLITE_INSERT_BOOKINGS}\nEND;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER meeting_bookings_update AFTER UPDATE OF {WATCHED} ON matchmaking_meeting\n"
            f"WHEN {CHANGED.replace('IS DISTINCT FROM', 'IS NOT')}\nBEGIN\n"
            f"    DELETE FROM {BOOKING} WHERE meeting_id = NEW.id;{SQLITE_INSERT_BOOKINGS}\nEND;"
        )
    else:
        raise NotImplementedError(f"No meeting overlap guard for {vendor}; add one before using this database.")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS meeting_bookings_sync ON matchmaking_meeting;")
        schema_editor.execute("DROP FUNCTION IF EXISTS meeting_bookings_sync();")
        for constraint in _exclusions():
            schema_editor.execute(f"ALTER TABLE {BOOKING} DROP CONSTRAINT IF EXISTS {constraint.name};")
    elif vendor == "sqlite":
        for name in ("booking_no_overlap_insert", "booking_no_overlap_update", "meeting_bookings_insert",
                     "meeting_bookings_update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0004_meeting_sides_counter_reminders")]

    operations = [
        BtreeGist(),
        migrations.RemoveConstraint(model_name="meetingslotbooking", name="booking_company_once_per_slot"),
        migrations.RemoveConstraint(model_name="meetingslotbooking", name="booking_room_once_per_slot"),
        migrations.AddField(
            model_name="meetingslotbooking", name="starts_at",
            field=models.DateTimeField(null=True, verbose_name="starts at"),
        ),
        migrations.AddField(
            model_name="meetingslotbooking", name="ends_at",
            field=models.DateTimeField(null=True, verbose_name="ends at"),
        ),
        migrations.AlterField(model_name="meetingslotbooking", name="slot_start", field=models.DateTimeField(null=True)),
        migrations.RunPython(migrations.RunPython.noop, fill_slot_start),
        migrations.RemoveField(model_name="meetingslotbooking", name="slot_start"),
        migrations.RunPython(rebuild_bookings, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="meetingslotbooking", name="starts_at", field=models.DateTimeField(verbose_name="starts at"),
        ),
        migrations.AlterField(
            model_name="meetingslotbooking", name="ends_at", field=models.DateTimeField(verbose_name="ends at"),
        ),
        migrations.AddConstraint(
            model_name="meetingslotbooking",
            constraint=models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="booking_ends_after_start"),
        ),
        migrations.RunPython(create, drop),
    ]
