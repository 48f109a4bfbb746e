"""Background tasks that keep the request id of the request that enqueued them.

`@task()` from here instead of django_tasks': enqueuing adds the current request id as the
keyword `request_id`, and the worker runs the function with that id bound, so the task's
log lines (core/logs.py) carry the id of the request that caused them. A task enqueued
outside a request (a command, cron) gets an id of its own."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django_tasks.base import Task
from django_tasks import task as django_task

from core.logs import bound_request_id, current_request_id, new_request_id


@dataclass(frozen=True, slots=True, kw_only=True)
class TracedTask(Task):
    def enqueue(self, *args, **kwargs):
        return Task.enqueue(self, *args, request_id=current_request_id() or new_request_id(), **kwargs)

    async def aenqueue(self, *args, **kwargs):
        return await Task.aenqueue(self, *args, request_id=current_request_id() or new_request_id(), **kwargs)


def _traced(function):
    @functools.wraps(function)
    def run(*args, request_id: str = "", **kwargs):
        with bound_request_id(request_id or new_request_id()):
            return function(*args, **kwargs)

    return run


def task(**options):
    """django_tasks' `@task(...)` whose runs keep the enqueuing request's id."""

    def decorator(function):
        plain = django_task(**options)(_traced(function))
        return TracedTask(**{field: getattr(plain, field) for field in (
            "func", "priority", "backend", "queue_name", "run_after", "takes_context",
        )})

    return decorator
