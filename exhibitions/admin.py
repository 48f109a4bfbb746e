from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from exhibitions.admin_helpers import AuditedStaffAdmin, StaffAdmin, StaffTabularInline, date_column
from exhibitions.models import (
    Exhibition,
    IndustrialTown,
    MeetingRoom,
    Province,
    Shelf,
    StaffProvince,
)
from exhibitions.scoping import SELF, ScopedInlineMixin

admin.site.site_header = _("Domestic-manufacturing exhibitions: staff")
admin.site.site_title = _("Exhibitions staff")
admin.site.index_title = _("Your province at a glance")
# The index shows the staff dashboard (portal/dashboard.py) above the app list.
admin.site.index_template = "admin/portal_index.html"


@admin.register(Province)
class ProvinceAdmin(StaffAdmin):
    province_path = SELF
    provincial_permissions = ("view",)  # reference data: loaded by a migration, slugs are a contract
    list_display = ["name_fa", "name_en", "slug"]
    search_fields = ["name_fa", "name_en", "slug"]


@admin.register(IndustrialTown)
class IndustrialTownAdmin(StaffAdmin):
    province_path = "province"
    provincial_permissions = ("view", "add", "change")
    list_display = ["name_fa", "name_en", "province"]
    list_filter = ["province"]
    search_fields = ["name_fa", "name_en"]


def _shelf_labels_link(shelf):
    """A link to the printable labels of one shelf (the needs admin draws them; a URL name,
    not an import, so this lower app does not depend on needs)."""
    if not shelf.pk:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse("admin:needs_need_shelf_labels_shelf", args=[shelf.pk]), _("Print"))


class ShelfInline(ScopedInlineMixin, StaffTabularInline):
    model = Shelf
    extra = 0
    fields = ["code", "positions", "description", "labels"]
    readonly_fields = ("labels",)

    @admin.display(description=_("shelf labels"))
    def labels(self, shelf):
        return _shelf_labels_link(shelf)


class MeetingRoomInline(ScopedInlineMixin, StaffTabularInline):
    model = MeetingRoom
    extra = 0
    fields = ["name", "seats", "has_video"]


@admin.register(Exhibition)
class ExhibitionAdmin(AuditedStaffAdmin):
    province_path = "province"
    provincial_permissions = ("view", "add", "change")
    change_form_template = "admin/exhibitions/exhibition/change_form.html"
    list_display = ["title_fa", "province", "town", "status", "is_pilot", "opened_on_local", "visitor_capacity", "shelf_count"]
    list_filter = ["status", "is_pilot", "province"]
    list_select_related = ["province", "town"]
    search_fields = ["title_fa", "title_en", "slug", "venue_fa"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [ShelfInline, MeetingRoomInline]
    fieldsets = [
        (None, {"fields": ["title_fa", "title_en", "slug", "province", "town", "status", "opened_on", "is_pilot"]}),
        (_("Venue and hours"), {"fields": [
            "venue_fa", "venue_en", "address_fa", "address_en", "opening_hours_fa", "opening_hours_en",
            "opens_at", "closes_at", "visitor_capacity", "phone",
        ]}),
    ]

    opened_on_local = date_column("opened_on", _("opened on"))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(shelf_total=Count("shelves", distinct=True))

    @admin.display(description=_("shelves"), ordering="shelf_total")
    def shelf_count(self, obj):
        return obj.shelf_total


@admin.register(Shelf)
class ShelfAdmin(StaffAdmin):
    province_path = "exhibition__province"
    list_display = ["code", "exhibition", "positions", "used_places", "description", "labels"]
    list_filter = ["exhibition"]
    list_select_related = ["exhibition"]
    search_fields = ["code", "exhibition__title_fa"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(used_total=Count("needs", distinct=True))

    @admin.display(description=_("places in use"), ordering="used_total")
    def used_places(self, obj):
        return obj.used_total

    @admin.display(description=_("shelf labels"))
    def labels(self, shelf):
        return _shelf_labels_link(shelf)


@admin.register(MeetingRoom)
class MeetingRoomAdmin(StaffAdmin):
    province_path = "exhibition__province"
    list_display = ["name", "exhibition", "seats", "has_video"]
    list_filter = ["exhibition", "has_video"]
    list_select_related = ["exhibition"]
    search_fields = ["name"]


@admin.register(StaffProvince)
class StaffProvinceAdmin(StaffAdmin):
    """Who serves which province: national staff only (add_province_staff sets it up)."""

    province_path = "province"
    provincial_permissions = ()
    list_display = ["user", "province"]
    list_filter = ["province"]
    search_fields = ["user__username", "province__name_fa"]
    autocomplete_fields = ["province"]
    raw_id_fields = ["user"]
