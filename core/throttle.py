"""A throttle on public form posts (sign-up, company registration, readiness declarations,
tour registrations, meeting answers, password reset ...): at most POST_THROTTLE_RATE posts
per client address per minute, counted in the shared cache so every node agrees.

Staff working in /admin/ are not throttled here (their login is guarded by django-axes),
and neither is the API (DRF throttles it). Over the limit the visitor gets a 429 page in
their language saying when to try again; nothing they already stored is touched."""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

EXEMPT_PREFIXES = ("/admin/", "/en/admin/", "/api/", "/i18n/")


def client_address(request) -> str:
    """The visitor's address; behind N trusted proxies, the Nth address from the right of
    X-Forwarded-For (the proxies append theirs), never a value the client chose."""
    proxies = getattr(settings, "POST_THROTTLE_NUM_PROXIES", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class PostThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = settings.POST_THROTTLE_RATE
        if rate and request.method == "POST" and not request.path.startswith(EXEMPT_PREFIXES):
            user = getattr(request, "user", None)
            if not (user and user.is_authenticated and user.is_staff):
                window = int(time.time() // 60)
                key = f"post-throttle:{client_address(request)}:{window}"
                cache.add(key, 0, 90)
                try:
                    count = cache.incr(key)
                except ValueError:  # evicted between add and incr
                    cache.set(key, 1, 90)
                    count = 1
                if count > rate:
                    wait = 60 - int(time.time()) % 60
                    response = render(
                        request, "throttled.html",
                        {"message": _("Too many submissions from your address. Please try again in %(seconds)s seconds.")
                         % {"seconds": wait}},
                        status=429,
                    )
                    response["Retry-After"] = str(wait)
                    return response
        return self.get_response(request)
