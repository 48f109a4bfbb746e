from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exhibitions.admin_helpers import (
    AuditedStaffAdmin,
    ReadOnlyAdminMixin,
    StaffAdmin,
    StaffTabularInline,
    datetime_column,
    run_service_action,
)
from exhibitions.scoping import ScopedInlineMixin
from exhibitions.selectors import is_national_staff, staff_colleagues
from tours import services as tour_services
from tours.forms import TourAdminForm
from tours.models import Tour, TourMessage, TourRegistration
from tours.policies import ORGANISER_GROUP


class TourRegistrationInline(ReadOnlyAdminMixin, ScopedInlineMixin, StaffTabularInline):
    """A tour's registrations, to read. Seats are taken and freed only through the tour
    services (under the tour's lock, with the waiting list moving up): staff cancel a
    registration with the "cancel registration" action of the registrations list."""

    model = TourRegistration
    extra = 0
    fields = ["company", "attendees", "status", "attended", "created_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class TourMessageInline(ReadOnlyAdminMixin, ScopedInlineMixin, StaffTabularInline):
    """The messages sent to a tour's registrants from its desk, to read (they are sent once,
    through tours.services.tour_message_send)."""

    model = TourMessage
    extra = 0
    fields = ["sent_at", "sent_by", "audience", "subject", "recipients"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sent_by")  # one query for the senders


@admin.register(Tour)
class TourAdmin(AuditedStaffAdmin):
    """Tours are scheduled and changed through tours.services (the form asks
    the services first and shows their refusal); status changes only through the actions.
    Tours are cancelled, never deleted: their registrations and attendance count."""

    province_path = "exhibition__province"
    provincial_permissions = ("view", "add", "change")
    form = TourAdminForm
    list_display = ["title", "exhibition", "starts_at_local", "capacity", "status"]
    list_filter = ["status", "exhibition", "language"]
    list_select_related = ["exhibition"]
    search_fields = ["title", "organiser_name", "meeting_point"]
    unscoped_fk_fields = ("organiser",)
    # A few sectors: plain checkboxes in a fieldset, which a keyboard and a screen reader use
    # as they are (Django's two-list filter widget says its hints in English only).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    readonly_fields = ["status", "series", "cancelled_at", "cancel_reason", "registrations_link"]
    inlines = [TourRegistrationInline, TourMessageInline]
    actions = ["cancel_tours", "mark_tours_held"]

    starts_at_local = datetime_column("starts_at", _("starts at"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"by": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organiser" and not is_national_staff(request.user):
            kwargs["queryset"] = get_user_model().objects.filter(
                Q(groups__name=ORGANISER_GROUP, is_active=True) | Q(pk__in=staff_colleagues(request.user).values("pk"))
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("organiser", request.user.pk)
        return initial

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("registrations"))
    def registrations_link(self, obj):
        if obj is None or obj.pk is None:
            return ""
        url = reverse("admin:tours_tourregistration_changelist") + f"?tour__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Registrations of this tour (to cancel one)"))

    def save_model(self, request, obj, form, change):
        if change:
            tour_services.tour_update(tour=obj, by=request.user, **form.service_fields())
        else:
            tour = tour_services.tour_create(by=request.user, **form.service_fields())[0]
            obj.pk, obj._state.adding = tour.pk, False
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The sectors were saved with the tour by the service; the inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Cancel the selected tours (registered companies are told)"), permissions=["change"])
    def cancel_tours(self, request, queryset):
        run_service_action(
            request, queryset, lambda tour: tour_services.tour_cancel(tour=tour, by=request.user),
            lambda n: ngettext("%(n)d tour cancelled.", "%(n)d tours cancelled.", n) % {"n": n},
        )

    @admin.action(description=_("Mark the selected tours as held"), permissions=["change"])
    def mark_tours_held(self, request, queryset):
        run_service_action(
            request, queryset, lambda tour: tour_services.tour_mark_held(tour=tour, by=request.user),
            lambda n: ngettext("%(n)d tour marked as held.", "%(n)d tours marked as held.", n) % {"n": n},
        )


@admin.register(TourRegistration)
class TourRegistrationAdmin(StaffAdmin):
    """Registrations are made on the site (tour_register) and cancelled here only through
    the "cancel registration" action (registration_cancel), which moves the waiting list
    up: nothing on a registration is typed in the admin."""

    province_path = "tour__exhibition__province"
    provincial_permissions = ("view", "change")
    list_display = ["tour", "company", "attendees", "status", "attended", "created_at_local"]
    list_filter = ["status", "tour"]
    list_select_related = ["tour", "company"]
    search_fields = ["company__name_fa", "company__national_id", "tour__title"]
    unscoped_fk_fields = ("company",)
    readonly_fields = [
        "tour", "company", "attendees", "attendee_names", "status", "attended", "checked_in_at",
        "reminder_sent_at", "registered_by", "created_at", "updated_at",
    ]
    actions = ["cancel_registrations"]

    created_at_local = datetime_column("created_at", _("created at"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The change right opens the cancel action on the list; a registration's own page
        # is read-only.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected registrations (the waiting list moves up)"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        run_service_action(
            request, queryset,
            lambda registration: tour_services.registration_cancel(registration=registration, by=request.user),
            lambda n: ngettext("%(n)d registration cancelled.", "%(n)d registrations cancelled.", n) % {"n": n},
        )
