from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.filters import CompanyFilter
from companies.forms import CertificateForm, CompanyEditForm, CompanyJoinForm, CompanyRegisterForm, ProductForm, ProfileForm
from companies.models import Certificate, Company, CompanyMember, Product
from companies.selectors import company_for_user, membership_for_user, public_supplier
from companies.services import (
    certificate_delete,
    certificate_save,
    company_profile_update,
    product_delete,
    product_save,
    company_join_request,
    company_member_approve,
    company_member_reject,
    company_register,
    company_request_verification,
)
from core.collation import persian
from core.forms import attach_errors
from core.public_cache import public_page

PAGE_SIZE = 24


def directory_companies():
    """Verified supplier firms, with what the directory shows, in a fixed number of queries."""
    return (
        Company.objects.verified().suppliers()
        .select_related("province", "town")
        .prefetch_related("sectors")
        .order_by(persian("name_fa"), "id")
    )


@public_page(scopes=("catalogue",))
def company_list_view(request):
    filterset = CompanyFilter(request.GET, queryset=directory_companies())
    queryset = filterset.qs
    paginator = Paginator(queryset, PAGE_SIZE)
    paginator.count = queryset.order_by().values("id").distinct().count()
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "companies/company_list.html", {"filter": filterset, "form": filterset.form, "page": page})


@public_page(scopes=("catalogue",))
def company_detail_view(request, pk: int):
    try:
        company = public_supplier(pk)
    except Company.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    certificates = list(company.certificates.all())
    for certificate in certificates:
        certificate.expired = certificate.is_expired(today)
    return render(
        request, "companies/company_detail.html",
        {"company": company, "products": list(company.products.all()), "certificates": certificates},
    )


# --- the capability profile, edited by the company's approved members ------------------------
def _profile_company(request) -> Company:
    company = company_for_user(request.user)
    if company is None:
        raise Http404
    return company


@login_required
def company_profile_view(request):
    """The company's capability profile: production capacity and machinery, its products and
    certificates (each added, changed or removed on its own page or button)."""
    company = _profile_company(request)
    form = ProfileForm(request.POST or None, initial={
        "production_capacity": company.production_capacity, "machinery": company.machinery,
    })
    if request.method == "POST" and form.is_valid():
        try:
            company_profile_update(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your company's profile is saved."))
            return redirect("companies:profile")
    products = Product.objects.filter(company=company).prefetch_related("hs_codes")
    certificates = list(Certificate.objects.filter(company=company))
    today = timezone.localdate()
    for certificate in certificates:
        certificate.expired = certificate.is_expired(today)
    return render(request, "companies/company_profile.html", {
        "company": company, "form": form, "products": products, "certificates": certificates,
    })


@login_required
def product_edit_view(request, pk=None):
    company = _profile_company(request)
    product = get_object_or_404(Product, pk=pk, company=company) if pk else None
    initial = {"name_fa": product.name_fa, "name_en": product.name_en,
               "hs_codes": " ".join(product.hs_codes.values_list("code", flat=True))} if product else None
    form = ProductForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            product_save(company=company, by=request.user, product=product, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The product is saved."))
            return redirect("companies:profile")
    return render(request, "companies/profile_item_form.html", {
        "form": form, "title": _("Change a product") if product else _("Add a product"),
    })


@login_required
def certificate_edit_view(request, pk=None):
    company = _profile_company(request)
    certificate = get_object_or_404(Certificate, pk=pk, company=company) if pk else None
    form = CertificateForm(request.POST or None, request.FILES or None, instance=certificate)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        try:
            certificate_save(
                company=company, by=request.user, certificate=certificate,
                file=upload if upload else None, remove_file=upload is False, **data,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The certificate is saved."))
            return redirect("companies:profile")
    return render(request, "companies/profile_item_form.html", {
        "form": form, "title": _("Change a certificate") if certificate else _("Add a certificate"),
    })


@login_required
@require_POST
def profile_item_delete_view(request, kind, pk):
    company = _profile_company(request)
    try:
        if kind == "product":
            product_delete(product=get_object_or_404(Product, pk=pk, company=company), by=request.user)
        else:
            certificate_delete(certificate=get_object_or_404(Certificate, pk=pk, company=company), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed from your company's profile."))
    return redirect("companies:profile")


@login_required
def company_register_view(request):
    if membership_for_user(request.user) is not None:
        return redirect("matchmaking:account")
    action = request.POST.get("action") if request.method == "POST" else None
    register_form = CompanyRegisterForm(request.POST if action == "register" else None, prefix="company")
    join_form = CompanyJoinForm(request.POST if action == "join" else None, prefix="join")
    if action == "register" and register_form.is_valid():
        company = register_form.save(commit=False)
        try:
            company_register(user=request.user, company=company, sectors=register_form.cleaned_data["sectors"])
        except ValidationError as error:
            attach_errors(register_form, error)
        else:
            messages.success(request, _("Your company is registered. Provincial staff will verify it; you can act once they have."))
            return redirect("matchmaking:account")
    if action == "join" and join_form.is_valid():
        try:
            company_join_request(user=request.user, national_id=join_form.cleaned_data["national_id"])
        except ValidationError as error:
            attach_errors(join_form, error)
        else:
            messages.success(request, _("Your request was sent. An owner of the company or staff will approve it."))
            return redirect("matchmaking:account")
    return render(request, "companies/company_register.html", {"register_form": register_form, "join_form": join_form})


@login_required
def company_verification_request_view(request):
    """A member of a refused company reads why, corrects the company and asks again."""
    company = company_for_user(request.user)
    if company is None or not company.is_refused:
        return redirect("matchmaking:account")
    refusal = {"reason": company.refusal_reason, "at": company.refused_at}
    form = CompanyEditForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            company_request_verification(
                company=company, by=request.user, sectors=form.cleaned_data["sectors"],
                changes={name: form.cleaned_data[name] for name in form.changed_data if name != "sectors"},
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your company is back in the queue: the provincial staff will verify it."))
            return redirect("matchmaking:account")
    return render(request, "companies/company_verification_request.html", {"form": form, "refusal": refusal})


@login_required
@require_POST
def member_decide(request, pk):
    member = get_object_or_404(CompanyMember.objects.select_related("company", "user"), pk=pk)
    try:
        if request.POST.get("action") == "approve":
            company_member_approve(member=member, by=request.user)
            messages.success(request, _("%(user)s can now act for the company.") % {"user": member.user.get_username()})
        else:
            company_member_reject(member=member, by=request.user)
            messages.success(request, _("The request was turned down."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("matchmaking:account")
