"""Caching of the public pages for anonymous visitors, correct while the data change.

The data version is kept by the database (migration portal/0001_data_version): every write
to a table shown on public pages advances it, whatever the path (admin, services, bulk
inserts, QuerySet.update(), raw SQL). Reading it is one O(1) query at any data size.

For each anonymous GET of a public page:
- the ETag is derived from (code, data version, language, URL): a browser that has the page
  gets a 304;
- the rendered page is kept in the shared cache under the same key, so a repeat from any
  visitor costs the version query and one cache read, not the page's queries.
Pages for signed-in users vary per user and are neither cached nor given an ETag."""

import hashlib
import os
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.translation import get_language

from core.digits import mark_persian_digits_done, persian_digits_in_response

TIME_BUCKET = 600
PAGE_TIMEOUT = 600


def _code_version() -> str:
    """Pages change with the code as well as with the data. Every worker of every node
    must agree on it (they share the cache and the browser's ETag), so it comes from the
    deployment (RELEASE_ID) or from the code and templates themselves, never the clock."""
    if os.environ.get("RELEASE_ID"):
        return os.environ["RELEASE_ID"]
    digest = hashlib.sha256()
    folders = [settings.BASE_DIR / app for app in settings.INSTALLED_APPS if (settings.BASE_DIR / app).is_dir()]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".mo"}:
                digest.update(f"{path}:{path.stat().st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


_BOOT = _code_version()


def data_version() -> str:
    """A value that changes whenever the data shown on public pages change (one query)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT last_value, is_called FROM portal_data_version")
        else:
            cursor.execute("SELECT version, 1 FROM portal_data_version WHERE id = 1")
        value, called = cursor.fetchone()
    return f"{value}.{int(bool(called))}"


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
        page_key = "public:page:" + etag.strip('"')
        cached = cache.get(page_key)
        if cached is not None:
            content, content_type, language = cached
            response = HttpResponse(content, content_type=content_type)
            response["Content-Language"] = language
            mark_persian_digits_done(response)  # kept as converted below
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            persian_digits_in_response(response)  # once, before the page is kept
            cache.set(page_key, (response.content, response["Content-Type"], get_language()), PAGE_TIMEOUT)
        if not response.has_header("ETag"):
            response["ETag"] = etag
            # Browsers and caches keep the page but ask again each time: the answer is a
            # 304 until the data change. Signed-in visitors (a session cookie) differ.
            patch_cache_control(response, max_age=0, must_revalidate=True, public=True)
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    return wrapped
