"""Matchmaking in the staff admin, scoped to the staff member's provinces.

Tours belong to their exhibition's province; readiness declarations, meetings, bookings and
outcomes to their need's province. A supplier of any province may answer any need and join
any tour (docs/design.md section 5), so the supplier and company pickers of those records are not
limited to the province; everything else is.

Declarations, meetings, their bookings and outcomes are made through the matchmaking
services (the database books the time, the need moves along its lifecycle, both sides are
told), so every staff member, national or provincial, sees them here read-only; meetings
are cancelled with an action that calls the service."""

from django.contrib import admin
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exhibitions.admin_helpers import (
    AuditedStaffAdmin,
    ReadOnlyAdminMixin,
    StaffAdmin,
    date_column,
    datetime_column,
    run_service_action,
)
from matchmaking.models import RATE_MUST_BE_POSITIVE, ExchangeRate, Interest, Meeting, MeetingSlotBooking, Outcome
from matchmaking.services.meetings import meeting_cancel


class ServiceRecordsAdminMixin(ReadOnlyAdminMixin):
    """Read-only for every staff member, national superusers included: declarations,
    meetings, their bookings and outcomes change only through the matchmaking services
    (bookings written by the database, the need's lifecycle, notifications). Nothing is
    added, changed or deleted here; a meeting is cancelled with the action, which calls
    meeting_cancel."""


@admin.register(Interest)
class InterestAdmin(ServiceRecordsAdminMixin, StaffAdmin):
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
class MeetingAdmin(ServiceRecordsAdminMixin, AuditedStaffAdmin):
    province_path = "interest__need__province"
    provincial_permissions = ("view",)
    list_display = ["buyer", "supplier", "mode", "starts_at_local", "status"]
    list_filter = ["status", "mode"]
    list_select_related = ["buyer", "supplier", "interest__need"]
    search_fields = ["buyer__name_fa", "supplier__name_fa", "interest__need__title"]
    autocomplete_fields = ["interest", "buyer", "supplier"]
    unscoped_fk_fields = ("supplier",)
    raw_id_fields = ["proposed_by"]
    actions = ["cancel_meetings"]

    starts_at_local = datetime_column("starts_at", _("starts at"))

    @admin.action(description=_("Cancel the selected meetings (both sides are told)"))
    def cancel_meetings(self, request, queryset):
        run_service_action(
            request, queryset, lambda meeting: meeting_cancel(meeting=meeting, by=request.user),
            lambda n: ngettext("%(n)d meeting cancelled.", "%(n)d meetings cancelled.", n) % {"n": n},
        )


@admin.register(MeetingSlotBooking)
class MeetingSlotBookingAdmin(ServiceRecordsAdminMixin, StaffAdmin):
    province_path = "meeting__interest__need__province"
    provincial_permissions = ("view",)
    list_display = ["meeting", "starts_at_local", "ends_at_local", "company", "room"]
    list_select_related = ["meeting", "company", "room"]
    raw_id_fields = ["meeting", "company", "room"]

    starts_at_local = datetime_column("starts_at", _("starts at"))
    ends_at_local = datetime_column("ends_at", _("ends at"))


@admin.register(Outcome)
class OutcomeAdmin(ServiceRecordsAdminMixin, StaffAdmin):
    province_path = "meeting__interest__need__province"
    provincial_permissions = ("view",)
    list_display = ["meeting", "result", "contract_value_rials", "signed_on"]
    list_filter = ["result"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["meeting"]
    raw_id_fields = ["recorded_by"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(AuditedStaffAdmin):
    """The dated rials-per-dollar rates that convert contract values (national reference
    data: national staff and superusers add and change them, provincial staff read them).
    The model refuses a rate that is not positive (validator and database constraint)."""

    province_path = None  # national: rates are the same in every province
    provincial_permissions = ("view",)
    list_display = ["effective_on_local", "rials_per_usd", "source", "created_at_local"]
    search_fields = ["source"]
    fields = ["effective_on", "rials_per_usd", "source"]

    effective_on_local = date_column("effective_on", _("effective from"))
    created_at_local = datetime_column("created_at", _("created at"))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "rials_per_usd":
            # The form's own lower bound (0, from the positive field) would refuse -5 in
            # Django's generic words; say what a rate must be, as the model does for 0.
            field.min_value = 1
            field.widget.attrs["min"] = 1
            field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
            field.validators.append(MinValueValidator(1, message=RATE_MUST_BE_POSITIVE))
        return field
