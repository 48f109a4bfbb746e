"""Deployment checks of the portal's own settings, shown by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Backends that keep their data inside one process: each gunicorn worker (and each node)
# would count, lock out and cache on its own.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
AXES_CACHE_HANDLER = "axes.handlers.cache.AxesCacheHandler"


def _cache_users() -> list[tuple[str, str]]:
    """(cache alias, feature) for each feature that only works when every worker shares its cache."""
    users = []
    if settings.POST_THROTTLE_RATE and "core.throttle.PostThrottleMiddleware" in settings.MIDDLEWARE:
        users.append(("default", "the form-post throttle (core.throttle)"))
    if getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_CLASSES"):
        users.append(("default", "the API throttles (Django REST framework)"))
    if getattr(settings, "AXES_HANDLER", "") == AXES_CACHE_HANDLER:
        users.append((getattr(settings, "AXES_CACHE", "default"), "login lockouts (django-axes)"))
    users.append(("default", "the public page cache (core.public_cache)"))
    return users


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Production (DEBUG off) with a per-process cache: rate limits are multiplied by the
    number of workers and nodes, and cached pages are kept once per process."""
    if settings.DEBUG:
        return []
    affected: dict[tuple[str, str], list[str]] = {}
    for alias, feature in _cache_users():
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        if backend in PER_PROCESS_CACHES:
            affected.setdefault((alias, backend.rsplit(".", 1)[-1]), []).append(feature)
    return [
        Warning(
            f"CACHES[{alias!r}] is {backend}, which lives inside one process: {_and(features)} keep "
            "their own copy in every worker and node, so a limit of N requests a minute lets N "
            "through each worker.",
            hint="Set REDIS_URL (a cache every worker and node shares) before serving with several workers.",
            id="portal.W001",
        )
        for (alias, backend), features in affected.items()
    ]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
