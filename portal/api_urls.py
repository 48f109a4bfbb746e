"""URLs of the read-only JSON API, mounted at /api/ (outside the /en/ prefix: the data carry
both languages). /api/stats/ stays in portal.urls, next to /stats/ which draws the same figures."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api import PublicReadView
from companies.api import SupplierDetailAPI
from exhibitions.api import ExhibitionDetailAPI, ExhibitionListAPI
from needs.api import NeedDetailAPI, NeedListAPI
from tours.api import TourDetailAPI, TourListAPI

app_name = "api"


class SchemaAPI(PublicReadView, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; `?format=json` for JSON, `?lang=en` for English texts)."""


urlpatterns = [
    path("needs/", NeedListAPI.as_view(), name="need-list"),
    path("needs/<int:pk>/", NeedDetailAPI.as_view(), name="need-detail"),
    path("suppliers/<int:pk>/", SupplierDetailAPI.as_view(), name="supplier-detail"),
    path("exhibitions/", ExhibitionListAPI.as_view(), name="exhibition-list"),
    path("exhibitions/<slug:slug>/", ExhibitionDetailAPI.as_view(), name="exhibition-detail"),
    path("tours/", TourListAPI.as_view(), name="tour-list"),
    path("tours/<int:pk>/", TourDetailAPI.as_view(), name="tour-detail"),
    path("schema/", SchemaAPI.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
