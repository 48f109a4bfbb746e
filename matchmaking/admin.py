"""Matchmaking in the staff admin, scoped to the staff member's provinces.

Tours belong to their exhibition's province; readiness declarations, meetings, bookings and
outcomes to their need's province. A supplier of any province may answer any need and join
any tour (DESIGN.md section 5), so the supplier and company pickers of those records are not
limited to the province; everything else is.

Meetings, their slot bookings and outcomes are made through the matchmaking services (which
book slots under locks and move the need along its lifecycle), so provincial staff see them
here read-only; national staff keep full rights for repairs."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exhibitions.admin_helpers import AuditedStaffAdmin, StaffAdmin, datetime_column
from exhibitions.scoping import ScopedInlineMixin, is_national, staff_province_ids
from matchmaking.models import Interest, Meeting, MeetingSlotBooking, Outcome, Tour, TourRegistration

TOUR_ORGANISER_GROUP = "tour organisers"


class TourRegistrationInline(ScopedInlineMixin, admin.TabularInline):
    model = TourRegistration
    extra = 0
    fields = ["company", "attendees", "status", "attended"]
    autocomplete_fields = ["company"]
    unscoped_fk_fields = ("company",)

    def has_add_permission(self, request, obj=None):
        # Registrations take seats under the tour's lock (matchmaking.services.tours).
        return is_national(request.user) and super().has_add_permission(request, obj)


@admin.register(Tour)
class TourAdmin(AuditedStaffAdmin):
    province_path = "exhibition__province"
    provincial_permissions = ("view", "add", "change")
    list_display = ["title", "exhibition", "starts_at_local", "capacity", "status"]
    list_filter = ["status", "exhibition", "language"]
    list_select_related = ["exhibition"]
    search_fields = ["title", "organiser_name", "meeting_point"]
    unscoped_fk_fields = ("organiser",)
    filter_horizontal = ["sectors"]
    inlines = [TourRegistrationInline]

    starts_at_local = datetime_column("starts_at", _("starts at"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organiser" and not is_national(request.user):
            kwargs["queryset"] = get_user_model().objects.filter(
                Q(pk=request.user.pk)
                | Q(groups__name=TOUR_ORGANISER_GROUP)
                | Q(staff_provinces__province__in=staff_province_ids(request.user))
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("organiser", request.user.pk)
        return initial


@admin.register(TourRegistration)
class TourRegistrationAdmin(StaffAdmin):
    province_path = "tour__exhibition__province"
    provincial_permissions = ("view", "change")
    list_display = ["tour", "company", "attendees", "status", "attended", "created_at_local"]
    list_filter = ["status", "tour"]
    list_select_related = ["tour", "company"]
    search_fields = ["company__name_fa", "company__national_id", "tour__title"]
    autocomplete_fields = ["tour", "company"]
    unscoped_fk_fields = ("company",)
    raw_id_fields = ["registered_by"]

    created_at_local = datetime_column("created_at", _("created at"))


@admin.register(Interest)
class InterestAdmin(StaffAdmin):
    province_path = "need__province"
    provincial_permissions = ("view",)
    list_display = ["need", "supplier", "status", "lead_time_days", "created_at_local"]
    list_filter = ["status"]
    list_select_related = ["need", "supplier"]
    search_fields = ["need__title", "supplier__name_fa", "supplier__national_id"]
    autocomplete_fields = ["need", "supplier"]
    unscoped_fk_fields = ("supplier",)

    created_at_local = datetime_column("created_at", _("created at"))


@admin.register(Meeting)
class MeetingAdmin(AuditedStaffAdmin):
    province_path = "interest__need__province"
    provincial_permissions = ("view",)
    list_display = ["buyer", "supplier", "mode", "starts_at_local", "status"]
    list_filter = ["status", "mode"]
    list_select_related = ["buyer", "supplier", "interest__need"]
    search_fields = ["buyer__name_fa", "supplier__name_fa", "interest__need__title"]
    autocomplete_fields = ["interest", "buyer", "supplier"]
    unscoped_fk_fields = ("supplier",)
    raw_id_fields = ["proposed_by"]

    starts_at_local = datetime_column("starts_at", _("starts at"))


@admin.register(MeetingSlotBooking)
class MeetingSlotBookingAdmin(StaffAdmin):
    province_path = "meeting__interest__need__province"
    provincial_permissions = ("view",)
    list_display = ["meeting", "slot_start_local", "company", "room"]
    list_select_related = ["meeting", "company", "room"]
    raw_id_fields = ["meeting", "company", "room"]

    slot_start_local = datetime_column("slot_start", _("slot"))


@admin.register(Outcome)
class OutcomeAdmin(StaffAdmin):
    province_path = "meeting__interest__need__province"
    provincial_permissions = ("view",)
    list_display = ["meeting", "result", "contract_value_rials", "signed_on"]
    list_filter = ["result"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["meeting"]
    raw_id_fields = ["recorded_by"]
