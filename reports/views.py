"""The funnel report for staff, in the staff admin's look: on screen and as XLSX, CSV and PDF.

Scoped like the admin: provincial staff see their own provinces only (another province is
404, as an object they do not serve would be); national staff see every province side by
side and the nation's total."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exhibitions.models import Province
from exhibitions.selectors import is_national_staff, scope_to_staff
from reports import exports
from reports.forms import FunnelFilterForm, with_default_period
from reports.selectors import funnel

EXPORTS = {
    "xlsx": (exports.funnel_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (exports.funnel_csv, "text/csv; charset=utf-8"),
    "pdf": (exports.funnel_pdf, "application/pdf"),
}


def _report(request):
    """The filter form and the funnel it asks for (None while the form has errors)."""
    provinces = scope_to_staff(Province.objects.all(), request.user, "pk")
    # Always bound: an empty query is a valid one (every province served, the last year).
    form = FunnelFilterForm(with_default_period(request.GET), provinces=provinces)
    asked = request.GET.get("province")
    if asked and not provinces.filter(pk=asked if asked.isdigit() else None).exists():
        raise Http404
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    province = cleaned.get("province")
    sector = cleaned.get("sector")
    province_ids = [province.pk] if province else list(provinces.values_list("pk", flat=True))
    report = funnel(
        since=cleaned["since"], until=cleaned["until"], province_ids=province_ids,
        sector_id=sector.pk if sector else None,
    )
    national = is_national_staff(request.user)
    report["scope"] = {
        "province": province,
        "sector": sector,
        "national": national and province is None,
        "total_label": _("Nation") if national and province is None else _("Total"),
        "side_by_side": province is None and len(report["provinces"]) > 1,
    }
    return form, report


@require_GET
@staff_member_required
def funnel_page(request):
    form, report = _report(request)
    query = request.GET.urlencode()
    context = {
        **admin.site.each_context(request),
        "title": _("Funnel: from needs identified to contracts"),
        "form": form,
        "report": report,
        "downloads": [(name, f"?{query}" if query else "") for name in EXPORTS],
    }
    return TemplateResponse(request, "reports/funnel.html", context)


@require_GET
@staff_member_required
def funnel_export(request, fmt: str):
    if fmt not in EXPORTS:
        raise Http404
    _form, report = _report(request)
    if report is None:
        raise Http404
    build, content_type = EXPORTS[fmt]
    response = HttpResponse(build(report), content_type=content_type)
    name = f"funnel-{report['since']:%Y%m%d}-{report['until']:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
