from django.contrib import admin

from companies.models import Company, CompanyMember, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name_fa", "name_en", "slug", "order"]


class CompanyMemberInline(admin.TabularInline):
    model = CompanyMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name_fa", "national_id", "province", "is_buyer", "is_supplier", "is_verified"]
    list_filter = ["is_verified", "is_buyer", "is_supplier", "province", "sectors"]
    search_fields = ["name_fa", "name_en", "national_id"]
    filter_horizontal = ["sectors"]
    inlines = [CompanyMemberInline]


@admin.register(CompanyMember)
class CompanyMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "role", "is_approved"]
    list_filter = ["role", "is_approved"]
    raw_id_fields = ["user", "company"]
