from django.contrib import admin

from needs.models import Need, NeedPhoto


class NeedPhotoInline(admin.TabularInline):
    model = NeedPhoto
    extra = 0


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "buyer", "province", "sector", "hs_code", "annual_fx_usd", "status"]
    list_filter = ["status", "sector", "province"]
    search_fields = ["title", "title_en", "hs_code", "buyer__name_fa"]
    raw_id_fields = ["buyer", "shelf", "entered_by"]
    inlines = [NeedPhotoInline]


@admin.register(NeedPhoto)
class NeedPhotoAdmin(admin.ModelAdmin):
    list_display = ["need", "caption", "is_primary", "order"]
    raw_id_fields = ["need"]
