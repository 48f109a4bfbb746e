"""Prometheus instruments of a request and of the shared cache, and how they are read.

Each gunicorn worker is a process of its own: with PROMETHEUS_MULTIPROC_DIR set (by
gunicorn.conf.py), prometheus_client writes every process's values to files there and a
scrape adds them up (`exposition`), so any worker answers for the whole node. Without it
(runserver, tests) the process's own registry is read.

Labels are bounded: a view is its URL name (never a path), a status its class (2xx...)."""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import multiprocess

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

REQUESTS = Counter("portal_http_requests", "Requests answered, by view, method and status class", ["view", "method", "status"])
LATENCY = Histogram(
    "portal_http_request_duration_seconds", "Time to answer a request, by view", ["view"], buckets=LATENCY_BUCKETS,
)
DB_TIME = Histogram(
    "portal_http_request_db_seconds", "Time spent in database queries per request, by view", ["view"],
    buckets=LATENCY_BUCKETS,
)
DB_QUERIES = Counter("portal_db_queries", "Database queries made while answering requests, by view", ["view"])
CACHE_TIME = Histogram(
    "portal_cache_operation_seconds", "Time of each shared-cache call, by operation", ["operation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1),
)
CACHE_ERRORS = Counter("portal_cache_unavailable", "Shared-cache calls answered as a miss because the cache was away")


def exposition(*extra_collectors) -> tuple[bytes, str]:
    """The text a Prometheus server scrapes: this node's instruments (all its processes'
    when multiprocess) and the given collectors (figures read at scrape time)."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        for collector in list(REGISTRY._collector_to_names):
            registry.register(collector)
    for collector in extra_collectors:
        registry.register(collector)
    return generate_latest(registry), CONTENT_TYPE_LATEST
