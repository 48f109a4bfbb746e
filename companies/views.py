from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from companies.filters import CompanyFilter
from companies.models import Company
from core.public_cache import public_page

PAGE_SIZE = 24


def directory_companies():
    """Verified supplier firms, with what the directory shows, in a fixed number of queries."""
    return (
        Company.objects.verified().suppliers()
        .select_related("province", "town")
        .prefetch_related("sectors")
        .order_by("name_fa", "id")
    )


@public_page
def company_list_view(request):
    filterset = CompanyFilter(request.GET, queryset=directory_companies())
    queryset = filterset.qs
    paginator = Paginator(queryset, PAGE_SIZE)
    paginator.count = queryset.order_by().values("id").distinct().count()
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "companies/company_list.html", {"filter": filterset, "form": filterset.form, "page": page})


@public_page
def company_detail_view(request, pk: int):
    company = get_object_or_404(directory_companies(), pk=pk)
    return render(request, "companies/company_detail.html", {"company": company})
