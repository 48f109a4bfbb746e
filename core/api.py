"""Shared parts of the read-only JSON API: query parameters, pagination, throttles, errors
and the base view.

The API is data, not pages: every name comes in both languages (`*_fa`, `*_en`), and only
messages (errors, the anonymous buyer's label) follow the caller's Accept-Language, Persian
by default.

The OpenAPI schema is the contract (schemathesis checks it: `make api-contract`). So each
query parameter is one `QueryParam` that both draws its schema and reads the request: what
the schema admits is read, anything else is a 400 naming the parameter, never a silent
fallback. Every status an operation can answer is declared (`error_responses`), and every
error under /api/ is JSON (`api_error_response`, used by portal.urls' handlers too)."""

import math
import re
from collections.abc import Callable, Iterable

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

# --- query parameters ----------------------------------------------------------------------

_WHOLE_NUMBER = re.compile(r"[0-9]+")


class _Choices:
    """An enum drawn when the schema is generated, from the same source the parser checks
    against (slugs of provinces, sectors, open exhibitions): the schema lists today's values."""

    def __init__(self, source: Callable[[], Iterable[str]]):
        self.source = source

    def _values(self) -> list[str]:
        try:
            return [str(value) for value in self.source()]
        except DatabaseError:
            # A schema generated with no database (`manage.py spectacular`, `check --deploy`
            # before the first migrate) goes without this enum rather than without a schema.
            return []

    def __iter__(self):
        return iter(self._values())

    def __bool__(self):
        return bool(self._values())


class QueryParam:
    """One query parameter: its OpenAPI declaration and its reading, from one definition.

    `kind` is "boolean" (exactly `true` or `false`), "integer" (ASCII digits, at least
    `minimum`) or "string". A string is checked against `pattern` (matched whole, as the
    schema's `^...$` is); `choices` are only declared here: the filter set or form that reads
    the value checks them, from the same source. A custom `parse` (value -> value, raising
    ValueError) goes with its own `schema`. Given twice, or empty when the schema does not
    admit the empty string, a parameter is refused too."""

    def __init__(
        self,
        name: str,
        kind: str = "string",
        *,
        description: str = "",
        pattern: str | None = None,
        choices: Iterable[str] | Callable[[], Iterable[str]] | None = None,
        minimum: int | None = None,
        schema: dict | None = None,
        parse: Callable[[str], object] | None = None,
        message=None,
    ):
        self.name = name
        self.kind = kind
        self.description = description
        self.pattern = re.compile(pattern) if pattern is not None else None
        self.choices = choices
        self.minimum = minimum
        self.schema = schema
        self.parse = parse
        self.message = message

    # the declaration
    def _schema(self) -> dict:
        if self.schema is not None:
            return dict(self.schema)
        if self.kind == "boolean":
            return {"type": "boolean"}
        if self.kind == "integer":
            return {"type": "integer", **({"minimum": self.minimum} if self.minimum is not None else {})}
        schema = {"type": "string"}
        if self.pattern is not None:
            schema["pattern"] = f"^(?:{self.pattern.pattern})$"
        elif self.choices is None:
            schema["minLength"] = 1
        return schema

    def _enum(self):
        if self.choices is None:
            return None
        return _Choices(self.choices) if callable(self.choices) else list(self.choices)

    def openapi(self) -> OpenApiParameter:
        """For extend_schema(parameters=...); the enum is drawn when the schema is generated."""
        return OpenApiParameter(self.name, self._schema(), description=self.description, enum=self._enum())

    def openapi_dict(self) -> dict:
        """The same declaration as a plain OpenAPI parameter (for a paginator's schema)."""
        schema = self._schema()
        enum = self._enum()
        if enum:
            schema["enum"] = sorted(enum)
        return {"name": self.name, "in": "query", "required": False, "description": self.description, "schema": schema}

    # the reading
    def read(self, values: list[str]):
        """The parameter's value, or a ValueError whose text is the message for the caller."""
        if len(values) > 1:
            raise ValueError(gettext("Give this parameter once."))
        [value] = values
        if self.parse is not None:
            return self.parse(value)
        if self.kind == "boolean":
            if value in ("true", "false"):
                return value == "true"
            raise ValueError(gettext("Enter true or false."))
        if self.kind == "integer":
            if _WHOLE_NUMBER.fullmatch(value) and int(value) >= (self.minimum or 0):
                return int(value)
            raise ValueError(
                gettext("Enter a whole number of at least %(minimum)s.") % {"minimum": _digits(self.minimum or 0)}
            )
        if self.pattern is not None:
            if self.pattern.fullmatch(value):
                return value
            raise ValueError(str(self.message or gettext("Enter a valid value.")))
        if value == "":
            raise ValueError(gettext("Give a value, or leave the parameter out."))
        return value


def _digits(value) -> str:
    from core.formats import digits

    return digits(str(value))


def read_query(query_params, params: Iterable[QueryParam]) -> dict:
    """The values of the declared parameters present in `query_params` (a QueryDict).
    Raises a DRF ValidationError (400) with the messages by parameter, all at once."""
    values, errors = {}, {}
    for param in params:
        given = query_params.getlist(param.name)
        if not given:
            continue
        try:
            values[param.name] = param.read(given)
        except ValueError as error:
            errors[param.name] = [str(error)]
    if errors:
        raise exceptions.ValidationError(errors)
    return values


# --- errors, as the schema declares them ----------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error but a bad parameter: 404, 405, 406, 429, 500 (and 400 outside the lists)."""

    detail = serializers.CharField(help_text="What went wrong, in the caller's language (Accept-Language; Persian by default).")


_FIELD_ERRORS = {
    "type": "object",
    "description": "The refused parameters, each with its messages (Accept-Language; Persian by default).",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"page_size": ["Enter a whole number of at least 1."]},
}

_ERROR_DESCRIPTIONS = {
    400: "A query parameter was refused: the body names each one with its messages.",
    404: "Not found: no such object, a page past the last, or no such URL under /api/.",
    406: "The Accept header asks for something other than JSON.",
    414: "The request line is longer than the web server accepts (answered by the web server, not as JSON).",
    429: "Too many requests from this caller: wait for Retry-After seconds.",
    500: "A server error.",
}


def error_responses(*codes: int) -> dict:
    """The `responses` entries of extend_schema for these error statuses."""
    responses = {}
    for code in codes:
        if code == 400:
            responses[400] = OpenApiResponse(_FIELD_ERRORS, description=_ERROR_DESCRIPTIONS[400])
        elif code == 414:
            responses[(414, "text/html")] = OpenApiResponse(OpenApiTypes.STR, description=_ERROR_DESCRIPTIONS[414])
        else:
            responses[code] = OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
    return responses


LIST_ERRORS = (400, 404, 406, 414, 429, 500)
DETAIL_ERRORS = (404, 406, 414, 429, 500)

RETRY_AFTER = OpenApiParameter(
    "Retry-After", int, OpenApiParameter.HEADER, response=[429], description="Seconds to wait before asking again."
)


def api_error_response(request, status: int) -> JsonResponse:
    """The JSON error for a request under /api/ that no API view answered (portal.urls'
    handlers): the same body and the same message, in the caller's language, as a view's."""
    detail = {
        400: exceptions.ParseError.default_detail,
        403: exceptions.PermissionDenied.default_detail,
        404: exceptions.NotFound.default_detail,
    }.get(status, exceptions.APIException.default_detail)
    with translation.override(translation.get_language_from_request(request, check_path=False)):
        return JsonResponse({"detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False})


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


# --- pagination ----------------------------------------------------------------------------


class PagePagination(PageNumberPagination):
    """?page=N&page_size=M: 20 rows by default, at most 100. A page past the end is a 404;
    a page or page size that is no whole number of at least 1 is a 400 (never page 1)."""

    page_size_query_param = "page_size"
    max_page_size = 100
    query_parameters = (
        QueryParam("page", "integer", minimum=1, description="Page number, from 1. A page past the last is a 404."),
        QueryParam(
            "page_size", "integer", minimum=1,
            description=f"Rows per page: {api_settings.PAGE_SIZE} by default; above {max_page_size} gives {max_page_size}.",
        ),
    )

    def _query(self, request) -> dict:
        return read_query(request.query_params, self.query_parameters)

    def get_page_size(self, request):
        size = self._query(request).get("page_size")
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        return self._query(request).get("page", 1)

    def get_schema_operation_parameters(self, view):
        return [param.openapi_dict() for param in self.query_parameters]


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
    """Signed-in callers only: DRF's keys an anonymous caller by address too, which cut an
    anonymous budget larger than the signed-in one down to the signed-in one."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # AnonThrottle counts anonymous callers
        return super().get_cache_key(request, view)


# DRF imports the classes above while it builds its own view classes: this module must not
# import rest_framework.views or .generics (a circular import), hence a mixin below.
class PublicReadView:
    """Mixin of the public API views: read-only, open to everyone, messages in the caller's
    language (Accept-Language; Persian when absent). /api/ sits outside the /en/ prefix, so
    the locale middleware alone would always answer in Persian.

    `query_parameters` (QueryParam) are read before anything else runs: `self.query` holds
    their values, and a refused one is a 400 by name, together with a bad page or page size."""

    http_method_names = ["get", "head", "options"]
    query_parameters: tuple[QueryParam, ...] = ()

    def initial(self, request, *args, **kwargs):
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)
        self.query = self.read_query(request)

    def read_query(self, request) -> dict:
        params = list(self.query_parameters)
        if hasattr(self, "list"):  # a detail view has a paginator too, but never pages
            params += list(getattr(self.paginator, "query_parameters", ()))
        try:
            return read_query(request.query_params, params)
        except exceptions.ValidationError as error:
            raise exceptions.ValidationError({**self.choice_errors(request), **error.detail}) from None

    def choice_errors(self, request) -> dict:
        """The errors of the values the view's filter set or form checks itself (choices), so
        that a request with a bad page size and an unknown province hears of both at once.
        Asked only when a query parameter was refused."""
        return {}

    def throttled(self, request, wait):
        # DRF's message carries the wait in ASCII digits; Persian readers get Persian ones.
        from core.formats import digits

        error = exceptions.Throttled(math.ceil(wait) if wait is not None else None)
        error.detail = ErrorDetail(digits(str(error.detail)), code=error.detail.code)
        raise error
