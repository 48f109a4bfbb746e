"""Conditional GET for the public pages: anonymous visitors get an ETag that changes when
the data behind the pages change, and a 304 (one cheap query) while they have not.

The data version has two parts:
- one SQL query over the large tables (needs, companies, photos, exhibitions): their counts,
  last update and status sums. This sees bulk writes too (seed_demo, imports), which send
  no signals;
- a generation number in the (shared) cache, bumped by post_save / post_delete of any model
  of the portal's apps, for edits the aggregates cannot see (an exhibition's opening hours,
  a tour's title).
Pages for signed-in users vary per user and are never given an ETag."""

import hashlib
import time
from functools import wraps

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

PORTAL_APPS = {"exhibitions", "companies", "needs", "matchmaking"}
GENERATION_KEY = "public-pages:generation"
TIME_BUCKET = 600
# Pages change with the code as well as with the data: each process start is a new version.
_BOOT = str(time.time_ns())


def bump_generation(sender, **kwargs) -> None:
    if sender._meta.app_label in PORTAL_APPS:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not set yet (or evicted): any new value invalidates old ETags
            cache.set(GENERATION_KEY, time.time_ns(), None)


post_save.connect(bump_generation, dispatch_uid="public-pages-save")
post_delete.connect(bump_generation, dispatch_uid="public-pages-delete")


def _generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


# Catches status and consent changes made with QuerySet.update(), which leaves updated_at alone.
_NEED_STATE_SUM = (
    "SUM(id * (CASE status WHEN 'on_display' THEN 1 WHEN 'in_talks' THEN 2 WHEN 'contracted' THEN 3 "
    "WHEN 'withdrawn' THEN 4 ELSE 0 END + CASE WHEN display_consent THEN 5 ELSE 0 END))"
)


def _version_sql() -> str:
    parts = []
    for label, aggregates in (
        ("needs.Need", ["COUNT(*)", "MAX(updated_at)", _NEED_STATE_SUM]),
        ("needs.NeedPhoto", ["COUNT(*)", "MAX(id)"]),
        ("companies.Company", ["COUNT(*)", "MAX(updated_at)"]),
        ("exhibitions.Exhibition", ["COUNT(*)", "MAX(opened_on)", "SUM(CASE WHEN status = 'open' THEN id ELSE 0 END)"]),
    ):
        table = connection.ops.quote_name(apps.get_model(label)._meta.db_table)
        parts += [f"(SELECT {aggregate} FROM {table})" for aggregate in aggregates]
    return "SELECT " + ", ".join(parts)


def data_version() -> str:
    """A string that changes whenever the data shown on public pages change (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return "|".join(str(value) for value in row) + f"|{_generation()}"


def request_data_version(request) -> str:
    """data_version(), asked once per request however many parts of the page need it."""
    if not hasattr(request, "_public_data_version"):
        # Some content depends on the clock too (upcoming tours): a new version every
        # TIME_BUCKET seconds bounds how long such a page is reused.
        request._public_data_version = f"{data_version()}|{int(time.time() // TIME_BUCKET)}"
    return request._public_data_version


def cached_for_version(request, name: str, build, *, timeout: int = 600):
    """`build()`, computed once per data version and kept in the (shared) cache: costly
    figures are rebuilt only after the data change."""
    key = f"public:{name}:{_BOOT}:" + hashlib.sha256(request_data_version(request).encode()).hexdigest()[:32]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def _page_etag(request) -> str:
    key = f"{_BOOT}|{request_data_version(request)}|{get_language()}|{request.get_full_path()}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def public_page(view):
    """Give anonymous visitors an ETag for the page and answer 304 while the data are unchanged."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        etag = _page_etag(request)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            not_modified["ETag"] = etag
            return not_modified
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("ETag"):
            response["ETag"] = etag
            # Browsers and caches keep the page but ask again each time: the answer is a
            # 304 until the data change. Signed-in visitors (a session cookie) differ.
            patch_cache_control(response, max_age=0, must_revalidate=True, public=True)
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    return wrapped
