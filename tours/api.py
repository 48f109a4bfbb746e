"""Tours as JSON: /api/tours/ and /api/tours/<id>/.

The same reads as the tour pages (tours.selectors.tour_list / tour_detail) and
the same filter form (TourFilterForm), so the API lists exactly what /tours/ lists. Who
organises a tour is shown by its organising body only: no user account leaves the server.
A bad filter value is a 400 naming the field; the schema declares each filter as it is read
(core.api.QueryParam): the choices are the form's, the dates ISO (Gregorian) or Jalali."""

import datetime
import re

import jdatetime
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from core.api import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    RETRY_AFTER,
    PublicReadView,
    QueryParam,
    error_responses,
)
from tours import selectors as selectors_tours
from tours.forms import TourFilterForm
from tours.models import Tour


class TourSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    exhibition = serializers.SerializerMethodField()
    sectors = serializers.SerializerMethodField()
    seats_left = serializers.IntegerField(read_only=True)
    waitlisted = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tour
        fields = [
            "id", "url", "title", "exhibition", "organiser_name", "starts_at", "ends_at", "registration_deadline",
            "meeting_point", "language", "sectors", "capacity", "seats_left", "waitlisted", "status", "cancel_reason",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, tour) -> str:
        url = reverse("api:tour-detail", args=[tour.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(
        {"type": "object", "properties": {k: {"type": "string"} for k in ("slug", "title_fa", "title_en", "province")}}
    )
    def get_exhibition(self, tour):
        e = tour.exhibition
        return {"slug": e.slug, "title_fa": e.title_fa, "title_en": e.title_en, "province": e.province.slug}

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_sectors(self, tour) -> list[str]:
        return [sector.slug for sector in tour.sectors.all()]  # prefetched


# --- dates: RFC 3339 (Gregorian) with hyphens, Jalali with slashes -----------------------------
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_JALALI_YEARS = range(1300, 1500)


def _digit_class(ascii_digits: str) -> str:
    """A character class of these digits written in ASCII, Persian or Arabic-Indic (all three
    are read by core.text.normalize_digits)."""
    return "[" + "".join(f"{d}{chr(0x06F0 + int(d))}{chr(0x0660 + int(d))}" for d in ascii_digits) + "]"


def _jalali_pattern() -> str:
    """The Jalali dates of years 1300 to 1499 that exist, as year/month/day (zero-padding of
    month and day optional): 31 days in the first six months, 30 in the next five, 29 in
    Esfand, and its 30th in leap years only."""
    any_digit, zero, one, two, three = (_digit_class(d) for d in ("0123456789", "0", "1", "2", "3"))
    year = f"{one}{_digit_class('34')}{any_digit}{any_digit}"
    day29 = f"(?:{zero}?{_digit_class('123456789')}|{_digit_class('12')}{any_digit})"
    day30 = f"(?:{day29}|{three}{zero})"
    day31 = f"(?:{day29}|{three}{_digit_class('01')})"
    first_six = f"{zero}?{_digit_class('123456')}"
    next_five = f"(?:{zero}?{_digit_class('789')}|{one}{_digit_class('01')})"
    esfand = f"{one}{two}"
    leap = "|".join(
        "".join(_digit_class(d) for d in str(y)) for y in _JALALI_YEARS if jdatetime.date(y, 1, 1).isleap()
    )
    return f"(?:{year}/(?:{first_six}/{day31}|{next_five}/{day30}|{esfand}/{day29})|(?:{leap})/{esfand}/{three}{zero})"


_JALALI_DATE = re.compile(_jalali_pattern())
_JALALI_PARTS = re.compile(r"([0-9]+)/([0-9]+)/([0-9]+)")
# Tehran's offset moves the calendar's first and last days out of reach of a UTC datetime.
_FIRST_DAY, _LAST_DAY = datetime.date(1, 1, 2), datetime.date(9999, 12, 30)


def _date(value: str) -> datetime.date:
    from core.text import normalize_digits

    if _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    elif _JALALI_DATE.fullmatch(value):
        year, month, day = (int(part) for part in _JALALI_PARTS.fullmatch(normalize_digits(value)).groups())
        return jdatetime.date(year, month, day).togregorian()
    raise ValueError(
        gettext("Enter a Gregorian date as %(gregorian)s or a Jalali date as %(jalali)s.")
        % {"gregorian": "2025-11-06", "jalali": "1404/08/15"}
    )


_DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": f"^(?:{_JALALI_DATE.pattern})$"},
    ]
}


def _form_choices(name: str):
    """The slugs TourFilterForm accepts for a choice (provinces and exhibitions open now, every
    sector): the schema's enum, drawn when the schema is generated."""
    return lambda: TourFilterForm.base_fields[name].queryset.order_by("slug").values_list("slug", flat=True)


TOUR_QUERY = (
    QueryParam("province", choices=_form_choices("province"), description="Province slug (of an open exhibition)."),
    QueryParam("exhibition", choices=_form_choices("exhibition"), description="Slug of an open exhibition."),
    QueryParam("sector", choices=_form_choices("sector"), description="Sector slug."),
    QueryParam(
        "date_from", schema=_DATE_SCHEMA, parse=_date,
        description="First day: Gregorian as 2025-11-06 (RFC 3339) or Jalali as 1404/08/15 (any digits).",
    ),
    QueryParam(
        "date_to", schema=_DATE_SCHEMA, parse=_date,
        description="Last day, written as date_from. Before date_from, nothing is found.",
    ),
    QueryParam("past", "boolean", description="true: past and cancelled tours too (default: upcoming only)."),
)
_CHOICES = ("province", "exhibition", "sector")


@extend_schema_view(
    get=extend_schema(
        parameters=[*(param.openapi() for param in TOUR_QUERY), RETRY_AFTER],
        responses={200: TourSerializer(many=True), **error_responses(*LIST_ERRORS)},
        summary="Public tours, soonest first",
    )
)
class TourListAPI(PublicReadView, ListAPIView):
    """Scheduled upcoming tours, soonest first (with `past=true`, past and cancelled ones too)."""

    serializer_class = TourSerializer
    query_parameters = TOUR_QUERY

    def _choice_form(self, query_params) -> TourFilterForm:
        # The choices are checked by the tour pages' own form; the dates and `past` are read
        # by their QueryParam. A reversed range is no error: it finds nothing.
        choices = QueryDict(mutable=True)
        choices.update({name: query_params[name] for name in _CHOICES if name in query_params})
        return TourFilterForm(choices)

    def choice_errors(self, request) -> dict:
        form = self._choice_form(request.query_params)
        return {} if form.is_valid() else translate_validation(form.errors).detail

    def get_queryset(self):
        form = self._choice_form(self.query)
        if not form.is_valid():
            raise translate_validation(form.errors)
        filters = {**form.cleaned_data, "past": self.query.get("past", False)}
        if "date_from" in self.query:
            filters["date_from"] = max(self.query["date_from"], _FIRST_DAY)
        if "date_to" in self.query:
            filters["date_to"] = min(self.query["date_to"], _LAST_DAY)
        return selectors_tours.tour_list(filters=filters)


@extend_schema_view(
    get=extend_schema(
        parameters=[RETRY_AFTER],
        responses={200: TourSerializer, **error_responses(*DETAIL_ERRORS)},
        summary="One tour",
    )
)
class TourDetailAPI(PublicReadView, RetrieveAPIView):
    """One tour, with its seats left and waiting list; a cancelled tour says why."""

    serializer_class = TourSerializer
    queryset = Tour.objects.none()  # for the schema's path parameter; rows come from tour_detail

    def get_object(self):
        try:
            return selectors_tours.tour_detail(pk=self.kwargs["pk"])
        except Tour.DoesNotExist:
            raise Http404 from None
