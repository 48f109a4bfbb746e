"""One middleware that observes every request: its id (core/logs.py), one structured log
line, and the Prometheus instruments (core/metrics.py): latency and database time and
queries by view, requests by status class."""

from __future__ import annotations

import logging
import time

from django.db import connection

from core.logs import bound_request_id, request_id_from
from core.metrics import DB_QUERIES, DB_TIME, LATENCY, REQUESTS

logger = logging.getLogger("portal.requests")


class _QueryTimer:
    def __init__(self):
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return match.view_name or match.url_name or "<unnamed>"


class RequestObservationMiddleware:
    """First in MIDDLEWARE, so its time covers every other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        timer = _QueryTimer()
        with bound_request_id(request_id_from(request.headers.get("X-Request-ID"))) as request_id:
            request.request_id = request_id
            with connection.execute_wrapper(timer):
                response = self.get_response(request)
            elapsed = time.perf_counter() - started
            view = _view_name(request)
            REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
            LATENCY.labels(view).observe(elapsed)
            DB_TIME.labels(view).observe(timer.seconds)
            DB_QUERIES.labels(view).inc(timer.count)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={
                    "method": request.method, "path": request.path, "status": response.status_code, "view": view,
                    "duration_ms": round(elapsed * 1000, 1), "db_ms": round(timer.seconds * 1000, 1),
                    "db_queries": timer.count,
                },
            )
        return response
