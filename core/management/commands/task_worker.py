"""`manage.py task_worker`: django-tasks-db's `db_worker` (same options) that outlives a
database outage.

`db_worker` exits on the first database error it does not expect (PostgreSQL restarting,
a failover, a dropped connection), and queued mail then waits until someone restarts it.
This worker logs the error, closes its connections and tries again with a growing pause
(at most MAX_PAUSE seconds), so a database restart only delays the queue. Claiming a task
stays django-tasks-db's: a row lock, so each task runs once however many workers run."""

from __future__ import annotations

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("portal.tasks")
MAX_PAUSE = 5.0


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        pause = 0.5
        while self.running:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                logger.warning("database unavailable, the worker retries in %.1f s: %s", pause, exc)
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)


class Command(db_worker.Command):
    help = "Run queued background tasks, surviving database outages (django-tasks-db's db_worker otherwise)."

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
