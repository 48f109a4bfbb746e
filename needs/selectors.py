from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from companies.models import Company, Sector
from exhibitions.models import Exhibition, Province, Shelf
from needs.models import PUBLIC, Need, NeedPhoto, NeedRollup, NeedStatus

# The order in which a province's exhibitions count: a province with several exhibitions
# reports its most advanced one.
EXHIBITION_STATUS_RANK = ["closed", "planned", "equipping", "open"]


def counted_needs():
    """The needs the programme reports: every identified need that was not withdrawn."""
    return Need.objects.exclude(status=NeedStatus.WITHDRAWN)


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


# The catalogue's filters the rollup answers (NeedRollup); any other filter in use (the
# text, an HS prefix, an FX range) narrows the needs themselves, through their indexes.
ROLLUP_FILTERS = {"province", "sector", "exhibition", "status"}
IGNORED_FOR_TOTALS = {"sort"}


def need_totals(queryset: QuerySet[Need], *, filters: dict | None = None) -> dict:
    """How many needs a (filtered) queryset of public needs holds and their annual FX, in
    one query. Given the catalogue filter's cleaned values (`filters`) and none but
    province, sector, exhibition and status in use, the answer comes from NeedRollup, which
    the database keeps exact: the same cost at any number of needs."""
    in_use = {name for name, value in (filters or {}).items() if value not in (None, "") and name not in IGNORED_FOR_TOTALS}
    if filters is not None and in_use <= ROLLUP_FILTERS:
        return _rollup_totals(filters)
    totals = queryset.order_by().aggregate(count=Count("id"), annual_fx_usd=Sum("annual_fx_usd"))
    return {"count": totals["count"], "annual_fx_usd": totals["annual_fx_usd"] or Decimal(0)}


def _rollup_totals(filters: dict) -> dict:
    """The totals of the public needs (needs.models.PUBLIC, the rule of
    Need.objects.public()) in the groups the filters pick."""
    rows = NeedRollup.objects.filter(PUBLIC)
    if filters.get("province"):
        rows = rows.filter(province__slug=filters["province"])
    if filters.get("sector"):
        rows = rows.filter(sector__slug=filters["sector"])
    if filters.get("exhibition"):
        rows = rows.filter(exhibition_key__in=Exhibition.objects.filter(slug=filters["exhibition"]).values("pk"))
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    totals = rows.aggregate(count=Sum("needs"), annual_fx_usd=Sum("annual_fx_usd"))
    return {"count": totals["count"] or 0, "annual_fx_usd": totals["annual_fx_usd"] or Decimal(0)}


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
# A need under a signed contract: the matchmaking app calls its FX "localised".
_CONTRACTED = Q(status=NeedStatus.CONTRACTED)


def _fold_exhibition(by_province: dict[int, dict], province_id: int, status: str, is_pilot: bool, opened_on) -> None:
    """Add one exhibition to its province's entry: the most advanced exhibition gives the
    status and opening date; any pilot exhibition makes the province a pilot."""
    rank = EXHIBITION_STATUS_RANK.index(status)
    current = by_province.get(province_id)
    if current is None or rank > current["rank"]:
        by_province[province_id] = {"rank": rank, "status": status, "pilot": is_pilot, "opened_on": opened_on}
    if is_pilot:
        by_province[province_id]["pilot"] = True


def _exhibition_status_by_province() -> dict[int, dict]:
    """Each province's most advanced exhibition: status, pilot flag and opening date (one query)."""
    by_province: dict[int, dict] = {}
    rows = Exhibition.objects.order_by("id").values_list("province", "status", "is_pilot", "opened_on")
    for province_id, status, is_pilot, opened_on in rows:
        _fold_exhibition(by_province, province_id, status, is_pilot, opened_on)
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
        contracted=Count("id", filter=_CONTRACTED),
    )
    return {
        "provinces_with_open_exhibitions": sum(1 for row in exhibition_status.values() if row["status"] == "open"),
        "needs": totals["needs"],
        "needs_on_display": totals["on_display"],
        "needs_contracted": totals["contracted"],
        "buyer_companies": totals["buyer_companies"],
        "annual_fx_usd": totals["annual_fx_usd"] or Decimal(0),
    }


def _need_groups() -> list[dict]:
    """The counted needs grouped by province and sector: how many, their FX, how many on
    display and contracted. One query, at most 31 x 10
    rows whatever the number of needs. (Grouping the needs alone lets the database hash
    them; joining the sectors in to save their query made it sort every need instead.)"""
    return list(
        counted_needs()
        .order_by()
        .values("province", "sector")
        .annotate(
            needs_count=Count("id"),
            fx=Sum("annual_fx_usd"),
            on_display=Count("id", filter=Q(status__in=[NeedStatus.ON_DISPLAY, NeedStatus.IN_TALKS])),
            contracted=Count("id", filter=_CONTRACTED),
        )
    )


def held_meetings(path: str = "", *, now=None) -> Q:
    """The meetings that count as held: confirmed, and their end passed (an accepted meeting
    set for next week is not held yet). `path` leads from the queried model to the meeting
    ("interests__meetings__" from a company or a need, "" on the meetings themselves)."""
    return Q(**{f"{path}status": "confirmed", f"{path}ends_at__lte": now or timezone.now()})


def counted_declarations(path: str = "") -> Q:
    """The readiness declarations the programme counts: all but the withdrawn ones. `path`
    leads from the queried model to the declaration ("interests__" from a need or a
    company, "" on the declarations themselves)."""
    return ~Q(**{f"{path}status": "withdrawn"})


def _company_counts() -> dict:
    """Participating (buyer) companies, those with a counted need, registered suppliers,
    and the suppliers' readiness declarations and meetings held, in one query.

    A meeting counts as held once it has taken place: confirmed, and its end passed (an
    accepted meeting set for next week is not held yet). needs sits below matchmaking and
    never imports it: declarations and meetings are read through the reverse relations of
    Company (the supplier's interests -> their meetings: a chain, so a company's rows never
    multiply). Signed contracts, their value and the FX they save are matchmaking's figure
    (matchmaking.selectors.fx_saved)."""
    # "id IN (subquery)" is hashed once; an EXISTS in an aggregate's FILTER would run per company.
    counts = {
        "buyer_companies": Count("pk", distinct=True, filter=Q(pk__in=counted_needs().order_by().values("buyer"))),
        "supplier_companies": Count("pk", distinct=True, filter=Q(is_supplier=True)),
    }
    if apps.is_installed("matchmaking"):
        counts["declarations"] = Count("interests", distinct=True, filter=counted_declarations("interests__"))
        counts["meetings"] = Count(
            "interests__meetings", distinct=True,
            filter=held_meetings("interests__meetings__"),
        )
    return {"declarations": 0, "meetings": 0} | Company.objects.order_by().aggregate(**counts)


def _provinces_with_exhibitions() -> tuple[list[dict], dict[int, dict]]:
    """The provinces by slug, and each one's exhibition status (see _fold_exhibition), from
    one query over the provinces joined to their exhibitions."""
    provinces: dict[int, dict] = {}
    exhibition_status: dict[int, dict] = {}
    rows = Province.objects.order_by("slug", "exhibitions__id").values_list(
        "pk", "slug", "name_fa", "name_en", "map_col", "map_row",
        "exhibitions__status", "exhibitions__is_pilot", "exhibitions__opened_on",
    )
    for pk, slug, name_fa, name_en, map_col, map_row, status, is_pilot, opened_on in rows:
        provinces.setdefault(
            pk, {"slug": slug, "name_fa": name_fa, "name_en": name_en, "map_col": map_col, "map_row": map_row}
        )
        if status is not None:
            _fold_exhibition(exhibition_status, pk, status, is_pilot, opened_on)
    return [{"pk": pk, **row} for pk, row in provinces.items()], exhibition_status


def _province_row(province: dict, status: dict | None, counts: dict) -> dict:
    return {
        "pk": province["pk"],
        "slug": province["slug"],
        "name_fa": province["name_fa"],
        "name_en": province["name_en"],
        "map_col": province["map_col"],
        "map_row": province["map_row"],
        "exhibition_status": status["status"] if status else None,
        "pilot": bool(status and status["pilot"]),
        "opened_on": status["opened_on"] if status else None,
        **counts,
    }


def programme_figures() -> dict:
    """The headline figures and their breakdowns by province and by sector.

    Four queries whatever the data size: the needs grouped by province and sector (the
    totals and both breakdowns are summed from it), the companies with the declarations and
    meetings, the provinces with their exhibitions, and the sectors. Province and sector rows carry their
    "pk" for matchmaking.selectors.with_matchmaking_figures, which adds the FX saved to them."""
    groups = _need_groups()
    companies = _company_counts()
    provinces, exhibition_status = _provinces_with_exhibitions()
    sectors = Sector.objects.values("pk", "slug", "name_fa", "name_en", "colour")  # in their defined order

    def zero() -> dict:
        return {"needs": 0, "annual_fx_usd": Decimal(0)}

    per_province = {province["pk"]: zero() for province in provinces}
    per_sector = {sector["pk"]: {key: sector[key] for key in ("pk", "slug", "name_fa", "name_en", "colour")} | zero()
                  for sector in sectors}
    totals = {"needs": 0, "annual_fx_usd": Decimal(0), "on_display": 0, "contracted": 0}
    for group in groups:
        fx = group["fx"] or Decimal(0)
        for row in (per_province[group["province"]], per_sector[group["sector"]], totals):
            row["needs"] += group["needs_count"]
            row["annual_fx_usd"] += fx
        totals["on_display"] += group["on_display"]
        totals["contracted"] += group["contracted"]

    by_province = [_province_row(province, exhibition_status.get(province["pk"]), per_province[province["pk"]])
                   for province in provinces]
    by_sector = list(per_sector.values())
    return {
        "provinces": len(by_province),
        "provinces_with_open_exhibitions": sum(1 for row in exhibition_status.values() if row["status"] == "open"),
        "needs": totals["needs"],
        "needs_on_display": totals["on_display"],
        "needs_contracted": totals["contracted"],
        "buyer_companies": companies["buyer_companies"],
        "supplier_companies": companies["supplier_companies"],
        "annual_fx_usd": totals["annual_fx_usd"],
        "matchmaking": {"declarations": companies["declarations"], "meetings": companies["meetings"]},
        "by_province": by_province,
        "by_sector": by_sector,
    }


# --- shelf places (the need admin's shelf field) -------------------------------------------------
def shelf_places(*, shelf: Shelf) -> tuple[list[Need], list[int]]:
    """The needs whose samples sit on `shelf`, by position, and the positions still free.
    A place is taken by any need on it, whatever its status (the database's unique
    shelf-place constraint says the same); one query."""
    taken = list(
        Need.objects.filter(shelf=shelf).only("pk", "title", "title_en", "shelf_position").order_by("shelf_position")
    )
    used = {need.shelf_position for need in taken}
    return taken, [position for position in range(1, shelf.positions + 1) if position not in used]
