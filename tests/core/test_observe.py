"""Every request gets an id, one JSON log line and its Prometheus figures; the tasks it
enqueues run with the same id (core/logs.py, core/observe.py, core/tasks.py)."""

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings

from core.logs import JsonFormatter, RequestIdFilter, bound_request_id, current_request_id
from core.tasks import task
from tests.factories import displayed_need

SEEN: list[str] = []


@task()
def remember_request_id(word: str) -> None:
    SEEN.append(f"{word}:{current_request_id()}")
    logging.getLogger("tests.task").warning("ran %s", word)


@pytest.fixture
def json_lines():
    """What the production handler writes (portal/settings.py LOGGING with LOG_FORMAT=json)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger("portal.requests"), logging.getLogger("tests.task")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger, level in zip(loggers, levels):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.django_db
def test_each_request_has_an_id_and_one_json_log_line(client, json_lines):
    displayed_need()
    response = client.get("/needs/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = [entry for entry in json_lines() if entry["logger"] == "portal.requests"]
    assert line["request_id"] == request_id
    assert (line["method"], line["path"], line["status"], line["view"]) == ("GET", "/needs/", 200, "needs:list")
    assert line["db_queries"] > 0 and line["duration_ms"] >= line["db_ms"] >= 0
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="haproxy-7f3a9c21")["X-Request-ID"] == "haproxy-7f3a9c21"
    for strange in ("short", "a b c d e f g h", "x" * 65, "id\nInjected: yes"):
        answered = client.get("/healthz", HTTP_X_REQUEST_ID=strange)["X-Request-ID"]
        assert answered != strange and len(answered) == 32


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_runs_in_the_worker_with_the_id_of_the_request_that_enqueued_it(json_lines):
    """With the database queue and a real db_worker run: the id travels in the task's
    arguments, not in the worker's memory."""
    SEEN.clear()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with bound_request_id("req-0123456789ab"):
            remember_request_id.enqueue("first")
        remember_request_id.enqueue("outside")  # a command or cron: an id of its own
        assert SEEN == []
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert SEEN[0] == "first:req-0123456789ab"
    word, own_id = SEEN[1].split(":")
    assert word == "outside" and len(own_id) == 32
    ran = [entry for entry in json_lines() if entry["logger"] == "tests.task"]
    assert [entry["request_id"] for entry in ran] == ["req-0123456789ab", own_id]


def test_every_task_of_the_project_keeps_the_request_id():
    """The apps declare their tasks with core.tasks.task, so none loses the id."""
    import importlib

    from django_tasks.base import Task

    from core.tasks import TracedTask

    plain = []
    for app in ("accounts", "companies", "needs", "tours", "matchmaking"):
        try:
            module = importlib.import_module(f"{app}.tasks")
        except ModuleNotFoundError:
            continue
        plain += [f"{app}.{name}" for name, value in vars(module).items()
                  if isinstance(value, Task) and not isinstance(value, TracedTask)]
    assert plain == []
