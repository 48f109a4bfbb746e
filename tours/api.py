"""Tours as JSON: /api/tours/ and /api/tours/<id>/.

The same reads as the tour pages (tours.selectors.tour_list / tour_detail) and
the same filter form (TourFilterForm), so the API lists exactly what /tours/ lists. Who
organises a tour is shown by its organising body only: no user account leaves the server.
A bad filter value is a 400 naming the field."""

from django.http import Http404
from django.urls import reverse
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

from core.api import PublicReadView
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


_TOUR_FILTERS = [
    OpenApiParameter("province", str, description="Province slug (of an open exhibition)."),
    OpenApiParameter("exhibition", str, description="Slug of an open exhibition."),
    OpenApiParameter("sector", str, description="Sector slug."),
    OpenApiParameter("date_from", str, description="First day, Gregorian (2025-11-06) or Jalali (1404/08/15)."),
    OpenApiParameter("date_to", str, description="Last day, Gregorian or Jalali."),
    OpenApiParameter("past", bool, description="Include past and cancelled tours (default: upcoming only)."),
]


@extend_schema_view(get=extend_schema(parameters=_TOUR_FILTERS, summary="Public tours, soonest first"))
class TourListAPI(PublicReadView, ListAPIView):
    """Scheduled upcoming tours, soonest first (with `past=true`, past and cancelled ones too)."""

    serializer_class = TourSerializer

    def get_queryset(self):
        form = TourFilterForm(self.request.query_params)
        if not form.is_valid():
            raise translate_validation(form.errors)
        return selectors_tours.tour_list(filters=form.cleaned_data)


@extend_schema_view(get=extend_schema(summary="One tour"))
class TourDetailAPI(PublicReadView, RetrieveAPIView):
    """One tour, with its seats left and waiting list; a cancelled tour says why."""

    serializer_class = TourSerializer
    queryset = Tour.objects.none()  # for the schema's path parameter; rows come from tour_detail

    def get_object(self):
        try:
            return selectors_tours.tour_detail(pk=self.kwargs["pk"])
        except Tour.DoesNotExist:
            raise Http404 from None
