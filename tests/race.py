"""The one race harness of the test suite: run callables at the same moment, each in a thread
of its own and so on a database connection of its own, and report what each one got.

Use it from tests marked `postgres` with `django_db(transaction=True, ...)`: the callables'
connections must see what the test wrote, and SQLite has no row locks to race for."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from django.db import connection, connections


@dataclass
class Outcome:
    """What one callable got: its return value, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_concurrently(*callables: Callable[[], Any], timeout: float = 120) -> list[Outcome]:
    """Start every callable in its own thread, each connected to the database, release them
    together (a barrier), wait for all of them, and return their outcomes in the order given. Each thread closes its database
    connections when done, so none is left open on the server after the test."""
    if not callables:
        return []
    start = threading.Barrier(len(callables))
    outcomes = [Outcome() for _ in callables]

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()  # connect first: the race is over the work, not the login
            start.wait(timeout=30)
            outcomes[index].value = job()
        except BaseException as error:  # reported to the test, which decides
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job), daemon=True) for i, job in enumerate(callables)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        raise AssertionError(f"{stuck} of {len(threads)} racers did not finish within {timeout}s (a deadlock?)")
    return outcomes
