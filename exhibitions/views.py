from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.collation import by_name, sort_key
from core.i18n import is_persian
from core.public_cache import public_page
from exhibitions.models import Exhibition, Province

NEEDS_PER_PAGE = 48


def _need_model():
    # exhibitions sits below needs and never imports it: the Need model is reached through
    # the reverse relation, and "public" is Need's own queryset rule (one place).
    return Exhibition.needs.rel.related_model


@public_page(scopes=("catalogue", "tours"))
def exhibition_list_view(request):
    """Every province with its exhibition (or none yet): status, pilot flag, opening date."""
    exhibitions = Exhibition.objects.select_related("town").order_by("-status", "opened_on", "slug")
    provinces = list(Province.objects.order_by(by_name("name")).prefetch_related(Prefetch("exhibitions", queryset=exhibitions)))
    on_display = dict(
        _need_model().objects.public().order_by().values_list("exhibition").annotate(n=Count("id")).values_list("exhibition", "n")
    )
    groups = {"open": [], "equipping": [], "planned": []}
    for province in provinces:
        shown = list(province.exhibitions.all())
        for exhibition in shown:
            exhibition.needs_on_display = on_display.get(exhibition.pk, 0)
        best = max(shown, key=lambda e: ["closed", "planned", "equipping", "open"].index(e.status), default=None)
        province.exhibition = best
        status = best.status if best and best.status in groups else "planned"
        groups[status].append(province)
    groups["open"].sort(key=lambda p: (p.exhibition.opened_on, sort_key(p.name_fa) if is_persian() else p.name_en))
    return render(
        request,
        "exhibitions/exhibition_list.html",
        {
            "groups": [
                ("open", groups["open"]),
                ("equipping", groups["equipping"]),
                ("planned", groups["planned"]),
            ],
            "open_count": len(groups["open"]),
            "pilot_count": sum(1 for p in provinces if p.exhibition and p.exhibition.is_pilot),
        },
    )


@public_page(scopes=("catalogue", "tours"))
def exhibition_detail_view(request, slug: str):
    exhibition = get_object_or_404(Exhibition.objects.select_related("province", "town"), slug=slug)
    needs = (
        exhibition.needs.public()
        .select_related("sector", "shelf", "province")
        .prefetch_related("photos")
        .order_by("shelf__code", "shelf_position", "id")
    )
    totals = needs.order_by().aggregate(count=Count("id"), annual_fx_usd=Sum("annual_fx_usd"))
    paginator = Paginator(needs, NEEDS_PER_PAGE)
    paginator.count = totals["count"]  # known from the totals query
    page = paginator.get_page(request.GET.get("page"))
    tours = list(
        exhibition.tours.filter(starts_at__gte=timezone.now(), status="scheduled").order_by("starts_at")[:6]
    )
    return render(
        request,
        "exhibitions/exhibition_detail.html",
        {"exhibition": exhibition, "page": page, "totals": totals, "tours": tours},
    )
