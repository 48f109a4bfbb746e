"""Bulk import and export of needs (XLSX and CSV, through django-import-export).

A file the admin exported imports back unchanged: blank cells are empty values, wholly
blank rows are ignored, numbers and dates are typed cells in XLSX (text in CSV), and a
row that changes nothing is reported as skipped, not as updated. Text is stored as typed
text is (core.text.normalize_typed_text).

Every row is validated like a form: the same widgets' checks, then the model's full_clean
(the rules and constraints in needs/models.py), then the lifecycle rule of
needs/services.py for a changed status, which is saved through need_change_status. The
admin imports all or nothing: a file with any bad row stores nothing and reports each bad
row and why. A provincial staff member can only import into their own provinces: buyers,
exhibitions, shelves and existing needs (matched by `id`) are looked up among their
provinces' rows only, and the need's province is its buyer's."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from companies.models import Company, Sector
from core.text import normalize_digits, normalize_text, normalize_typed_text
from exhibitions.models import Exhibition, Shelf
from exhibitions.selectors import scope_to_staff
from needs.models import ORIGIN_COUNTRIES, Need, NeedStatus, Unit
from needs.services import need_check_transition, need_save_edited

NEW_NEED_STATUSES = (NeedStatus.IDENTIFIED, NeedStatus.ON_DISPLAY)
COLUMN_OF = {"buyer": "buyer_national_id"}  # model field -> column of the file, for error reports


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_digits(str(value)).strip()


def _native(kwargs) -> bool:
    """Whether the file keeps typed cells (XLSX: the admin asks for native values), rather
    than text (CSV)."""
    return bool(kwargs.get("force_native_type"))


class TextWidget(widgets.Widget):
    """Free text: a blank cell is an empty text; Arabic yeh and kaf and blanks at the ends
    are put right as in a typed form."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return normalize_typed_text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CodeWidget(widgets.Widget):
    """A code of digits (an HS code) typed in any digits, or given as a number cell."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ScopedLookupWidget(widgets.Widget):
    """A reference by a natural key (national ID, slug, shelf code) to a row the importing
    user may use; an unknown or out-of-province key is a clear error on that row."""

    def __init__(self, *, lookup, render_attr, not_found, **kwargs):
        self.lookup = lookup  # callable(key, row) -> object or None
        self.render_attr = render_attr
        self.not_found = not_found
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        key = _text(value)
        if not key:
            return None
        found = self.lookup(key, row or {})
        if found is None:
            raise ValueError(self.not_found % {"value": key})
        return found

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.render_attr, "") if value is not None else ""


class ChoiceWidget(widgets.Widget):
    """A choice given by its code or by its label in Persian or English."""

    def __init__(self, choices, *, field_label, **kwargs):
        self.choices = choices
        self.field_label = field_label
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        key = _text(value)
        if not key:
            return None
        wanted = normalize_text(key)
        for code, label in self.choices:
            if wanted in (normalize_text(code), normalize_text(str(label))):
                return code
        from django.utils import translation

        for lang in ("fa", "en"):
            with translation.override(lang):
                for code, label in self.choices:
                    if wanted == normalize_text(str(label)):
                        return code
        raise ValueError(
            _("“%(value)s” is not a valid %(field)s; use one of: %(codes)s.")
            % {"value": key, "field": self.field_label, "codes": ", ".join(code for code, _label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class NumberWidget(widgets.Widget):
    """A decimal typed with Persian, Arabic or ASCII digits and any thousands separators."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, (int, float, Decimal)):
            return Decimal(str(value))
        text = _text(value).replace(",", "").replace("٬", "").replace("،", "").replace(" ", "").replace("٫", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        if _native(kwargs):
            return value
        return "" if value is None else str(value)


class PositionWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        try:
            number = Decimal(_text(value))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
        if number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if _native(kwargs):
            return value
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    TRUE = {"1", "true", "yes", "y", "بله", "آری", "اری", "دارد", "✓"}
    FALSE = {"0", "false", "no", "n", "خیر", "نه", "ندارد", ""}

    def clean(self, value, row=None, **kwargs):
        if value is True or value is False:
            return value
        key = normalize_text(_text(value))
        if key in self.TRUE:
            return True
        if key in self.FALSE:
            return False
        raise ValueError(_("“%(value)s” is not yes or no.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if _native(kwargs):
            return bool(value)
        return "1" if value else "0"


class LocalDateWidget(widgets.Widget):
    """A date as 2025-10-10 or in the Jalali calendar as 1404/07/18 (a year before 1700),
    or a date cell of a spreadsheet."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        from exhibitions.admin_helpers import LocalDateField

        try:
            return LocalDateField().to_python(_text(value))
        except ValidationError:
            raise ValueError(
                _("“%(value)s” is not a date; write 1404/07/18 (Jalali) or 2025-10-10.") % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if _native(kwargs):
            return value
        return value.isoformat() if value else ""


class NeedResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget())
    title = fields.Field(attribute="title", column_name="title", widget=TextWidget())
    title_en = fields.Field(attribute="title_en", column_name="title_en", widget=TextWidget())
    description = fields.Field(attribute="description", column_name="description", widget=TextWidget())
    description_en = fields.Field(attribute="description_en", column_name="description_en", widget=TextWidget())
    hs_code = fields.Field(attribute="hs_code", column_name="hs_code", widget=CodeWidget())
    annual_quantity = fields.Field(attribute="annual_quantity", column_name="annual_quantity", widget=NumberWidget())
    annual_fx_usd = fields.Field(attribute="annual_fx_usd", column_name="annual_fx_usd", widget=NumberWidget())
    shelf_position = fields.Field(attribute="shelf_position", column_name="shelf_position", widget=PositionWidget())
    display_consent = fields.Field(attribute="display_consent", column_name="display_consent", widget=YesNoWidget())
    is_anonymous = fields.Field(attribute="is_anonymous", column_name="is_anonymous", widget=YesNoWidget())
    identified_on = fields.Field(attribute="identified_on", column_name="identified_on", widget=LocalDateWidget())

    class Meta:
        model = Need
        fields = [
            "id", "title", "title_en", "description", "description_en", "buyer_national_id", "sector", "hs_code",
            "annual_quantity", "unit", "annual_fx_usd", "origin_country", "exhibition", "shelf", "shelf_position",
            "display_consent", "is_anonymous", "status", "identified_on",
        ]
        import_id_fields = ["id"]
        clean_model_instances = True
        use_transactions = True
        # A row that changes nothing is not saved, and is reported as skipped (unchanged).
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True

    # What a column of the file holds, where its model field's name does not say it.
    COLUMN_LABELS = {"buyer_national_id": gettext_lazy("national ID of the buyer company"), "id": gettext_lazy("ID")}

    @classmethod
    def column_label(cls, column: str) -> str:
        """What a column of the file holds, in the active language (the headers themselves are
        codes, the same in every language, so that an exported file imports back)."""
        if column in cls.COLUMN_LABELS:
            return str(capfirst(cls.COLUMN_LABELS[column]))
        try:
            return str(capfirst(Need._meta.get_field(column).verbose_name))
        except FieldDoesNotExist:
            return column

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.fields["buyer_national_id"] = fields.Field(
            attribute="buyer", column_name="buyer_national_id",
            widget=ScopedLookupWidget(
                lookup=self._buyer, render_attr="national_id",
                not_found=_("No buyer company with national ID %(value)s in your provinces."),
            ),
        )
        self.fields["sector"] = fields.Field(
            attribute="sector", column_name="sector",
            widget=ScopedLookupWidget(
                lookup=self._sector, render_attr="slug",
                not_found=_("No sector “%(value)s”; use a slug such as auto-parts or its Persian name."),
            ),
        )
        self.fields["exhibition"] = fields.Field(
            attribute="exhibition", column_name="exhibition",
            widget=ScopedLookupWidget(
                lookup=self._exhibition, render_attr="slug",
                not_found=_("No exhibition “%(value)s” in your provinces."),
            ),
        )
        self.fields["shelf"] = fields.Field(
            attribute="shelf", column_name="shelf",
            widget=ScopedLookupWidget(
                lookup=self._shelf, render_attr="code",
                not_found=_("No shelf “%(value)s” in this row's exhibition."),
            ),
        )
        self.fields["unit"] = fields.Field(
            attribute="unit", column_name="unit", widget=ChoiceWidget(Unit.choices, field_label=_("unit"))
        )
        self.fields["origin_country"] = fields.Field(
            attribute="origin_country", column_name="origin_country",
            widget=ChoiceWidget(ORIGIN_COUNTRIES, field_label=_("origin country")),
        )
        self.fields["status"] = fields.Field(
            attribute="status", column_name="status", widget=ChoiceWidget(NeedStatus.choices, field_label=_("status"))
        )
        self._stored_status: dict[int, str] = {}

    # -- what the importing user may touch
    def get_queryset(self):
        return scope_to_staff(Need.objects.select_related("buyer", "sector", "exhibition", "shelf"), self.user, "province")

    def _buyer(self, key, row):
        companies = scope_to_staff(Company.objects.filter(is_buyer=True), self.user, "province")
        return companies.filter(national_id=key).first()

    def _sector(self, key, row):
        wanted = normalize_text(key)
        for sector in Sector.objects.all():
            if wanted in (sector.slug, normalize_text(sector.name_fa), normalize_text(sector.name_en)):
                return sector
        return None

    def _exhibition(self, key, row):
        return scope_to_staff(Exhibition.objects.all(), self.user, "province").filter(slug=key).first()

    def _shelf(self, key, row):
        exhibition = self._exhibition(_text(row.get("exhibition")), row)
        if exhibition is None:
            return None
        return Shelf.objects.filter(exhibition=exhibition, code=key).first()

    # -- rows
    def import_row(self, row, instance_loader, **kwargs):
        """A wholly blank row (spreadsheets keep them between and after the data) is skipped,
        never a need with every field missing; the other rows keep their numbers."""
        if all(_text(value) == "" for value in row.values()):
            result = self.get_row_result_class()()
            result.import_type = result.IMPORT_TYPE_SKIP
            return result
        return super().import_row(row, instance_loader, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean like a form, reported under the file's column names; a row whose buyer
        is unknown is not also blamed for the province that comes from the buyer."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | ({"province"} if not instance.buyer_id else set())
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError({COLUMN_OF.get(key, key): value for key, value in errors.items()})

    def get_instance(self, instance_loader, row):
        key = _text(row.get("id"))
        if not key:
            return None
        if not key.isdigit():
            raise ValidationError({"id": _("“%(value)s” is not a need id.") % {"value": key}})
        instance = self.get_queryset().filter(pk=int(key)).first()
        if instance is None:
            # Never create a row with a chosen id: it could be another province's need.
            raise ValidationError(
                {"id": _("No need with id %(value)s in your provinces; leave id empty to add a new need.") % {"value": key}}
            )
        self._stored_status[instance.pk] = instance.status
        return instance

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if instance.buyer_id:
            instance.province_id = instance.buyer.province_id
        if instance.pk is None:
            if not instance.status:
                instance.status = NeedStatus.IDENTIFIED
            if instance.status not in NEW_NEED_STATUSES:
                errors.setdefault("status", []).append(
                    ValidationError(_("A new need starts as “Identified” or “On display”."))
                )
            if self.user is not None and self.user.is_authenticated:
                instance.entered_by = self.user
        else:
            try:
                need_check_transition(current=self._stored_status[instance.pk], target=instance.status)
            except ValidationError as e:
                errors.setdefault("status", []).extend(e.error_list)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        """A stored need is saved by need_save_edited, as the admin's change form is: a changed
        status is a lifecycle step (a withdrawal frees the shelf place). A refusal makes the
        row invalid, and the file is imported all or nothing."""
        if is_create:
            super().do_instance_save(instance, is_create)
        else:
            need_save_edited(need=instance, by=self.user)
