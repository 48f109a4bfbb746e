from django.contrib import admin

from matchmaking.models import Interest, Meeting, MeetingSlotBooking, Outcome, Tour, TourRegistration


class TourRegistrationInline(admin.TabularInline):
    model = TourRegistration
    extra = 0
    raw_id_fields = ["company", "registered_by"]


@admin.register(Tour)
class TourAdmin(admin.ModelAdmin):
    list_display = ["title", "exhibition", "starts_at", "capacity", "status"]
    list_filter = ["status", "exhibition"]
    inlines = [TourRegistrationInline]


@admin.register(TourRegistration)
class TourRegistrationAdmin(admin.ModelAdmin):
    list_display = ["tour", "company", "attendees", "status"]
    list_filter = ["status"]
    raw_id_fields = ["tour", "company", "registered_by"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["need", "supplier", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["need", "supplier"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["buyer", "supplier", "mode", "starts_at", "status"]
    list_filter = ["status", "mode"]
    raw_id_fields = ["interest", "buyer", "supplier", "room", "proposed_by"]


@admin.register(MeetingSlotBooking)
class MeetingSlotBookingAdmin(admin.ModelAdmin):
    list_display = ["meeting", "slot_start", "company", "room"]
    raw_id_fields = ["meeting", "company", "room"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["meeting", "result", "contract_value_rials", "signed_on"]
    list_filter = ["result"]
    raw_id_fields = ["meeting", "recorded_by"]
