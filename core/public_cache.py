"""Caching of the public pages for anonymous visitors, correct while the data change.

The data versions are kept by the database, one per scope of content (migration
portal/0002_scoped_data_versions): every write to a table shown on public pages advances
the versions of the scopes that show it, whatever the path (admin, services, bulk inserts,
QuerySet.update(), raw SQL). Reading them is one O(1) query at any data size.

For each anonymous GET of a public page:
- the ETag is derived from (code, data versions of the page's scopes, language, URL): a
  browser that has the page gets a 304;
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


# The scopes of public content, each with its own data version kept by the database
# (portal/migrations/0002_scoped_data_versions.py says which tables advance which): a write
# empties only the cached pages that show its scope.
SCOPES = ("catalogue", "tours", "matchmaking")


def data_version(scopes=SCOPES) -> str:
    """A value that changes whenever the data of the given scopes change (one query)."""
    scopes = tuple(sorted(set(scopes)))
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"Unknown data scopes: {sorted(unknown)}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # last_value and is_called of each scope's sequence (names from SCOPES only).
            parts = ", ".join(
                f"(SELECT last_value::text || '.' || is_called::int FROM portal_data_version_{scope})"
                for scope in scopes
            )
            cursor.execute(f"SELECT {parts}")
            values = cursor.fetchone()
        else:
            cursor.execute(
                f"SELECT scope, version FROM portal_data_versions WHERE scope IN ({', '.join(['%s'] * len(scopes))})",
                scopes,
            )
            found = dict(cursor.fetchall())
            values = [found[scope] for scope in scopes]
    return "|".join(f"{scope}:{value}" for scope, value in zip(scopes, values))


def request_data_version(request, scopes=SCOPES) -> str:
    """data_version() of these scopes, asked once per request and scopes however many parts
    of the page need it."""
    key = tuple(sorted(set(scopes)))
    asked = request.__dict__.setdefault("_public_data_versions", {})
    if key not in asked:
        # Some content depends on the clock too (upcoming tours): a new version every
        # TIME_BUCKET seconds bounds how long such a page is reused.
        asked[key] = f"{data_version(key)}|{int(time.time() // TIME_BUCKET)}"
    return asked[key]


def cached_for_version(request, name: str, build, *, timeout: int = 600, scopes=SCOPES):
    """`build()`, computed once per data version of `scopes` and kept in the (shared)
    cache: costly figures are rebuilt only after their data change."""
    key = f"public:{name}:{_BOOT}:" + hashlib.sha256(request_data_version(request, scopes).encode()).hexdigest()[:32]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def _page_etag(request, scopes) -> str:
    key = f"{_BOOT}|{request_data_version(request, scopes)}|{get_language()}|{request.get_full_path()}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def public_page(view=None, *, scopes=SCOPES):
    """Give anonymous visitors an ETag for the page and answer 304 while the data of the
    page's `scopes` are unchanged; keep the page in the shared cache meanwhile. A page that
    shows only the catalogue says `@public_page(scopes=("catalogue",))`, and a tour
    registration then leaves it cached; without scopes, every write refreshes it."""
    if view is None:
        return lambda function: public_page(function, scopes=scopes)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        etag = _page_etag(request, scopes)
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
