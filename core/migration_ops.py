"""Migration operations the apps share."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


class AddColumnInPlace(migrations.AddField):
    """AddField as one ALTER TABLE ... ADD COLUMN (with its DEFAULT) on every database.

    Django's SQLite backend rebuilds a table to add a NOT NULL column, and dropping the old
    table drops the triggers on it (the meeting-overlap bookings, the seat guards, the public
    pages' data version). The base schema editor adds the column in place instead, which
    SQLite allows for a column with a constant default."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        to_model = to_state.apps.get_model(app_label, self.model_name)
        from_model = from_state.apps.get_model(app_label, self.model_name)
        BaseDatabaseSchemaEditor.add_field(schema_editor, from_model, to_model._meta.get_field(self.name))
