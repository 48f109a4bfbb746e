"""Rows written in bulk for the demo seeder: COPY on PostgreSQL, executemany on SQLite.

`seed_demo --needs 1000000` writes about 3.5 million rows (companies, their sectors, needs,
photos). Django's bulk_create builds a model instance and prepares every value of every row
through the field API, which costs more than the database's own work at that size. Here a
row is a dict of attribute names to values; each column's adapter is picked once per table.
The database still does all of its own work: constraints, foreign keys and the row triggers
that keep the needs' rollup (needs/migrations/0009) and the data versions exact."""

from collections.abc import Iterable
from itertools import islice

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


def _default(field: models.Field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now.date() if type(field) is models.DateField else now
    return field.get_default()


def _adapter(field: models.Field):
    """The one conversion a value needs before the driver takes it, or None."""
    if connection.vendor == "postgresql":
        return None  # psycopg adapts dates, datetimes and decimals itself
    kind = field.get_internal_type()
    ops = connection.ops
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "TimeField":
        return ops.adapt_timefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return None


def insert_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Insert each row (attribute name -> value; any column left out takes the field's
    default, `auto_now(_add)` columns the current time) into the model's table; returns
    how many rows were written."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    defaults = [_default(field, now) for field in fields]
    adapters = [_adapter(field) for field in fields]
    names = [field.attname for field in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)

    def values(row: dict) -> tuple:
        out = []
        for name, default, adapt in zip(names, defaults, adapters):
            value = row.get(name, default)
            out.append(adapt(value) if adapt is not None and value is not None else value)
        return tuple(out)

    written = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    written += 1
            return written
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        while batch := [values(row) for row in islice(rows, BATCH)]:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
