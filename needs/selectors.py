from decimal import Decimal

from django.db.models import Count, Q, Sum

from companies.models import Company, Sector
from exhibitions.models import Exhibition, Province
from needs.models import Need, NeedStatus


def counted_needs():
    """The needs the programme reports: every identified need that was not withdrawn."""
    return Need.objects.exclude(status=NeedStatus.WITHDRAWN)


def programme_figures() -> dict:
    """The headline figures and their breakdowns by province and by sector.

    A fixed number of queries whatever the data size: one aggregate per table and one
    grouped query per breakdown."""
    needs = counted_needs()
    totals = needs.aggregate(
        needs=Count("id"),
        buyer_companies=Count("buyer", distinct=True),
        annual_fx_usd=Sum("annual_fx_usd"),
        on_display=Count("id", filter=Q(status__in=[NeedStatus.ON_DISPLAY, NeedStatus.IN_TALKS])),
        contracted=Count("id", filter=Q(status=NeedStatus.CONTRACTED)),
    )
    open_provinces = (
        Exhibition.objects.open().values("province").distinct().count()
    )
    suppliers = Company.objects.suppliers().count()

    by_province_rows = {
        row["province"]: row
        for row in needs.values("province").annotate(needs=Count("id"), annual_fx_usd=Sum("annual_fx_usd"))
    }
    exhibition_status = {}
    for province_id, status, is_pilot in Exhibition.objects.values_list("province", "status", "is_pilot"):
        # A province with several exhibitions shows its most advanced one.
        rank = ["closed", "planned", "equipping", "open"].index(status)
        current = exhibition_status.get(province_id)
        if current is None or rank > current[0]:
            exhibition_status[province_id] = (rank, status, is_pilot)
    by_province = []
    for province in Province.objects.order_by("slug"):
        row = by_province_rows.get(province.pk, {})
        status = exhibition_status.get(province.pk)
        by_province.append(
            {
                "slug": province.slug,
                "name_fa": province.name_fa,
                "name_en": province.name_en,
                "map_col": province.map_col,
                "map_row": province.map_row,
                "exhibition_status": status[1] if status else None,
                "pilot": bool(status and status[2]),
                "needs": row.get("needs", 0),
                "annual_fx_usd": row.get("annual_fx_usd") or Decimal(0),
            }
        )

    by_sector_rows = {
        row["sector"]: row
        for row in needs.values("sector").annotate(needs=Count("id"), annual_fx_usd=Sum("annual_fx_usd"))
    }
    by_sector = [
        {
            "slug": sector.slug,
            "name_fa": sector.name_fa,
            "name_en": sector.name_en,
            "colour": sector.colour,
            "needs": by_sector_rows.get(sector.pk, {}).get("needs", 0),
            "annual_fx_usd": by_sector_rows.get(sector.pk, {}).get("annual_fx_usd") or Decimal(0),
        }
        for sector in Sector.objects.all()
    ]
    return {
        "provinces": len(by_province),
        "provinces_with_open_exhibitions": open_provinces,
        "needs": totals["needs"],
        "needs_on_display": totals["on_display"],
        "needs_contracted": totals["contracted"],
        "buyer_companies": totals["buyer_companies"],
        "supplier_companies": suppliers,
        "annual_fx_usd": totals["annual_fx_usd"] or Decimal(0),
        "by_province": by_province,
        "by_sector": by_sector,
    }
