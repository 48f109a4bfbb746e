"""Exhibitions as JSON: /api/exhibitions/ and /api/exhibitions/<slug>/.

Every exhibition is public (planned, equipping, open or closed), as on /exhibitions/. The
count of needs on display uses Need's own "public" rule, reached through the reverse
relation: exhibitions sits below needs and never imports it. A bad filter value is a 400
naming the field; the schema declares each filter as it is read (core.api.QueryParam)."""

import django_filters
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
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
from exhibitions.models import Exhibition, Province


def public_exhibitions():
    """Exhibitions with their province and town and the number of needs on display, in one
    query whatever the number of rows."""
    need_model = Exhibition.needs.rel.related_model
    on_display = (
        need_model.objects.public().filter(exhibition=OuterRef("pk")).order_by()
        .values("exhibition").annotate(n=Count("id")).values("n")
    )
    return (
        Exhibition.objects.select_related("province", "town")
        .annotate(needs_on_display=Coalesce(Subquery(on_display, output_field=IntegerField()), Value(0)))
        .order_by("province__slug", "slug")
    )


def _province_slugs():
    return Province.objects.order_by("slug").values_list("slug", flat=True)


class ExhibitionFilter(django_filters.FilterSet):
    # Choices as a callable: read (one query) only when the filter is given.
    province = django_filters.ChoiceFilter(
        field_name="province__slug", choices=lambda: [(slug, slug) for slug in _province_slugs()],
    )
    status = django_filters.ChoiceFilter(choices=Exhibition.Status.choices)
    pilot = django_filters.BooleanFilter(field_name="is_pilot")

    class Meta:
        model = Exhibition
        fields: list[str] = []


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,6})?$",
        "example": "08:00:00",
        "description": "Local time in Tehran (Asia/Tehran), HH:MM:SS. Not OpenAPI's `format: time`, "
        "which is RFC 3339's and needs a UTC offset.",
    }
)
class LocalTimeField(serializers.TimeField):
    pass


class ExhibitionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    needs_url = serializers.SerializerMethodField()
    province = serializers.SerializerMethodField()
    town = serializers.SerializerMethodField()
    needs_on_display = serializers.IntegerField(read_only=True)
    opens_at = LocalTimeField(read_only=True)
    closes_at = LocalTimeField(read_only=True)

    class Meta:
        model = Exhibition
        fields = [
            "slug", "url", "title_fa", "title_en", "province", "town", "venue_fa", "venue_en", "address_fa",
            "address_en", "opening_hours_fa", "opening_hours_en", "opens_at", "closes_at", "status", "opened_on",
            "is_pilot", "visitor_capacity", "phone", "needs_on_display", "needs_url",
        ]

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, exhibition) -> str:
        return self._absolute(reverse("api:exhibition-detail", args=[exhibition.slug]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_needs_url(self, exhibition) -> str:
        """The catalogue filtered to this exhibition (only open exhibitions show samples)."""
        return self._absolute(f"{reverse('api:need-list')}?exhibition={exhibition.slug}")

    @extend_schema_field({"type": "object", "properties": {k: {"type": "string"} for k in ("slug", "name_fa", "name_en")}})
    def get_province(self, exhibition):
        p = exhibition.province
        return {"slug": p.slug, "name_fa": p.name_fa, "name_en": p.name_en}

    @extend_schema_field({"type": "object", "properties": {k: {"type": "string"} for k in ("name_fa", "name_en")}})
    def get_town(self, exhibition):
        return {"name_fa": exhibition.town.name_fa, "name_en": exhibition.town.name_en}


EXHIBITION_QUERY = (
    QueryParam("province", choices=_province_slugs, description="Province slug, e.g. qom."),
    QueryParam("status", choices=Exhibition.Status.values),
    QueryParam("pilot", "boolean", description="true: only the pilot provinces' exhibitions; false: only the others."),
)


@extend_schema_view(
    get=extend_schema(
        parameters=[*(param.openapi() for param in EXHIBITION_QUERY), RETRY_AFTER],
        responses={200: ExhibitionSerializer(many=True), **error_responses(*LIST_ERRORS)},
        summary="Every exhibition, with its status and needs on display",
    )
)
class ExhibitionListAPI(PublicReadView, ListAPIView):
    """Every exhibition (planned, equipping, open or closed) by province, with its needs on display."""

    serializer_class = ExhibitionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ExhibitionFilter
    query_parameters = EXHIBITION_QUERY

    def choice_errors(self, request) -> dict:
        filterset = ExhibitionFilter(request.query_params, queryset=Exhibition.objects.none())
        return {} if filterset.is_valid() else translate_validation(filterset.errors).detail

    def get_queryset(self):
        return public_exhibitions()


@extend_schema_view(
    get=extend_schema(
        parameters=[
            # As the URL reads it (<slug:slug>): anything else never reaches the view (a JSON 404).
            OpenApiParameter("slug", {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}, OpenApiParameter.PATH),
            RETRY_AFTER,
        ],
        responses={200: ExhibitionSerializer, **error_responses(*DETAIL_ERRORS)},
        summary="One exhibition",
    )
)
class ExhibitionDetailAPI(PublicReadView, RetrieveAPIView):
    """One exhibition by its slug; `needs_url` lists its samples."""

    serializer_class = ExhibitionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return public_exhibitions()
