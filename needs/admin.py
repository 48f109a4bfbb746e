from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult

from core.formats import digits, number
from core.i18n import is_persian
from core.text import normalize_text
from exhibitions.admin_helpers import (
    AuditedHistoryMixin,
    StaffAdmin,
    StaffTabularInline,
    date_column,
    datetime_column,
)
from exhibitions.models import Exhibition, Shelf
from exhibitions.scoping import ScopedInlineMixin
from exhibitions.selectors import scope_to_staff
from needs.models import Need, NeedPhoto, NeedStatus
from needs.photos import HeldPhotoInputMixin, PhotoField, hold_uploads
from needs.resources import NeedResource
from needs.selectors import shelf_places
from needs.services import (
    need_allowed_statuses,
    need_change_status,
    need_check_transition,
    need_photos_settle_primary,
    need_save_edited,
)
from needs.shelf_labels import has_label, needs_without_label, shelf_labels
from needs.templatetags.need_tags import shelf_place as shelf_place_html


class NeedPhotoFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        primaries = [
            form for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("is_primary")
        ]
        if len(primaries) > 1:
            raise ValidationError(_("Mark only one photo as the primary photo."))


class HeldPhotoAdminInput(HeldPhotoInputMixin, AdminFileWidget):
    """The admin's file input, keeping a chosen photo across a failed submit (needs/photos.py)."""


class KeepsChosenPhotosMixin:
    """A submit that fails validation keeps the photos it accepted, in its own form and its
    inlines, so staff need not choose them again (needs/photos.py: hold_uploads)."""

    def render_change_form(self, request, context, *args, **kwargs):
        if request.method == "POST":  # re-rendered, so it did not validate
            hold_uploads(context["adminform"].form)
            for inline in context.get("inline_admin_formsets", ()):
                for form in inline.formset.forms:
                    hold_uploads(form)
        return super().render_change_form(request, context, *args, **kwargs)


class NeedPhotoInline(ScopedInlineMixin, StaffTabularInline):
    model = NeedPhoto
    formset = NeedPhotoFormSet
    formfield_overrides = {PhotoField: {"widget": HeldPhotoAdminInput}}
    extra = 1
    fields = ["preview", "image", "caption", "order", "is_primary"]
    readonly_fields = ["preview"]

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 1

    @admin.display(description=_("preview"))
    def preview(self, photo):
        source = photo.thumbnail or photo.image
        if not (photo.pk and source):
            return ""
        return format_html('<img src="{}" alt="" class="need-photo-preview" width="120">', source.url)


class FxRangeFilter(admin.SimpleListFilter):
    title = _("annual FX value")
    parameter_name = "fx"
    RANGES = {
        "lt10k": (None, Decimal(10_000)),
        "10k-100k": (Decimal(10_000), Decimal(100_000)),
        "100k-1m": (Decimal(100_000), Decimal(1_000_000)),
        "gte1m": (Decimal(1_000_000), None),
    }

    def lookups(self, request, model_admin):
        return [
            ("lt10k", _("under $10,000")),
            ("10k-100k", _("$10,000 – $100,000")),
            ("100k-1m", _("$100,000 – $1 million")),
            ("gte1m", _("$1 million and more")),
        ]

    def queryset(self, request, queryset):
        bounds = self.RANGES.get(self.value())
        if not bounds:
            return queryset
        low, high = bounds
        if low is not None:
            queryset = queryset.filter(annual_fx_usd__gte=low)
        if high is not None:
            queryset = queryset.filter(annual_fx_usd__lt=high)
        return queryset


# -- the free positions of a shelf: the need form's help text and the script's JSON
def _place_list(positions: list[int]) -> str:
    """1, 3, 5–8: runs of three or more as a range, in the reader's digits."""
    parts, start = [], 0
    while start < len(positions):
        end = start
        while end + 1 < len(positions) and positions[end + 1] == positions[end] + 1:
            end += 1
        if end - start >= 2:
            parts.append(f"{digits(positions[start])}–{digits(positions[end])}")
        else:
            parts.extend(digits(position) for position in positions[start:end + 1])
        start = end + 1
    return ("، " if is_persian() else ", ").join(parts)


def shelf_places_summary(shelf: Shelf, *, need_pk: int | None = None) -> dict:
    """What the need form says about `shelf`: its free positions, and which need holds each
    of the others (`need_pk`, the need being edited, is "this need")."""
    taken, free = shelf_places(shelf=shelf)
    holders = ("، " if is_persian() else ", ").join(
        f"{digits(need.shelf_position)} ({gettext('this need') if need.pk == need_pk else need.display_title})"
        for need in taken
    )
    return {
        "shelf": shelf.code,
        "positions": shelf.positions,
        "free": free,
        "taken": [{"position": need.shelf_position, "need": need.pk, "title": need.display_title} for need in taken],
        "free_text": (
            gettext("Free positions: %(places)s") % {"places": _place_list(free)} if free
            else gettext("No position on this shelf is free.")
        ),
        "taken_text": gettext("Taken: %(places)s") % {"places": holders} if taken else "",
    }


class NeedAdminForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            current = self.instance.status if self.instance.pk else NeedStatus.IDENTIFIED
            allowed = need_allowed_statuses(current) if self.instance.pk else [NeedStatus.IDENTIFIED, NeedStatus.ON_DISPLAY]
            self.fields["status"].choices = [(value, NeedStatus(value).label) for value in allowed]
            self.fields["status"].help_text = _("Only the statuses the lifecycle allows from the current one are offered.")
        if "shelf" in self.fields:
            self._describe_shelf_places(self.fields["shelf"])

    def _describe_shelf_places(self, field):
        """The chosen shelf's free positions under the field (shelf-places.js asks again when
        staff pick another shelf; without the script this shows them after each submit)."""
        select = getattr(field.widget, "widget", field.widget)  # inside the admin's related-widget wrapper
        select.attrs.update({
            "data-places-url": reverse("admin:needs_need_shelf_places"),
            "data-places-error": gettext("The free positions of this shelf could not be loaded."),
            "data-need": self.instance.pk or "",
        })
        chosen = self.data.get(self.add_prefix("shelf")) if self.is_bound else self.initial.get("shelf", self.instance.shelf_id)
        shelf = field.queryset.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
        if shelf is None:
            text = [gettext("Choose a shelf to see which of its positions are free.")]
        else:
            summary = shelf_places_summary(shelf, need_pk=self.instance.pk)
            text = [summary["free_text"], summary["taken_text"]]
        field.help_text = format_html(
            '<span data-shelf-places aria-live="polite">{}</span>',
            format_html_join(mark_safe("<br>"), "{}", ([line] for line in text if line)),
        )

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.instance.pk:
            # The stored status, not the one being posted: the lifecycle rule of the service.
            need_check_transition(current=Need.objects.values_list("status", flat=True).get(pk=self.instance.pk), target=status)
        return status


class NeedExportForm(SelectableFieldsExportForm):
    """The columns offered for export, named as the need form names its fields (the file's
    own headers, title, buyer_national_id and so on, are the ones an import reads back)."""

    @property
    def media(self):
        return super().media + forms.Media(js=["portal-admin/export-fields.js"])

    def _get_field_label(self, resource, field_name: str) -> str:
        return resource.column_label(field_name)


@admin.register(Need)
class NeedAdmin(KeepsChosenPhotosMixin, AuditedHistoryMixin, ImportExportMixin, StaffAdmin):
    province_path = "province"
    form = NeedAdminForm
    change_form_template = "admin/needs/need/change_form.html"
    resource_classes = [NeedResource]
    import_formats = [XLSX, CSV]
    export_formats = [XLSX, CSV]
    list_display = [
        "photo", "title", "buyer", "sector", "hs_code", "fx", "status", "shelf_place", "identified_on_local",
        "label_link",
    ]
    # The thumbnail is no link: beside the title's link it would be a second, nameless one
    # (axe: link-name), and one more tab stop per row.
    list_display_links = ["title"]
    list_filter = ["status", "sector", "exhibition", FxRangeFilter, "province", "display_consent", "origin_country"]
    list_select_related = ["buyer", "sector", "province", "exhibition", "shelf"]
    list_per_page = 50
    search_fields = ["search_text"]
    search_help_text = _("Title, company or HS code; Persian or Arabic letters and digits both work.")
    autocomplete_fields = ["buyer"]
    readonly_fields = ["entered_by", "created_at_local", "updated_at_local"]
    actions = ["put_on_display", "withdraw", "print_shelf_labels"]
    inlines = [NeedPhotoInline]
    fieldsets = [
        (_("The need"), {"fields": ["title", "title_en", "sector", "hs_code", "origin_country", "description", "description_en"]}),
        (_("Buyer company"), {"fields": ["buyer", "province", "is_anonymous", "display_consent"]}),
        (_("Quantity and foreign currency"), {"fields": [("annual_quantity", "unit"), "annual_fx_usd"]}),
        (_("Sample and shelf place"), {
            "fields": ["exhibition", ("shelf", "shelf_position")],
            "description": _("Where the sample sits in the exhibition hall; needed to put the need on display."),
        }),
        (_("Status"), {"fields": ["status", "identified_on", "entered_by", "created_at_local", "updated_at_local"]}),
    ]

    identified_on_local = date_column("identified_on", _("identified on"))
    created_at_local = datetime_column("created_at", _("created at"))
    updated_at_local = datetime_column("updated_at", _("updated at"))

    # -- lists
    def get_queryset(self, request):
        primary = Prefetch("photos", queryset=NeedPhoto.objects.filter(is_primary=True), to_attr="primary_photos")
        return super().get_queryset(request).prefetch_related(primary)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, "")
        for word in normalize_text(search_term).split():
            # The need's own search text leaves out anonymous buyers' names (it feeds the
            # public catalogue); staff find a need by its company either way.
            queryset = queryset.filter(
                Q(search_text__contains=word) | Q(buyer__search_text__contains=word) | Q(hs_code__startswith=word)
            )
        return queryset, may_have_duplicates

    @admin.display(description=_("photo"))
    def photo(self, need):
        photos = getattr(need, "primary_photos", None)
        if not photos:
            return "—"
        source = photos[0].thumbnail or photos[0].image
        return format_html('<img src="{}" alt="" class="need-list-thumb" width="64">', source.url)

    @admin.display(description=_("annual FX (USD)"), ordering="annual_fx_usd")
    def fx(self, need):
        return number(need.annual_fx_usd)

    @admin.display(description=_("shelf place"), ordering="shelf__code")
    def shelf_place(self, need):
        return shelf_place_html(need) if need.shelf_id else "—"  # as the shelf label says

    @admin.display(description=_("shelf label"))
    def label_link(self, need):
        if not has_label(need):
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:needs_need_shelf_label", args=[need.pk]), _("Print"))

    class Media:
        js = ("portal-admin/shelf-places.js",)

    # -- forms
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # who and when are filled in on saving
            hidden = {"entered_by", "created_at_local", "updated_at_local"}
            fieldsets = [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]
        return fieldsets

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("identified_on", timezone.localdate())
        return initial

    def save_model(self, request, obj, form, change):
        if not change and obj.entered_by_id is None:
            obj.entered_by = request.user
        if change:
            need_save_edited(need=obj, by=request.user)
        else:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        need_photos_settle_primary(need=form.instance)

    # -- actions: every status change goes through the lifecycle service
    def _change_status(self, request, queryset, status, done_message):
        moved, refused = 0, []
        for need in queryset.select_related("shelf", "exhibition"):
            try:
                need_change_status(need=need, status=status, by=request.user)
                moved += 1
            except ValidationError as error:
                refused.append(f"{need.title} (#{need.pk}): {' '.join(error.messages)}")
        if moved:
            self.message_user(request, done_message(moved), messages.SUCCESS)
        for line in refused[:20]:
            self.message_user(request, line, messages.ERROR)
        if len(refused) > 20:
            self.message_user(request, _("… and %(n)s more not changed.") % {"n": len(refused) - 20}, messages.ERROR)

    @admin.action(description=_("Put on display"), permissions=["change"])
    def put_on_display(self, request, queryset):
        self._change_status(
            request, queryset, NeedStatus.ON_DISPLAY,
            lambda n: ngettext("%(n)d need put on display.", "%(n)d needs put on display.", n) % {"n": n},
        )

    @admin.action(description=_("Withdraw (frees the shelf place)"), permissions=["change"])
    def withdraw(self, request, queryset):
        self._change_status(
            request, queryset, NeedStatus.WITHDRAWN,
            lambda n: ngettext("%(n)d need withdrawn.", "%(n)d needs withdrawn.", n) % {"n": n},
        )

    @admin.action(description=_("Print shelf labels for selected needs"), permissions=["view"])
    def print_shelf_labels(self, request, queryset):
        # The changelist's queryset: already the staff member's provinces only.
        return self._labels_page(
            request, needs=queryset, scope="selection", title=_("Shelf labels for the chosen needs"),
            crumbs=[(reverse("admin:needs_need_changelist"), self.opts.verbose_name_plural)],
        )

    # -- import / export, scoped like everything else
    # CSV is written with a UTF-8 byte-order mark, without which Excel reads the Persian as
    # another code page; a file read back may carry one or not.
    to_encoding = "utf-8-sig"
    from_encoding = "utf-8-sig"

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**kwargs, "user": request.user}

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # All or nothing at the confirming step too: a row that became invalid since the
        # preview (say, its shelf place was taken meanwhile) rolls the whole file back.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(request, _("Nothing was imported: some rows are not valid any more."), messages.ERROR)
            for row in result.invalid_rows[:20]:
                self.message_user(
                    request,
                    _("Row %(row)s: %(errors)s") % {"row": row.number, "errors": " ".join(
                        f"{field}: {' '.join(errors)}" for field, errors in row.field_specific_errors.items()
                    ) or " ".join(row.non_field_specific_errors)},
                    messages.ERROR,
                )
            for line_number, errors in result.row_errors()[:20]:
                self.message_user(
                    request, _("Row %(row)s: %(errors)s") % {"row": line_number, "errors": " ".join(str(e.error) for e in errors)},
                    messages.ERROR,
                )
            return redirect("admin:needs_need_import")
        return super().process_result(result, request)

    export_form_class = NeedExportForm

    def import_action(self, request, **kwargs):
        """The import page lists the file's columns (codes, as an export writes them) beside
        what each holds, in the reader's language."""
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data.get("fields_list"):
            response.context_data["columns"] = [
                (code, NeedResource.column_label(code))
                for _name, codes in response.context_data["fields_list"] for code in codes
            ]
        return response

    def add_success_message(self, result, request):
        """The import's result in the reader's language and digits (django-import-export's
        own sentence is English in its Persian catalogue)."""
        totals = result.totals
        self.message_user(request, gettext(
            "Import of %(items)s finished: %(new)s new, %(updated)s updated, %(deleted)s deleted and %(skipped)s unchanged."
        ) % {
            "items": self.opts.verbose_name_plural,
            "new": number(totals[RowResult.IMPORT_TYPE_NEW]),
            "updated": number(totals[RowResult.IMPORT_TYPE_UPDATE]),
            "deleted": number(totals[RowResult.IMPORT_TYPE_DELETE]),
            "skipped": number(totals[RowResult.IMPORT_TYPE_SKIP]),
        }, messages.SUCCESS)

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    # -- shelf labels of one exhibition, one shelf or one need (and the action's selection),
    # -- and the free positions of a shelf for the need form
    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("shelf-places/", view(self.shelf_places_view), name="needs_need_shelf_places"),
            path("shelf-labels/need/<path:object_id>/", view(self.need_label_view), name="needs_need_shelf_label"),
            path("shelf-labels/shelf/<path:shelf_id>/", view(self.shelf_labels_of_shelf_view),
                 name="needs_need_shelf_labels_shelf"),
            path("shelf-labels/<path:exhibition_id>/", view(self.shelf_labels_view), name="needs_need_shelf_labels"),
            *super().get_urls(),
        ]

    @staticmethod
    def _pk(raw) -> int:
        try:
            return int(unquote(str(raw)))
        except ValueError:
            raise Http404 from None

    def _labels_page(self, request, *, needs, scope, title, crumbs):
        """The label sheet for `needs` (a queryset this staff member may see); which of them
        get a label is needs/shelf_labels.py's rule."""
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "scope": scope,
            "crumbs": crumbs,
            "labels": shelf_labels(needs=needs),
            "left_out": needs_without_label(needs=needs),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/needs/shelf_labels.html", context)

    def shelf_labels_view(self, request, exhibition_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        exhibitions = scope_to_staff(Exhibition.objects.select_related("province"), request.user, "province")
        exhibition = get_object_or_404(exhibitions, pk=self._pk(exhibition_id))
        return self._labels_page(
            request, needs=self.get_queryset(request).filter(exhibition=exhibition, shelf__isnull=False),
            scope="exhibition", title=_("Shelf labels: %(exhibition)s") % {"exhibition": exhibition.title},
            crumbs=[
                (reverse("admin:exhibitions_exhibition_changelist"), Exhibition._meta.verbose_name_plural),
                (reverse("admin:exhibitions_exhibition_change", args=[exhibition.pk]), exhibition.title),
            ],
        )

    def shelf_labels_of_shelf_view(self, request, shelf_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        shelves = scope_to_staff(Shelf.objects.select_related("exhibition"), request.user, "exhibition__province")
        shelf = get_object_or_404(shelves, pk=self._pk(shelf_id))
        return self._labels_page(
            request, needs=self.get_queryset(request).filter(shelf=shelf),
            scope="shelf", title=_("Shelf labels: shelf %(shelf)s") % {"shelf": shelf.code},
            crumbs=[
                (reverse("admin:exhibitions_shelf_changelist"), Shelf._meta.verbose_name_plural),
                (reverse("admin:exhibitions_shelf_change", args=[shelf.pk]), str(shelf)),
            ],
        )

    def need_label_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        need = self.get_object(request, unquote(object_id))
        if need is None:
            raise Http404
        return self._labels_page(
            request, needs=self.get_queryset(request).filter(pk=need.pk),
            scope="need", title=_("Shelf label: %(need)s") % {"need": need.display_title},
            crumbs=[
                (reverse("admin:needs_need_changelist"), self.opts.verbose_name_plural),
                (reverse("admin:needs_need_change", args=[need.pk]), need.display_title),
            ],
        )

    def shelf_places_view(self, request):
        """JSON for shelf-places.js: the free and taken positions of a shelf of the staff
        member's provinces (404 for any other)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if not request.GET.get("shelf"):
            return JsonResponse({
                "free": [], "taken": [], "taken_text": "",
                "free_text": gettext("Choose a shelf to see which of its positions are free."),
            })
        shelves = scope_to_staff(Shelf.objects.all(), request.user, "exhibition__province")
        shelf = get_object_or_404(shelves, pk=self._pk(request.GET["shelf"]))
        need = request.GET.get("need", "")
        return JsonResponse(shelf_places_summary(shelf, need_pk=int(need) if need.isdigit() else None))


@admin.register(NeedPhoto)
class NeedPhotoAdmin(KeepsChosenPhotosMixin, StaffAdmin):
    province_path = "need__province"
    formfield_overrides = {PhotoField: {"widget": HeldPhotoAdminInput}}
    list_display = ["preview", "need", "caption", "is_primary", "order", "created_at_local"]
    list_select_related = ["need"]
    search_fields = ["caption", "need__title"]
    autocomplete_fields = ["need"]
    readonly_fields = ["preview"]
    fields = ["need", "image", "preview", "caption", "order", "is_primary"]

    created_at_local = date_column("created_at", _("created at"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        need_photos_settle_primary(need=obj.need)

    def delete_model(self, request, obj):
        need = obj.need
        super().delete_model(request, obj)
        need_photos_settle_primary(need=need)

    def delete_queryset(self, request, queryset):
        needs = list(Need.objects.filter(pk__in=queryset.values("need_id")))
        super().delete_queryset(request, queryset)
        for need in needs:
            need_photos_settle_primary(need=need)

    @admin.display(description=_("preview"))
    def preview(self, photo):
        source = photo.thumbnail or photo.image
        if not (photo.pk and source):
            return ""
        return format_html('<img src="{}" alt="" class="need-list-thumb" width="64">', source.url)
