from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from core.formats import digits, usd
from core.public_cache import public_page
from needs.models import Need
from needs.selectors import need_detail, need_list, need_totals, related_needs

PAGE_SIZE = 20


def paginate(request, queryset, *, count: int, per_page: int):
    """A page of `queryset`; the count is already known (from the totals query), so the
    paginator does not ask the database again. Bad page numbers give the nearest page."""
    paginator = Paginator(queryset, per_page)
    paginator.count = count  # overrides the cached property: one COUNT query less
    return paginator.get_page(request.GET.get("page"))


@public_page(scopes=("catalogue",))
def need_list_view(request):
    filterset = need_list(filters=request.GET, language=get_language())
    queryset = filterset.qs
    totals = need_totals(queryset, filters=filterset.form.cleaned_data if filterset.is_valid() else None)
    page = paginate(request, queryset, count=totals["count"], per_page=PAGE_SIZE)
    return render(
        request,
        "needs/need_list.html",
        {
            "filter": filterset, "form": filterset.form, "page": page, "totals": totals,
            "active_filters": active_filters(request, filterset.form),
        },
    )


def active_filters(request, form) -> list[dict]:
    """The filters in use, as the visitor would name them, each with a link that drops it."""
    active = []
    for name, value in form.cleaned_data.items():
        if value in (None, "") or name == "sort":
            continue
        field = form.fields[name]
        shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
        if name in ("fx_min", "fx_max"):
            shown = usd(value)
        elif name == "hs":
            shown = digits(value)
        query = request.GET.copy()
        query.pop(name, None)
        query.pop("page", None)
        active.append({"label": field.label, "value": shown, "remove": "?" + query.urlencode() if query else "?"})
    return active


@public_page(scopes=("catalogue",))
def need_detail_view(request, pk: int):
    try:
        need = need_detail(pk=pk)
    except Need.DoesNotExist:
        raise Http404("No such need on display.")
    photos = list(need.photos.all())
    return render(
        request,
        "needs/need_detail.html",
        {"need": need, "photos": photos, "related": related_needs(need=need)},
    )
