"""manage.py task_worker: db_worker that outlives a database outage (core/management/commands/task_worker.py)."""

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from core.management.commands import task_worker


def test_the_worker_waits_out_a_database_outage_and_goes_on(monkeypatch):
    attempts, pauses = [], []

    def run(self):
        attempts.append(1)
        if len(attempts) <= 3:
            raise OperationalError("the database system is shutting down")
        return None  # the loop ends normally (a batch drained, or a signal)

    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(task_worker.time, "sleep", pauses.append)
    monkeypatch.setattr(task_worker.connections, "close_all", lambda: None)
    worker = task_worker.ResilientWorker(
        queue_names=["default"], interval=1, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="w1", excluded_queue_names=[],
    )
    worker.run()
    assert len(attempts) == 4
    assert pauses == [0.5, 1.0, 2.0]


def test_db_worker_itself_stops_at_the_first_outage(monkeypatch):
    """Why the project runs task_worker: the original exits (and queued mail waits)."""
    monkeypatch.setattr(db_worker.Worker, "run", lambda self: (_ for _ in ()).throw(OperationalError("down")))
    worker = db_worker.Worker(
        queue_names=["default"], interval=1, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="w1", excluded_queue_names=[],
    )
    with pytest.raises(OperationalError):
        worker.run()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_runs_queued_tasks_like_db_worker(settings):
    from django.core.management import call_command

    from tests.core.test_observe import SEEN, remember_request_id

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    SEEN.clear()
    remember_request_id.enqueue("queued")
    call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [seen.split(":")[0] for seen in SEEN] == ["queued"]
