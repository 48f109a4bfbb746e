from django.contrib import admin

from exhibitions.models import Exhibition, IndustrialTown, MeetingRoom, Province, Shelf, StaffProvince


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name_fa", "name_en", "slug"]
    search_fields = ["name_fa", "name_en", "slug"]


@admin.register(IndustrialTown)
class IndustrialTownAdmin(admin.ModelAdmin):
    list_display = ["name_fa", "name_en", "province"]
    list_filter = ["province"]
    search_fields = ["name_fa", "name_en"]


class ShelfInline(admin.TabularInline):
    model = Shelf
    extra = 0


class MeetingRoomInline(admin.TabularInline):
    model = MeetingRoom
    extra = 0


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin):
    list_display = ["title_fa", "province", "status", "is_pilot", "opened_on", "visitor_capacity"]
    list_filter = ["status", "is_pilot", "province"]
    search_fields = ["title_fa", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [MeetingRoomInline]


@admin.register(Shelf)
class ShelfAdmin(admin.ModelAdmin):
    list_display = ["code", "exhibition", "positions"]
    list_filter = ["exhibition"]
    search_fields = ["code"]


@admin.register(MeetingRoom)
class MeetingRoomAdmin(admin.ModelAdmin):
    list_display = ["name", "exhibition", "seats", "has_video"]
    list_filter = ["exhibition"]


@admin.register(StaffProvince)
class StaffProvinceAdmin(admin.ModelAdmin):
    list_display = ["user", "province"]
    list_filter = ["province"]
