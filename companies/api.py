"""A verified supplier's public profile as JSON: /api/companies/<id>/ (mounted by
portal.api_urls). The same rows as the supplier page (companies.selectors.public_supplier):
products with their HS codes and photo, certificates (expired ones marked), production
capacity and machinery. Contact details are the company's own, as on its page."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView

from companies.models import Certificate, Company, Product
from companies.selectors import public_supplier
from core.api import DETAIL_ERRORS, RETRY_AFTER, PublicReadView, error_responses


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


class ProductSerializer(serializers.ModelSerializer):
    hs_codes = serializers.SerializerMethodField()
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["name_fa", "name_en", "hs_codes", "photo_url"]

    def get_hs_codes(self, product) -> list[str]:
        return [row.code for row in product.hs_codes.all()]  # prefetched

    @extend_schema_field(OpenApiTypes.URI)
    def get_photo_url(self, product) -> str | None:
        return _absolute(self.context.get("request"), product.photo.url) if product.photo else None


class CertificateSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["kind", "kind_label", "title", "number", "issuer", "expires_on", "expired", "file_url"]

    def get_kind_label(self, certificate) -> str:
        return certificate.label

    def get_expired(self, certificate) -> bool:
        return certificate.is_expired(self.context.get("today"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_file_url(self, certificate) -> str | None:
        return _absolute(self.context.get("request"), certificate.file.url) if certificate.file else None


class SupplierSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    products = ProductSerializer(many=True, read_only=True)
    certificates = CertificateSerializer(many=True, read_only=True)
    # A plain string: "" when the company gave none (a URLField's schema would allow "" twice).
    website = serializers.CharField(read_only=True, help_text="The company's website, or an empty string.")

    class Meta:
        model = Company
        fields = [
            "id", "name_fa", "name_en", "province", "sectors", "capabilities", "production_capacity", "machinery",
            "website", "products", "certificates",
        ]


@extend_schema_view(
    get=extend_schema(
        parameters=[RETRY_AFTER],
        responses={200: SupplierSerializer, **error_responses(*DETAIL_ERRORS)},
        summary="One verified supplier's capability profile",
    )
)
class SupplierDetailAPI(PublicReadView, RetrieveAPIView):
    """A verified domestic supplier with its products (HS codes), certificates (expired ones
    marked) and production capacity; 404 for any other company, as on the site."""

    serializer_class = SupplierSerializer
    queryset = Company.objects.none()  # for the schema's path parameter

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_object(self):
        try:
            return public_supplier(self.kwargs["pk"])
        except Company.DoesNotExist:
            raise Http404 from None
