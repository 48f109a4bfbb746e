from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from companies.models import Company, Sector
from exhibitions.models import Exhibition, Province
from needs.models import Need, NeedPhoto, NeedStatus

# The order in which a province's exhibitions count: a province with several exhibitions
# reports its most advanced one.
EXHIBITION_STATUS_RANK = ["closed", "planned", "equipping", "open"]


def counted_needs():
    """The needs the programme reports: every identified need that was not withdrawn."""
    return Need.objects.exclude(status=NeedStatus.WITHDRAWN)


def _not_withdrawn(prefix: str) -> Q:
    return ~Q(**{f"{prefix}status": NeedStatus.WITHDRAWN})


# --- the public catalogue --------------------------------------------------------------
def _photos_prefetch(prefix: str = "") -> Prefetch:
    # All photos of the rows on the page, primary first; one query whatever the page size.
    return Prefetch(f"{prefix}photos", queryset=NeedPhoto.objects.order_by("-is_primary", "order", "id"))


def public_needs() -> QuerySet[Need]:
    """Needs the public may see, with what a card shows, in a fixed number of queries."""
    return (
        Need.objects.public()
        .select_related("sector", "province", "buyer", "exhibition", "shelf")
        .prefetch_related(_photos_prefetch())
    )


def need_list(*, filters=None, language: str = "fa"):
    """The catalogue: the public needs filtered by `filters` (a QueryDict).

    Returns the FilterSet; its `.qs` holds the rows and its form the field errors. A bad
    value in one field leaves that field unfiltered and reports an error on it."""
    from needs.filters import NeedFilter

    return NeedFilter(filters, queryset=public_needs(), language=language)


def need_totals(queryset: QuerySet[Need]) -> dict:
    """How many needs a (filtered) queryset holds and their annual FX, in one query."""
    totals = queryset.order_by().aggregate(count=Count("id"), annual_fx_usd=Sum("annual_fx_usd"))
    return {"count": totals["count"], "annual_fx_usd": totals["annual_fx_usd"] or Decimal(0)}


def need_detail(*, pk: int) -> Need:
    """One public need with its photos; Need.DoesNotExist for anything the public may not see."""
    return public_needs().select_related("exhibition__town", "shelf").get(pk=pk)


def related_needs(*, need: Need, limit: int = 4) -> list[Need]:
    """Other public needs a supplier of this one could also make: same HS heading first,
    then the same sector, the larger FX first."""
    heading = need.hs_code[:4]
    return list(
        public_needs()
        .filter(Q(sector_id=need.sector_id) | Q(hs_code__startswith=heading))
        .exclude(pk=need.pk)
        .order_by("-annual_fx_usd", "-id")[:limit]
    )


def featured_needs(*, limit: int = 8) -> list[Need]:
    """The largest needs on display, for the home page."""
    return list(public_needs().order_by("-annual_fx_usd", "-id")[:limit])


# --- the programme's figures -----------------------------------------------------------
def _exhibition_status_by_province() -> dict[int, dict]:
    """Each province's most advanced exhibition: status, pilot flag and opening date (one query)."""
    by_province: dict[int, dict] = {}
    rows = Exhibition.objects.order_by().values_list("province", "status", "is_pilot", "opened_on")
    for province_id, status, is_pilot, opened_on in rows:
        rank = EXHIBITION_STATUS_RANK.index(status)
        current = by_province.get(province_id)
        if current is None or rank > current["rank"]:
            by_province[province_id] = {"rank": rank, "status": status, "pilot": is_pilot, "opened_on": opened_on}
        if is_pilot:
            by_province[province_id]["pilot"] = True
    return by_province


def headline_figures(*, exhibition_status: dict[int, dict] | None = None) -> dict:
    """The four headline figures (open provinces, needs, participating companies, annual FX)
    and the needs on display and contracted, in two queries."""
    if exhibition_status is None:
        exhibition_status = _exhibition_status_by_province()
    totals = counted_needs().aggregate(
        needs=Count("id"),
        buyer_companies=Count("buyer", distinct=True),
        annual_fx_usd=Sum("annual_fx_usd"),
        on_display=Count("id", filter=Q(status__in=[NeedStatus.ON_DISPLAY, NeedStatus.IN_TALKS])),
        contracted=Count("id", filter=Q(status=NeedStatus.CONTRACTED)),
    )
    return {
        "provinces_with_open_exhibitions": sum(1 for row in exhibition_status.values() if row["status"] == "open"),
        "needs": totals["needs"],
        "needs_on_display": totals["on_display"],
        "needs_contracted": totals["contracted"],
        "buyer_companies": totals["buyer_companies"],
        "annual_fx_usd": totals["annual_fx_usd"] or Decimal(0),
    }


def matchmaking_figures() -> dict:
    """Readiness declarations, meetings and signed contracts, in one query.

    needs sits below matchmaking and never imports it: the figures are read through the
    reverse relations of Need (interests -> meetings -> outcome)."""
    if not apps.is_installed("matchmaking"):
        return {"declarations": 0, "meetings": 0, "contracts_signed": 0, "contract_value_rials": 0}
    signed = Q(interests__meetings__outcome__result="contract_signed")
    row = Need.objects.order_by().aggregate(
        declarations=Count("interests", distinct=True, filter=~Q(interests__status="withdrawn")),
        meetings=Count(
            "interests__meetings", distinct=True, filter=Q(interests__meetings__status__in=["confirmed"])
        ),
        contracts_signed=Count("interests__meetings__outcome", distinct=True, filter=signed),
        contract_value_rials=Sum("interests__meetings__outcome__contract_value_rials", filter=signed),
    )
    row["contract_value_rials"] = row["contract_value_rials"] or 0
    return row


def programme_figures() -> dict:
    """The headline figures and their breakdowns by province and by sector.

    A fixed number of queries whatever the data size (six): the totals, the exhibitions,
    the suppliers, one grouped query per breakdown and the matchmaking figures."""
    exhibition_status = _exhibition_status_by_province()
    headline = headline_figures(exhibition_status=exhibition_status)
    suppliers = Company.objects.suppliers().count()

    counted = _not_withdrawn("needs__")
    provinces = Province.objects.order_by("slug").annotate(
        need_count=Count("needs", filter=counted), fx=Sum("needs__annual_fx_usd", filter=counted)
    )
    by_province = []
    for province in provinces:
        status = exhibition_status.get(province.pk)
        by_province.append(
            {
                "slug": province.slug,
                "name_fa": province.name_fa,
                "name_en": province.name_en,
                "map_col": province.map_col,
                "map_row": province.map_row,
                "exhibition_status": status["status"] if status else None,
                "pilot": bool(status and status["pilot"]),
                "opened_on": status["opened_on"] if status else None,
                "needs": province.need_count,
                "annual_fx_usd": province.fx or Decimal(0),
            }
        )

    sectors = Sector.objects.annotate(
        need_count=Count("needs", filter=counted), fx=Sum("needs__annual_fx_usd", filter=counted)
    )
    by_sector = [
        {
            "slug": sector.slug,
            "name_fa": sector.name_fa,
            "name_en": sector.name_en,
            "colour": sector.colour,
            "needs": sector.need_count,
            "annual_fx_usd": sector.fx or Decimal(0),
        }
        for sector in sectors
    ]
    return {
        "provinces": len(by_province),
        "provinces_with_open_exhibitions": headline["provinces_with_open_exhibitions"],
        "needs": headline["needs"],
        "needs_on_display": headline["needs_on_display"],
        "needs_contracted": headline["needs_contracted"],
        "buyer_companies": headline["buyer_companies"],
        "supplier_companies": suppliers,
        "annual_fx_usd": headline["annual_fx_usd"],
        "matchmaking": matchmaking_figures(),
        "by_province": by_province,
        "by_sector": by_sector,
    }

