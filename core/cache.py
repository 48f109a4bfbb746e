"""The shared cache (Redis) as an optional speed-up, never a dependency of an answer.

While Redis is stopped, restarting or unreachable, every cache call answers as a miss and
keeps nothing, so pages are built uncached instead of failing with a 500: a read is a miss
(the default), a write is dropped, `add` and `has_key` say no, `incr` raises ValueError as
for a missing key. What relies on the cache degrades as follows (README.md, "Deploying",
says the same to whoever runs the site):

- public pages, the catalogue's figures: rebuilt on every request (slower, still correct:
  the data version lives in the database, core/public_cache.py);
- form-post and API throttles (core/throttle.py, core/api.py): fail open, they let
  requests through; login lockouts are kept in the database (django-axes) and still count;
- readiness (`/healthz?ready=1`) reports the cache down, so a load balancer can prefer a
  node whose cache answers; liveness stays 200.

After a failure the backend does not try Redis again for RETRY_AFTER seconds (per process
and thread), so an outage costs one refused connection per second, not one per cache call.
Connections use short timeouts (portal/settings.py), so a Redis that does not answer at all
holds a request for at most about a second."""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.metrics import CACHE_ERRORS, CACHE_TIME

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
RETRY_AFTER = 1.0


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that answers as an empty cache while Redis is away."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _call(self, fallback, method, *args, **kwargs):
        if time.monotonic() < self._down_until:
            CACHE_ERRORS.inc()
            return fallback
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        except UNAVAILABLE as exc:
            if self._down_until == 0.0 or time.monotonic() >= self._down_until + 60:
                logger.warning("cache unavailable, answering uncached: %s", exc)
            self._down_until = time.monotonic() + RETRY_AFTER
            CACHE_ERRORS.inc()
            return fallback
        finally:
            CACHE_TIME.labels(method.__name__).observe(time.perf_counter() - started)

    def ping(self) -> None:
        """Reach Redis now, whatever happened before; raises when it cannot (readiness)."""
        self._cache.get_client(write=True).ping()
        self._down_until = 0.0

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call(missing, super().incr, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)
