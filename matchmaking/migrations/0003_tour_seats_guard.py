"""The database refuses confirmed tour seats beyond the tour's capacity, whatever writes them.

The services take a row lock on the tour before counting seats (that is what makes racing
registrations safe); these triggers are the backstop for every other path (bulk inserts,
the admin, a bug): a confirmed registration that would push the confirmed attendees of its
tour past the capacity, or a capacity lowered below the confirmed attendees, is an error."""

from django.db import migrations

OTHERS_CONFIRMED = (
    "(SELECT COALESCE(SUM(attendees), 0) FROM matchmaking_tourregistration "
    "WHERE tour_id = NEW.tour_id AND status = 'confirmed' AND id {ne} NEW.id)"
)
CAPACITY = "(SELECT capacity FROM matchmaking_tour WHERE id = NEW.tour_id)"
CONFIRMED_OF_TOUR = (
    "(SELECT COALESCE(SUM(attendees), 0) FROM matchmaking_tourregistration "
    "WHERE tour_id = NEW.id AND status = 'confirmed')"
)
NAME = "tour_confirmed_seats_within_capacity"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        over = f"NEW.status = 'confirmed' AND {OTHERS_CONFIRMED.format(ne='IS NOT')} + NEW.attendees > {CAPACITY}"
        for event, on in (
            ("insert", "INSERT ON matchmaking_tourregistration"),
            ("update", "UPDATE OF tour_id, status, attendees ON matchmaking_tourregistration"),
        ):
            schema_editor.execute(
                f"CREATE TRIGGER tour_seats_guard_{event} BEFORE {on}\nBEGIN\n"
                f"    SELECT RAISE(ABORT, 'CHECK constraint failed: {NAME}') WHERE {over};\nEND;"
            )
        schema_editor.execute(
            "CREATE TRIGGER tour_capacity_guard BEFORE UPDATE OF capacity ON matchmaking_tour\nBEGIN\n"
            f"    SELECT RAISE(ABORT, 'CHECK constraint failed: {NAME}') WHERE NEW.capacity < {CONFIRMED_OF_TOUR};\nEND;"
        )
    elif vendor == "postgresql":
        over = f"NEW.status = 'confirmed' AND {OTHERS_CONFIRMED.format(ne='IS DISTINCT FROM')} + NEW.attendees > {CAPACITY}"
        raise_ = (
            f"RAISE EXCEPTION 'confirmed seats exceed the capacity of tour %', {{tour}} "
            f"USING ERRCODE = 'check_violation', CONSTRAINT = '{NAME}';"
        )
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION tour_seats_guard() RETURNS trigger AS $$\nBEGIN\n"
            f"  IF {over} THEN {raise_.format(tour='NEW.tour_id')} END IF;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;",
            None,  # no parameters: the % in RAISE is PL/pgSQL's, not the driver's
        )
        schema_editor.execute(
            "CREATE TRIGGER tour_seats_guard BEFORE INSERT OR UPDATE OF tour_id, status, attendees "
            "ON matchmaking_tourregistration FOR EACH ROW EXECUTE FUNCTION tour_seats_guard();"
        )
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION tour_capacity_guard() RETURNS trigger AS $$\nBEGIN\n"
            f"  IF NEW.capacity < {CONFIRMED_OF_TOUR} THEN {raise_.format(tour='NEW.id')} END IF;\n"
            "  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;",
            None,
        )
        schema_editor.execute(
            "CREATE TRIGGER tour_capacity_guard BEFORE UPDATE OF capacity ON matchmaking_tour "
            "FOR EACH ROW EXECUTE FUNCTION tour_capacity_guard();"
        )
    else:
        raise NotImplementedError(f"No tour seats guard for {vendor}; add one before using this database.")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in ("tour_seats_guard_insert", "tour_seats_guard_update", "tour_capacity_guard"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS tour_seats_guard ON matchmaking_tourregistration;")
        schema_editor.execute("DROP TRIGGER IF EXISTS tour_capacity_guard ON matchmaking_tour;")
        schema_editor.execute("DROP FUNCTION IF EXISTS tour_seats_guard();")
        schema_editor.execute("DROP FUNCTION IF EXISTS tour_capacity_guard();")


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0002_tour_series_checkin_reminders")]
    operations = [migrations.RunPython(create, drop)]
