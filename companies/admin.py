from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from companies.forms import RefusalForm
from companies.models import Certificate, Company, CompanyMember, Product, ProductHsCode, Sector
from companies.selectors import days_waiting, matching_companies, verification_queue
from companies.services import (
    company_member_approve,
    company_member_reject,
    company_refuse_verification,
    company_verify,
)
from core.forms import attach_errors
from exhibitions.admin_helpers import (
    AuditedStaffAdmin,
    StaffAdmin,
    StaffTabularInline,
    date_column,
    run_service_action,
)
from exhibitions.scoping import ScopedInlineMixin


@admin.register(Sector)
class SectorAdmin(StaffAdmin):
    province_path = None  # national reference data (loaded by a migration)
    provincial_permissions = ("view",)
    list_display = ["name_fa", "name_en", "slug", "order"]
    search_fields = ["name_fa", "name_en", "slug"]


# Memberships change only through companies.services: users register a company or ask to
# join one on the site, and an owner or staff of the company's province approve or turn
# down the request (the actions of the company members list). The admin shows them and
# writes none of their fields.
MEMBERSHIP_FIELDS = ["user", "company", "role", "is_approved"]


class CompanyMemberInline(ScopedInlineMixin, StaffTabularInline):
    model = CompanyMember
    extra = 0
    fields = ["user", "role", "is_approved"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CertificateInline(ScopedInlineMixin, StaffTabularInline):
    """The capability profile's certificates (files checked by content: Certificate.file)."""

    model = Certificate
    extra = 0
    fields = ["kind", "title", "number", "issuer", "expires_on", "file"]


class ProductHsCodeInline(ScopedInlineMixin, StaffTabularInline):
    model = ProductHsCode
    extra = 1
    fields = ["code"]


@admin.register(Product)
class ProductAdmin(StaffAdmin):
    """Products of the capability profile, scoped to the company's province."""

    province_path = "company__province"
    provincial_permissions = ("view", "add", "change", "delete")
    list_display = ["name_fa", "name_en", "company"]
    list_select_related = ["company"]
    search_fields = ["name_fa", "name_en", "hs_codes__code"]
    autocomplete_fields = ["company"]
    inlines = [ProductHsCodeInline]


@admin.register(Company)
class CompanyAdmin(AuditedStaffAdmin):
    province_path = "province"
    provincial_permissions = ("view", "add", "change")
    list_display = ["name_fa", "national_id", "province", "is_buyer", "is_supplier", "is_verified", "created_at_local"]
    list_filter = ["is_verified", "is_buyer", "is_supplier", "province", "sectors"]
    list_select_related = ["province"]
    search_fields = ["search_text"]
    search_help_text = _("Name or national ID; Persian or Arabic letters and digits both work.")
    # A few sectors: plain checkboxes in a fieldset, which a keyboard and a screen reader use
    # as they are (Django's two-list filter widget says its hints in English only).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [CompanyMemberInline, CertificateInline]
    actions = ["mark_verified", "mark_unverified"]
    # Verification changes only through company_verify (the actions), which checks the
    # staff member's province and tells the company's members.
    readonly_fields = [
        "is_verified", "created_at_local", "verification_requested_at", "refused_at", "refused_by", "refusal_reason",
    ]
    fieldsets = [
        (None, {"fields": ["name_fa", "name_en", "national_id", "province", "town", "is_buyer", "is_supplier", "is_verified"]}),
        (_("What it makes"), {"fields": ["sectors", "capabilities"]}),
        (_("Contact"), {"fields": ["contact_person", "phone", "email", "website", "address", "created_at_local"]}),
        # Written only by companies.services (the queue, the actions, the members' request).
        (_("Verification"), {"fields": ["verification_requested_at", "refused_at", "refused_by", "refusal_reason"]}),
    ]

    created_at_local = date_column("created_at", _("created at"))

    def get_unscoped_queryset(self, request):
        # A supplier of any province may answer any province's need (docs/design.md §5).
        return Company.objects.suppliers()

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, "")
        if self._autocomplete_for(request, "needs", "need", "buyer"):
            queryset = queryset.filter(is_buyer=True)
        return matching_companies(queryset, search_term), may_have_duplicates

    @staticmethod
    def _autocomplete_for(request, app_label, model_name, field_name) -> bool:
        match = getattr(request, "resolver_match", None)
        return bool(match and match.url_name == "autocomplete") and (
            request.GET.get("app_label"), request.GET.get("model_name"), request.GET.get("field_name")
        ) == (app_label, model_name, field_name)

    @admin.action(description=_("Mark selected companies as verified"), permissions=["change"])
    def mark_verified(self, request, queryset):
        updated = self._verify_each(request, queryset.filter(is_verified=False), verified=True)
        self.message_user(
            request,
            ngettext("%(n)d company marked as verified.", "%(n)d companies marked as verified.", updated) % {"n": updated},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw verification of selected companies"), permissions=["change"])
    def mark_unverified(self, request, queryset):
        """Like Django's delete confirmation: a page that lists the verified companies chosen
        and asks for the reason (mailed to their members); the second post withdraws."""
        companies = list(queryset.filter(is_verified=True).select_related("province"))
        if not companies:
            self.message_user(request, gettext("None of the selected companies is verified."), messages.WARNING)
            return None
        form = RefusalForm(request.POST if request.POST.get("post") else None)
        if form.is_bound and form.is_valid():
            updated = self._verify_each(request, companies, verified=False, reason=form.cleaned_data["reason"])
            self.message_user(
                request,
                ngettext(
                    "Verification withdrawn from %(n)d company.", "Verification withdrawn from %(n)d companies.",
                    updated,
                ) % {"n": updated},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Withdraw verification"),
            "opts": self.opts,
            "companies": companies,
            "form": form,
            "action_name": "mark_unverified",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/companies/company/withdraw_verification.html", context)

    def _verify_each(self, request, queryset, *, verified: bool, reason: str = "") -> int:
        """company_verify for each company (one save each, so the audit trail records
        every change); a refusal is shown as the service words it."""
        done = 0
        for company in queryset:
            try:
                company_verify(company=company, by=request.user, verified=verified, reason=reason)
            except ValidationError as error:
                self.message_user(request, f"{company}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        return done


    # -- the verification queue: companies waiting for staff of their province, oldest first
    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("verification/", view(self.verification_queue_view), name="companies_company_verification_queue"),
            path("verification/<int:pk>/approve/", view(require_POST(self.verification_approve_view)),
                 name="companies_company_verification_approve"),
            path("verification/<int:pk>/refuse/", view(self.verification_refuse_view),
                 name="companies_company_verification_refuse"),
            *super().get_urls(),
        ]

    QUEUE_PAGE_SIZE = 50

    def verification_queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        companies = verification_queue(user=request.user)
        page = Paginator(companies, self.QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        now = timezone.now()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Companies waiting for verification"),
            "opts": self.opts,
            "page": page,
            "rows": [QueueRow(company, days_waiting(company, now=now)) for company in page.object_list],
            "may_decide": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/companies/company/verification_queue.html", context)

    def _waiting_company(self, request, pk: int) -> Company | None:
        """A company of the staff member's provinces (404 for any other) still waiting for a
        decision; None, with a message, when a colleague decided meanwhile."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        company = get_object_or_404(self.get_queryset(request).select_related("province", "town"), pk=pk)
        if company.is_verified or company.is_refused:
            self.message_user(
                request, gettext("%(company)s is no longer waiting for verification.") % {"company": company},
                messages.WARNING,
            )
            return None
        return company

    def _back_to_queue(self):
        return HttpResponseRedirect(reverse("admin:companies_company_verification_queue"))

    def verification_approve_view(self, request, pk):
        company = self._waiting_company(request, pk)
        if company is None:
            return self._back_to_queue()
        try:
            company_verify(company=company, by=request.user, verified=True)
        except ValidationError as error:
            self.message_user(request, f"{company}: {' '.join(error.messages)}", messages.ERROR)
        else:
            self.message_user(request, gettext("%(company)s is verified.") % {"company": company}, messages.SUCCESS)
        return self._back_to_queue()

    def verification_refuse_view(self, request, pk):
        company = self._waiting_company(request, pk)
        if company is None:
            return self._back_to_queue()
        form = RefusalForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                company_refuse_verification(company=company, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                attach_errors(form, error)
            else:
                self.message_user(
                    request, gettext("%(company)s was not verified; its members are told why.") % {"company": company},
                    messages.SUCCESS,
                )
                return self._back_to_queue()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Refuse verification: %(company)s") % {"company": company},
            "opts": self.opts,
            "company": company,
            "form": form,
        }
        return TemplateResponse(request, "admin/companies/company/verification_refuse.html", context)


@dataclass(frozen=True)
class QueueRow:
    company: Company
    age_days: int


@admin.register(CompanyMember)
class CompanyMemberAdmin(StaffAdmin):
    province_path = "company__province"
    provincial_permissions = ("view", "change")
    list_display = ["user", "company", "role", "is_approved", "created_at_local"]
    list_filter = ["role", "is_approved"]
    list_select_related = ["user", "company"]
    search_fields = ["user__username", "company__name_fa", "company__national_id"]
    readonly_fields = [*MEMBERSHIP_FIELDS, "created_at_local"]
    actions = ["approve_requests", "reject_requests"]

    created_at_local = date_column("created_at", _("created at"))

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Approve selected requests"), permissions=["change"])
    def approve_requests(self, request, queryset):
        run_service_action(
            request,
            queryset.filter(is_approved=False).select_related("user", "company"),
            lambda member: company_member_approve(member=member, by=request.user),
            lambda n: ngettext("%(n)d request approved.", "%(n)d requests approved.", n) % {"n": n},
        )

    @admin.action(description=_("Turn down selected requests"), permissions=["change"])
    def reject_requests(self, request, queryset):
        run_service_action(
            request,
            queryset.select_related("user", "company"),
            lambda member: company_member_reject(member=member, by=request.user),
            lambda n: ngettext("%(n)d request turned down.", "%(n)d requests turned down.", n) % {"n": n},
        )
