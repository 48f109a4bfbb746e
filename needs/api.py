"""The public catalogue as JSON: /api/needs/ and /api/needs/<id>/.

Same rows, same filters and same anonymity rule as the catalogue pages: the rows come from
needs.selectors.public_needs(), the filters are needs.filters.NeedFilter, and the buyer is
named by the need itself (Need.public_buyer_label). A bad filter value is a 400 naming the field."""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from core.api import PublicReadView, TotalsPagination
from needs.filters import SORTS, NeedFilter
from needs.models import PUBLIC_STATUSES, Need
from needs.selectors import need_detail, need_totals, public_needs


class NamedRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name_fa = serializers.CharField()
    name_en = serializers.CharField()


class BuyerSerializer(serializers.Serializer):
    anonymous = serializers.BooleanField()
    name_fa = serializers.CharField(help_text="The company's name, or 'a manufacturer in <province>' when anonymous.")
    name_en = serializers.CharField()


class ShelfPlaceSerializer(serializers.Serializer):
    exhibition = serializers.SlugField(help_text="Slug of the exhibition holding the sample.")
    shelf = serializers.CharField(help_text="The shelf code as painted on the shelf.")
    position = serializers.IntegerField()


class PhotoSerializer(serializers.Serializer):
    url = serializers.URLField()
    thumbnail_url = serializers.URLField()
    caption = serializers.CharField()


def buyer_of(need: Need) -> dict:
    """The buyer as the public sees it, in both languages. Anonymous buyers are only "a
    manufacturer in <province>": no name and no identifier leave the server."""
    names = {}
    for language in ("fa", "en"):
        with translation.override(language):
            names[f"name_{language}"] = need.public_buyer_label()
    return {"anonymous": need.is_anonymous, **names}


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


class NeedSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    sector = serializers.SerializerMethodField()
    province = serializers.SerializerMethodField()
    buyer = serializers.SerializerMethodField()
    shelf_place = serializers.SerializerMethodField()
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Need
        fields = [
            "id", "url", "title", "title_en", "sector", "province", "hs_code", "annual_quantity", "unit",
            "annual_fx_usd", "origin_country", "status", "buyer", "shelf_place", "photo", "created_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, need) -> str:
        return _absolute(self.context.get("request"), reverse("api:need-detail", args=[need.pk]))

    @extend_schema_field(NamedRefSerializer)
    def get_sector(self, need):
        return {"slug": need.sector.slug, "name_fa": need.sector.name_fa, "name_en": need.sector.name_en}

    @extend_schema_field(NamedRefSerializer)
    def get_province(self, need):
        return {"slug": need.province.slug, "name_fa": need.province.name_fa, "name_en": need.province.name_en}

    @extend_schema_field(BuyerSerializer)
    def get_buyer(self, need):
        return buyer_of(need)

    @extend_schema_field(ShelfPlaceSerializer(allow_null=True))
    def get_shelf_place(self, need):
        if not need.shelf_id:
            return None
        return {"exhibition": need.exhibition.slug, "shelf": need.shelf.code, "position": need.shelf_position}

    def _photos(self, need) -> list[dict]:
        request = self.context.get("request")
        return [
            {
                "url": _absolute(request, photo.image.url),
                "thumbnail_url": _absolute(request, (photo.thumbnail or photo.image).url),
                "caption": photo.caption,
            }
            for photo in need.photos.all()  # prefetched, primary first
        ]

    @extend_schema_field(PhotoSerializer(allow_null=True))
    def get_photo(self, need):
        photos = self._photos(need)
        return photos[0] if photos else None


class NeedDetailSerializer(NeedSerializer):
    photos = serializers.SerializerMethodField()

    class Meta(NeedSerializer.Meta):
        fields = [*NeedSerializer.Meta.fields, "description", "description_en", "photos"]

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, need):
        return self._photos(need)


class NeedFilterBackend(DjangoFilterBackend):
    """NeedFilter, told the caller's language (sorting by title uses the English title in
    English). Invalid values raise a 400 with the errors by field."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "language": translation.get_language()}

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        # The pages say "showing all" for an unknown choice, because they drop that filter;
        # the API refuses the request instead, so it says what a valid choice is.
        for field in filterset.form.fields.values():
            if "invalid_choice" in field.error_messages:
                field.error_messages["invalid_choice"] = forms.ChoiceField.default_error_messages["invalid_choice"]
        return filterset


class NeedPagination(TotalsPagination):
    totals_fields = ("annual_fx_usd",)


_FILTER_DOCS = [
    OpenApiParameter("q", str, description="Words that must all appear (Persian normalised: ی/ي, ک/ك, digits)."),
    OpenApiParameter("province", str, description="Province slug, e.g. isfahan."),
    OpenApiParameter("sector", str, description="Sector slug, e.g. auto-parts."),
    OpenApiParameter("exhibition", str, description="Slug of an open exhibition."),
    OpenApiParameter("hs", str, description="Start of an HS code, 2 to 10 digits."),
    OpenApiParameter("fx_min", float, description="Annual FX at least this many US dollars."),
    OpenApiParameter("fx_max", float, description="Annual FX at most this many US dollars."),
    OpenApiParameter("status", str, enum=[str(s) for s in PUBLIC_STATUSES]),
    OpenApiParameter("sort", str, enum=list(SORTS), description="Default -fx (largest FX first)."),
]


@extend_schema_view(get=extend_schema(parameters=_FILTER_DOCS, summary="The public needs catalogue"))
class NeedListAPI(PublicReadView, ListAPIView):
    """Needs on display with consent, filtered like /needs/, largest annual FX first.

    `totals` gives the annual FX of the whole filtered set; anonymous buyers are named only
    as a manufacturer in their province. A bad filter value is a 400 with the field errors."""

    serializer_class = NeedSerializer
    filter_backends = [NeedFilterBackend]
    filterset_class = NeedFilter
    pagination_class = NeedPagination

    def get_queryset(self):
        return public_needs()

    def totals(self, queryset) -> dict:
        return need_totals(queryset)


@extend_schema_view(get=extend_schema(summary="One public need with its photos"))
class NeedDetailAPI(PublicReadView, RetrieveAPIView):
    """One public need with its description and photos; 404 for a need the public may not see."""

    serializer_class = NeedDetailSerializer
    queryset = Need.objects.none()  # for the schema's path parameter; the row comes from need_detail

    def get_object(self):
        # Anything the public may not see (not on display, no consent) is a 404, as on the site.
        try:
            return need_detail(pk=self.kwargs["pk"])
        except Need.DoesNotExist:
            raise Http404 from None
