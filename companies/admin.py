from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from companies.models import Company, CompanyMember, Sector
from companies.services import (
    company_member_approve,
    company_member_reject,
    company_verify,
)
from core.text import normalize_text
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


def normalized_search(queryset, search_term: str, columns: list[str]):
    """Every word of the term (Persian-normalised) must appear in one of `columns`."""
    from django.db.models import Q

    for word in normalize_text(search_term).split():
        condition = Q()
        for column in columns:
            condition |= Q(**{f"{column}__contains": word})
        queryset = queryset.filter(condition)
    return queryset


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
    inlines = [CompanyMemberInline]
    actions = ["mark_verified", "mark_unverified"]
    # Verification changes only through company_verify (the actions), which checks the
    # staff member's province and tells the company's members.
    readonly_fields = ["is_verified", "created_at_local"]
    fieldsets = [
        (None, {"fields": ["name_fa", "name_en", "national_id", "province", "town", "is_buyer", "is_supplier", "is_verified"]}),
        (_("What it makes"), {"fields": ["sectors", "capabilities"]}),
        (_("Contact"), {"fields": ["contact_person", "phone", "email", "website", "address", "created_at_local"]}),
    ]

    created_at_local = date_column("created_at", _("created at"))

    def get_unscoped_queryset(self, request):
        # A supplier of any province may answer any province's need (docs/design.md §5).
        return Company.objects.suppliers()

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, "")
        if self._autocomplete_for(request, "needs", "need", "buyer"):
            queryset = queryset.filter(is_buyer=True)
        return normalized_search(queryset, search_term, ["search_text"]), may_have_duplicates

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
        updated = self._verify_each(request, queryset.filter(is_verified=True), verified=False)
        self.message_user(
            request,
            ngettext(
                "Verification withdrawn from %(n)d company.", "Verification withdrawn from %(n)d companies.", updated
            ) % {"n": updated},
            messages.SUCCESS,
        )

    def _verify_each(self, request, queryset, *, verified: bool) -> int:
        """company_verify for each company (one save each, so the audit trail records
        every change); a refusal is shown as the service words it."""
        done = 0
        for company in queryset:
            try:
                company_verify(company=company, by=request.user, verified=verified)
            except ValidationError as error:
                self.message_user(request, f"{company}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        return done


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
