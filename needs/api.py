"""The public catalogue as JSON: /api/needs/ and /api/needs/<id>/.

Same rows, same filters and same anonymity rule as the catalogue pages: the rows come from
needs.selectors.public_needs(), the filters are needs.filters.NeedFilter, and the buyer is
named by the need itself (Need.public_buyer_label). A bad filter value is a 400 naming the field:
the schema declares each filter's form (needs.filters' patterns) and choices (the filter set's
own), and core.api.QueryParam refuses what the schema does not admit."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
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
    TotalsPagination,
    error_responses,
)
from needs.filters import (
    AMOUNT_MESSAGE,
    AMOUNT_PATTERN,
    HS_PREFIX_MESSAGE,
    HS_PREFIX_PATTERN,
    SORTS,
    NeedFilter,
    NeedFilterForm,
)
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


class _BoundsAsGivenForm(NeedFilterForm):
    """Each FX bound applies as given. A lower bound above the upper one admits no amount,
    so the answer is an empty list: both values are valid, as the schema says, and a schema
    cannot declare two valid values invalid together. (The catalogue page says which bound
    is wrong instead.)"""

    def clean(self):
        return forms.Form.clean(self)


class NeedAPIFilter(NeedFilter):
    class Meta(NeedFilter.Meta):
        form = _BoundsAsGivenForm


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
        view.need_filterset = filterset  # its values tell the totals whether the rollup answers
        return filterset


class NeedPagination(TotalsPagination):
    totals_fields = ("annual_fx_usd",)


def _filter_choices(name: str):
    """The values NeedFilter accepts for a choice filter (slugs of provinces, sectors, open
    exhibitions): the schema's enum, drawn when the schema is generated."""
    return lambda: [value for value, _label in NeedFilter(language="en").form.fields[name].choices if value != ""]


NEED_QUERY = (
    QueryParam(
        "q", pattern="[^\\x00]+", message=ProhibitNullCharactersValidator.message,
        description="Words that must all appear (Persian normalised: ی/ي, ک/ك, digits).",
    ),
    QueryParam("province", choices=_filter_choices("province"), description="Province slug, e.g. isfahan."),
    QueryParam("sector", choices=_filter_choices("sector"), description="Sector slug, e.g. auto-parts."),
    QueryParam("exhibition", choices=_filter_choices("exhibition"), description="Slug of an open exhibition."),
    QueryParam(
        "hs", pattern=HS_PREFIX_PATTERN, message=HS_PREFIX_MESSAGE,
        description="Start of an HS code: 2 to 10 digits (any digits; spaces, dots and hyphens ignored), e.g. 8708.",
    ),
    QueryParam(
        "fx_min", pattern=AMOUNT_PATTERN, message=AMOUNT_MESSAGE,
        description="Annual FX at least this many US dollars: up to 12 whole digits (any digits, "
        "thousands separated by , or ٬) and 2 decimals (. or ٫), e.g. 1000000 or ۱٬۰۰۰٬۰۰۰.",
    ),
    QueryParam(
        "fx_max", pattern=AMOUNT_PATTERN, message=AMOUNT_MESSAGE,
        description="Annual FX at most this many US dollars, written as fx_min. Below fx_min, nothing is found.",
    ),
    QueryParam("status", choices=[str(s) for s in PUBLIC_STATUSES]),
    QueryParam("sort", choices=list(SORTS), description="Default -fx (largest FX first)."),
)


@extend_schema_view(
    get=extend_schema(
        parameters=[*(param.openapi() for param in NEED_QUERY), RETRY_AFTER],
        responses={200: NeedSerializer(many=True), **error_responses(*LIST_ERRORS)},
        summary="The public needs catalogue",
    )
)
class NeedListAPI(PublicReadView, ListAPIView):
    """Needs on display with consent, filtered like /needs/, largest annual FX first.

    `totals` gives the annual FX of the whole filtered set; anonymous buyers are named only
    as a manufacturer in their province. A bad filter value is a 400 with the field errors."""

    serializer_class = NeedSerializer
    filter_backends = [NeedFilterBackend]
    filterset_class = NeedAPIFilter
    pagination_class = NeedPagination
    query_parameters = NEED_QUERY

    def get_queryset(self):
        return public_needs()

    def choice_errors(self, request) -> dict:
        filterset = NeedFilterBackend().get_filterset(request, Need.objects.none(), self)
        return {} if filterset.is_valid() else translate_validation(filterset.errors).detail

    def totals(self, queryset) -> dict:
        # The filter set that filtered `queryset` (NeedFilterBackend keeps it on the view):
        # its values tell need_totals whether the rollup answers.
        filterset = getattr(self, "need_filterset", None)
        valid = filterset is not None and filterset.is_valid()
        return need_totals(queryset, filters=filterset.form.cleaned_data if valid else None)


@extend_schema_view(
    get=extend_schema(
        parameters=[RETRY_AFTER],
        responses={200: NeedDetailSerializer, **error_responses(*DETAIL_ERRORS)},
        summary="One public need with its photos",
    )
)
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
