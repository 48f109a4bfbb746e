from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.models import Sector
from core.api import DETAIL_ERRORS, RETRY_AFTER, PublicReadView, error_responses
from core.formats import jalali_month_names
from core.public_cache import cached_for_version, public_page
from exhibitions.models import Exhibition
from matchmaking.selectors import with_matchmaking_figures
from needs.selectors import featured_needs, headline_figures, programme_figures
from tours.selectors import tour_figures


def _jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def _build_site_figures() -> dict:
    """Seven queries whatever the data size (four for the programme, one for the FX saved,
    two for the tours): with the data-version query, the request that rebuilds the figures
    stays within a public page's budget of eight (tests/portal/test_stats_queries.py)."""
    figures = with_matchmaking_figures(programme_figures())
    figures["tours"] = tour_figures()
    return figures


def site_figures(request) -> dict:
    """Everything /api/stats/ publishes and /stats/ draws: one dict, built once per data
    version (see core.public_cache), so the page and the API always show the same figures."""
    return cached_for_version(request, "figures", _build_site_figures)


# The schema of /api/stats/ (drf-spectacular reads these; the view sends site_figures() as is).
class _MatchmakingFiguresSerializer(serializers.Serializer):
    declarations = serializers.IntegerField()
    meetings = serializers.IntegerField(help_text="Meetings held: confirmed and ended.")
    contracts_signed = serializers.IntegerField()
    contract_value_rials = serializers.IntegerField()


class _ProvinceFiguresSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name_fa = serializers.CharField()
    name_en = serializers.CharField()
    map_col = serializers.IntegerField()
    map_row = serializers.IntegerField()
    exhibition_status = serializers.ChoiceField(Exhibition.Status.choices, allow_null=True)
    pilot = serializers.BooleanField()
    opened_on = serializers.DateField(allow_null=True)
    needs = serializers.IntegerField()
    annual_fx_usd = serializers.FloatField()
    fx_saved_usd = serializers.FloatField(help_text="FX saved by the needs of this row (see fx_saved).")


class _SectorFiguresSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name_fa = serializers.CharField()
    name_en = serializers.CharField()
    colour = serializers.CharField()
    needs = serializers.IntegerField()
    annual_fx_usd = serializers.FloatField()
    fx_saved_usd = serializers.FloatField(help_text="FX saved by the needs of this row (see fx_saved).")


class _FxSavedMonthSerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="A Jalali month, YYYY-MM (1405-01 is Farvardin 1405).")
    usd = serializers.FloatField()


class _FxSavedSerializer(serializers.Serializer):
    total_usd = serializers.FloatField(
        help_text="The annual FX of the needs signed contracts cover; a need counts once, in the month of its "
                  "first contract."
    )
    contracts = serializers.IntegerField(help_text="Contracts signed.")
    contract_value_rials = serializers.IntegerField()
    contract_value_usd = serializers.FloatField(
        help_text="Each contract's value converted at the exchange rate of its signing date."
    )
    contracts_without_rate = serializers.IntegerField(
        help_text="Contracts signed before the first exchange rate: left out of contract_value_usd."
    )
    by_month = _FxSavedMonthSerializer(many=True, help_text="In time order; months between without FX saved are 0.")


class _TourProvinceFiguresSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name_fa = serializers.CharField()
    name_en = serializers.CharField()
    tours_held = serializers.IntegerField()
    attendees = serializers.IntegerField()
    companies = serializers.IntegerField()


class _TourExhibitionFiguresSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title_fa = serializers.CharField()
    title_en = serializers.CharField()
    province = serializers.SlugField()
    tours_held = serializers.IntegerField()
    attendees = serializers.IntegerField()
    companies = serializers.IntegerField()


class _TourFiguresSerializer(serializers.Serializer):
    tours_held = serializers.IntegerField()
    tours_upcoming = serializers.IntegerField()
    tour_attendees = serializers.IntegerField()
    tour_companies = serializers.IntegerField()
    tours_by_province = _TourProvinceFiguresSerializer(many=True)
    tours_by_exhibition = _TourExhibitionFiguresSerializer(many=True)


class StatsSerializer(serializers.Serializer):
    provinces = serializers.IntegerField()
    provinces_with_open_exhibitions = serializers.IntegerField()
    needs = serializers.IntegerField()
    needs_on_display = serializers.IntegerField()
    needs_contracted = serializers.IntegerField()
    buyer_companies = serializers.IntegerField()
    supplier_companies = serializers.IntegerField()
    annual_fx_usd = serializers.FloatField()
    matchmaking = _MatchmakingFiguresSerializer()
    by_province = _ProvinceFiguresSerializer(many=True)
    by_sector = _SectorFiguresSerializer(many=True)
    fx_saved = _FxSavedSerializer()
    tours = _TourFiguresSerializer()


@extend_schema(
    summary="The programme's figures, as /stats/ draws them",
    parameters=[RETRY_AFTER],
    responses={200: StatsSerializer, **error_responses(*DETAIL_ERRORS)},
)
class StatsAPI(PublicReadView, APIView):
    """The headline figures and their breakdowns by province, sector and exhibition."""

    def get(self, request):
        return Response(_jsonable(site_figures(request._request)))


api_stats = StatsAPI.as_view()


@never_cache
@require_GET
def healthz(request):
    """Liveness by default: the process answers (no database or cache asked, so a database
    blip never gets healthy processes restarted). With `?ready=1`, readiness for a load
    balancer: 503 while the database does not answer. The shared cache is reported but does
    not decide: without it pages are built uncached (core/cache.py), and every node shares
    the one Redis, so taking nodes out for it would take the whole site down."""
    if not request.GET.get("ready"):
        return JsonResponse({"status": "ok"})
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any database failure means "not ready"
        checks["database"] = exc.__class__.__name__
    try:
        if hasattr(cache, "ping"):  # core.cache.ResilientRedisCache would otherwise answer as a miss
            cache.ping()
        cache.set("healthz:probe", "1", 10)
        checks["cache"] = "ok" if cache.get("healthz:probe") == "1" else "unreadable"
    except Exception as exc:  # an unreachable Redis raises
        checks["cache"] = exc.__class__.__name__
    ready = checks["database"] == "ok"
    status = "ok" if ready and checks["cache"] == "ok" else "degraded" if ready else "error"
    return JsonResponse({"status": status, **checks}, status=200 if ready else 503)


@public_page
def home(request):
    return render(
        request,
        "home.html",
        {"figures": headline_figures(), "featured": featured_needs(limit=8), "sectors": Sector.objects.all()},
    )


@public_page
def stats(request):
    """The figures of /api/stats/, drawn: the same selector, so the two always agree."""
    figures = site_figures(request)
    by_province = figures["by_province"]
    fx_months = [row | jalali_month_names(row["month"]) for row in figures["fx_saved"]["by_month"]]
    return render(
        request,
        "stats.html",
        {
            "figures": figures,
            "provinces_with_needs": sorted(
                (row for row in by_province if row["needs"]), key=lambda row: row["annual_fx_usd"], reverse=True
            ),
            "fx_months": fx_months,
            "openings": sorted(
                (row for row in by_province if row["opened_on"] and row["exhibition_status"] == "open"),
                key=lambda row: (row["opened_on"], row["slug"]),
            ),
        },
    )
