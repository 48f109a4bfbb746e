"""Shared parts of the read-only JSON API: pagination, throttles and the base view.

The API is data, not pages: every name comes in both languages (`*_fa`, `*_en`), and only
messages (errors, the anonymous buyer's label) follow the caller's Accept-Language, Persian
by default."""

import math

from django.core.paginator import Paginator
from django.utils import translation
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class PagePagination(PageNumberPagination):
    """?page=N&page_size=M: 20 rows by default, at most 100. A page past the end is a 404."""

    page_size_query_param = "page_size"
    max_page_size = 100


class _KnownCountPaginator(Paginator):
    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count  # overrides the cached property: no separate COUNT query


class TotalsPagination(PagePagination):
    """Pagination for a list whose count and sum come from one aggregate query (the view's
    `totals(queryset)`), like the catalogue page: the response carries the totals of the whole
    filtered set, and the paginator does not count again."""

    totals_fields: tuple[str, ...] = ()

    def paginate_queryset(self, queryset, request, view=None):
        self.totals = view.totals(queryset)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, queryset, per_page):
        return _KnownCountPaginator(queryset, per_page, count=self.totals["count"])

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "totals": {key: value for key, value in self.totals.items() if key != "count"},
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["totals"] = {
            "type": "object",
            "properties": {name: {"type": "number"} for name in self.totals_fields},
        }
        return response


class _RateFromSettings:
    # DRF copies the rates into a class attribute when it is imported; reading them per
    # request lets an operator's (or a test's) settings change take effect.
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    pass


class UserThrottle(_RateFromSettings, UserRateThrottle):
    pass


# DRF imports the classes above while it builds its own view classes: this module must not
# import rest_framework.views or .generics (a circular import), hence a mixin below.
class PublicReadView:
    """Mixin of the public API views: read-only, open to everyone, messages in the caller's
    language (Accept-Language; Persian when absent). /api/ sits outside the /en/ prefix, so
    the locale middleware alone would always answer in Persian."""

    http_method_names = ["get", "head", "options"]

    def initial(self, request, *args, **kwargs):
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def throttled(self, request, wait):
        # DRF's message carries the wait in ASCII digits; Persian readers get Persian ones.
        from core.formats import digits

        error = exceptions.Throttled(math.ceil(wait) if wait is not None else None)
        error.detail = ErrorDetail(digits(str(error.detail)), code=error.detail.code)
        raise error
