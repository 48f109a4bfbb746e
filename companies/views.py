from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.filters import CompanyFilter
from companies.forms import CompanyEditForm, CompanyJoinForm, CompanyRegisterForm
from companies.models import Company, CompanyMember
from companies.selectors import company_for_user, membership_for_user
from companies.services import (
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
    company = get_object_or_404(directory_companies(), pk=pk)
    return render(request, "companies/company_detail.html", {"company": company})


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
