from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from core.collation import register_sqlite_collation

        # Every SQLite connection gets the fa_persian collation that persian() orders by
        # (PostgreSQL has it from core/migrations/0001_persian_collation.py).
        connection_created.connect(register_sqlite_collation, dispatch_uid="core.collation.sqlite")
