"""Shared pieces of the staff admin: the audited, province-scoped base class; dates shown
and typed in the reader's calendar (Jalali, in Tehran time, in the Persian admin), on
forms, in lists, on read-only pages and in the audit trail; tabular inlines whose fields
are named for screen readers."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation

from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry as AuditEntry
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.formats import date as local_date
from core.formats import datetime_ as local_datetime
from core.formats import digits, number
from core.i18n import is_persian
from core.text import normalize_digits, normalize_number, parse_typed_date
from core.widgets import JalaliDateInput, JalaliSplitDateTimeWidget
from exhibitions.scoping import ProvinceScopedMixin


class LocalDateField(forms.DateField):
    """A date typed as the reader writes it. In Persian pages the value is shown in the
    Jalali calendar (۱۴۰۴/۰۷/۱۸, with a date picker) and typed in it with Persian or ASCII
    digits; a Gregorian date (a year from 1700 on) is accepted too, so a pasted ISO date
    still works."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _("Enter a date such as 1404/07/18 (Jalali) or 2025-10-10."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_typed_date(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class LocalTimeField(forms.TimeField):
    """A time of day as hours:minutes, in Persian, Arabic or ASCII digits."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_digits(value).strip()
        return super().to_python(value)


class LocalDateTimeField(forms.SplitDateTimeField):
    """A moment typed as a Jalali (or Gregorian) date and a time, in Tehran time (the
    current time zone): 1404/08/15 and ۱۰:۳۰ is 10:30 in Tehran that day."""

    widget = JalaliSplitDateTimeWidget

    def __init__(self, **kwargs):
        kwargs.pop("input_date_formats", None)
        kwargs.pop("input_time_formats", None)
        localize = kwargs.get("localize", False)
        forms.MultiValueField.__init__(
            self, (LocalDateField(localize=localize), LocalTimeField(localize=localize)), **kwargs
        )


class _DigitsMixin:
    """Numbers typed with Persian or Arabic digits and thousands separators are accepted.
    A type=number input would silently drop them, so these fields use a text input that
    asks phones for the numeric keyboard."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_number(value)
        return super().to_python(value)


class LocalDecimalField(_DigitsMixin, forms.DecimalField):
    pass


class LocalIntegerField(_DigitsMixin, forms.IntegerField):
    pass


def _numeric_widget(inputmode: str) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": inputmode, "dir": "ltr", "size": 14})


def date_column(field: str, description):
    """A changelist column showing a date (or datetime's date) in the reader's calendar."""

    @admin.display(description=description, ordering=field)
    def column(self, obj):
        return local_date(getattr(obj, field))

    column.__name__ = f"{field}_local"
    return column


def datetime_column(field: str, description):
    @admin.display(description=description, ordering=field)
    def column(self, obj):
        value = getattr(obj, field)
        return local_datetime(value) if value else ""

    column.__name__ = f"{field}_local"
    return column


LOCAL = "_local"  # `<field>_local`: how a date field is shown in the reader's calendar


def _date_field(model, name) -> models.Field | None:
    """The model's date, date-time or time field called `name`, if it has one."""
    if model is None or not isinstance(name, str):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, (models.DateField, models.TimeField)) else None


def _local_column(field: models.Field, empty: str):
    """How a date field is shown, not typed: a display function for lists and read-only
    fields, labelled with the field's name."""

    @admin.display(description=field.verbose_name, ordering=field.name)
    def column(obj):
        value = getattr(obj, field.name)
        if value is None:
            return empty
        if isinstance(field, models.DateTimeField):
            return local_datetime(value)
        if isinstance(field, models.DateField):
            return local_date(value)
        return digits(value.strftime("%H:%M"))

    column.__name__ = f"{field.name}{LOCAL}"
    return column


class LocalDatesMixin:
    """Dates in the reader's calendar wherever the admin has them.

    Typed: date and date-time fields in Jalali on Persian pages (Django's Gregorian widgets
    in English); numbers in Persian, Arabic or ASCII digits.

    Shown: a date field in a list, among the read-only fields or on a view-only page is shown
    through ``<field>_local`` (Jalali in Tehran time on Persian pages): Django's own display
    has only the Gregorian calendar. An admin may still declare its own ``<field>_local``."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateField) and is_persian():
            kwargs.pop("widget", None)
            form_class = LocalDateTimeField if isinstance(db_field, models.DateTimeField) else LocalDateField
            return db_field.formfield(form_class=form_class, **kwargs)
        if not db_field.choices and not db_field.primary_key:
            if isinstance(db_field, models.DecimalField):
                kwargs["widget"] = _numeric_widget("decimal")
                return db_field.formfield(form_class=LocalDecimalField, **kwargs)
            if isinstance(db_field, models.IntegerField) and not isinstance(db_field, models.BigAutoField):
                kwargs["widget"] = _numeric_widget("numeric")
                return db_field.formfield(form_class=LocalIntegerField, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # -- shown: `<field>_local` for every date field listed or read-only
    def __getattr__(self, name):
        if name.endswith(LOCAL):
            model = self.__dict__.get("model") or getattr(type(self), "model", None)
            field = _date_field(model, name[: -len(LOCAL)])
            if field is not None:
                return _local_column(field, self.get_empty_value_display())
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _shown_locally(self, names, only=None):
        """`names` with each date field (of `only`, when given) as its `_local` display."""
        return [
            f"{name}{LOCAL}" if _date_field(self.model, name) and (only is None or name in only) else name
            for name in names
        ]

    def _view_only(self, request, obj) -> bool:
        return obj is not None and not self.has_change_permission(request, obj)

    def get_list_display(self, request):
        return self._shown_locally(super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._shown_locally(super().get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        read_only = None if self._view_only(request, obj) else set(super().get_readonly_fields(request, obj))
        return [
            (name, {**options, "fields": [
                tuple(self._shown_locally(line, read_only)) if isinstance(line, (list, tuple))
                else self._shown_locally([line], read_only)[0]
                for line in options["fields"]
            ]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def _form_fields(self, fields):
        """A form's own fields: not the `_local` displays."""
        if fields is None:
            return None
        return [
            name for name in fields
            if not (isinstance(name, str) and name.endswith(LOCAL) and _model_field(self.model, name) is None)
        ]


class LocalDatesAdminMixin(LocalDatesMixin):
    """LocalDatesMixin for a ModelAdmin: its form leaves the `_local` displays out."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = self._form_fields(kwargs["fields"])
        return super().get_form(request, obj, change, **kwargs)


class LabelledInlineMixin(LocalDatesMixin):
    """A tabular inline's rows have no <label>: the column headers name the fields for the
    eye only. Each field of a row is named after its column (aria-label), so a screen
    reader says what it is (axe: "Form elements must have labels")."""

    def get_formset(self, request, obj=None, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = self._form_fields(kwargs["fields"])
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    widget = getattr(field.widget, "widget", field.widget)  # inside the related-widget wrapper
                    for part in getattr(widget, "widgets", [widget]):
                        if not part.is_hidden:
                            part.attrs.setdefault("aria-label", str(capfirst(field.label or "")))

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet


class StaffTabularInline(LabelledInlineMixin, admin.TabularInline):
    """The base of the portal's tabular inlines (with ScopedInlineMixin for their scoping)."""


class ReadOnlyAdminMixin:
    """Nothing is added, changed or deleted here (an admin or an inline of records that
    change only through their services)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- the audit trail (django-auditlog) in the reader's words
def _audit_value(field: models.Field | None, raw, names: dict) -> str:
    """One recorded value (auditlog stores text: a choice's code, a related row's id, a
    moment in UTC) as the reader knows it: the choice's label, the row's name, the moment
    in the reader's calendar and Tehran time."""
    if raw is None or raw == "None" or raw == "":
        return "—"
    if field is None:
        return str(raw)
    if field.choices:
        return str({str(key): label for key, label in field.flatchoices}.get(str(raw), raw))
    if field.many_to_one or field.one_to_one:
        name = names.get((field.related_model, str(raw)))
        return name if name is not None else gettext("#%(id)s (no longer there)") % {"id": raw}
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if str(raw) == "True" else gettext("No")
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(str(raw))
            return local_datetime(moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC))
        if isinstance(field, models.DateField):
            return local_date(datetime.date.fromisoformat(str(raw)[:10]))
        if isinstance(field, models.TimeField):
            return digits(str(raw)[:5])
    except ValueError:
        return str(raw)
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        try:
            amount = Decimal(str(raw))
        except InvalidOperation:
            return str(raw)
        if amount == amount.to_integral_value():
            return number(amount)
        return digits(format(amount.normalize(), "f")).replace(".", "٫" if is_persian() else ".")
    return str(raw)


def _related_names(entries, model) -> dict:
    """The names of every related row the entries mention, in one query per related model."""
    wanted: dict = {}
    for entry in entries:
        for name, change in entry.changes_dict.items():
            field = _model_field(model, name)
            if field is not None and (field.many_to_one or field.one_to_one) and isinstance(change, list):
                wanted.setdefault(field.related_model, set()).update(str(v) for v in change if v not in (None, "None"))
    names = {}
    for related, pks in wanted.items():
        for pk, row in related._base_manager.in_bulk([pk for pk in pks if pk.isdigit()]).items():
            names[(related, str(pk))] = str(row)
    return names


def _model_field(model, name):
    """The model's own field (not a reverse relation) called `name`, if it has one."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if not field.auto_created or field.concrete else None


ACTION_LABELS = {
    AuditEntry.Action.CREATE: pgettext_lazy("audit trail", "Created"),
    AuditEntry.Action.UPDATE: pgettext_lazy("audit trail", "Changed"),
    AuditEntry.Action.DELETE: pgettext_lazy("audit trail", "Deleted"),
    AuditEntry.Action.ACCESS: pgettext_lazy("audit trail", "Viewed"),
}


def audit_trail(entries, model) -> list[dict]:
    """The entries of one object's trail as the page shows them: when (the reader's calendar,
    Tehran time), who, what was done, and each field's label with its values before and after."""
    names = _related_names(entries, model)
    trail = []
    for entry in entries:
        changes, relations = [], []
        for name, change in sorted(entry.changes_dict.items()):
            field = _model_field(model, name)
            label = capfirst(field.verbose_name) if field is not None else name.replace("_", " ").capitalize()
            if isinstance(change, dict) and change.get("type") == "m2m":
                objects = "، ".join(change.get("objects", [])) if is_persian() else ", ".join(change.get("objects", []))
                wording = _("added: %(objects)s") if change.get("operation") == "add" else _("removed: %(objects)s")
                relations.append({"label": label, "change": wording % {"objects": objects}})
            elif isinstance(change, list) and len(change) == 2:
                before, after = (_audit_value(field, value, names) for value in change)
                changes.append({"label": label, "before": before, "after": after})
        trail.append({
            "when": local_datetime(entry.timestamp),
            "iso": entry.timestamp.isoformat(),
            "actor": (entry.actor.get_full_name() or entry.actor.get_username()) if entry.actor else gettext("the system"),
            "action": ACTION_LABELS.get(entry.action, ""),
            "changes": changes,
            "relations": relations,
        })
    return trail


class AuditedHistoryMixin(AuditlogHistoryAdminMixin):
    """The audit trail (django-auditlog) of one object, linked from its change page, in the
    reader's words (admin/audit_trail.html): field labels, choice labels and related rows by
    name rather than codes and ids, times in the reader's calendar and Tehran time. The object
    is loaded through the scoped queryset, so another province's trail is a 404."""

    change_form_template = "admin/audited_change_form.html"
    auditlog_history_template = "admin/audit_trail.html"

    def auditlog_history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        title = gettext("Audit trail: %(object)s") % {"object": obj}
        response = super().auditlog_history_view(request, object_id, {"title": title, **(extra_context or {})})
        response.context_data["trail"] = audit_trail(response.context_data["log_entries"], self.model)
        return response


# -- Django's history page: the fields it names, in the reader's language
def _source_labels(model) -> dict[str, str]:
    """The labels Django's admin records for the fields of `model` and of the rows edited
    inline with it ("Annual FX value (USD)": the form's label, in the source language),
    each with the msgid of its field's name ("annual FX value (USD)")."""
    labels = {}
    with translation.override(None):
        for each in [model, *(rel.related_model for rel in model._meta.related_objects)]:
            for field in each._meta.get_fields():
                name = getattr(field, "verbose_name", None)
                if name is not None and not field.auto_created:
                    labels[str(capfirst(name))] = str(name)
    return labels


def readable_change_message(entry, labels: dict[str, str]) -> None:
    """Let Django's history show field names in the reader's language: it records the form's
    labels capitalised ("Annual FX value (USD)") and looks them up as they are, but the
    catalogues hold the field names ("annual FX value (USD)"); `labels` is _source_labels.
    Rewritten in memory only."""
    try:
        messages_ = json.loads(entry.change_message)
    except (TypeError, ValueError):
        return
    if not isinstance(messages_, list):
        return
    for message in messages_:
        for part in message.values() if isinstance(message, dict) else ():
            if isinstance(part, dict) and isinstance(part.get("fields"), list):
                part["fields"] = [labels.get(label, label) for label in part["fields"]]
    entry.change_message = json.dumps(messages_)


# -- Django's "delete selected" action, worded as Persian is written
def _with_ezafe(phrase: str) -> str:
    """A Persian noun phrase ready for the adjective after it: the ezafe is written after a
    final alef or vav (نیازها → نیازهای) and a silent heh (جلسه → جلسهٔ), not after other
    letters (عکس‌های نیاز انتخاب‌شده)."""
    if phrase.endswith(("ا", "و")):
        return phrase + "ی"
    if phrase.endswith("ه"):
        return phrase + "ٔ"
    return phrase


def delete_selected_label(opts) -> str:
    """"Delete selected needs": Django's translation puts a plural suffix after the already
    plural name and leaves out the ezafe (حذف  نیازها های انتخاب شده)."""
    plural = str(opts.verbose_name_plural)
    label = gettext("Delete selected %(verbose_name_plural)s") % {
        "verbose_name_plural": _with_ezafe(plural) if is_persian() else plural,
    }
    return label.replace("%", "%%")  # the admin formats the label once more with the model's names


class NamedAutocompleteSelect(AutocompleteSelect):
    """Django's search-as-you-type select, named for screen readers: select2 names its boxes
    by the text shown in them, which is empty until a choice is made (axe:
    aria-input-field-name); a placeholder naming the field fills the outer one, and
    autocomplete-names.js gives the inner one the field's label."""

    def placeholder(self) -> str:
        return gettext("Search: %(field)s") % {"field": self.field.verbose_name}

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-placeholder"] = self.placeholder()
        return attrs

    @property
    def media(self):
        return super().media + forms.Media(js=["portal-admin/autocomplete-names.js"])

    def optgroups(self, name, value, attr=None):
        # A required select starts with an option of no value, as HTML asks (Django leaves it
        # out and the chosen row comes first); select2 shows it as the placeholder.
        groups = super().optgroups(name, value, attr)
        if self.is_required and not self.allow_multiple_selected:
            groups[0][1].insert(0, self.create_option(name, "", self.placeholder(), False, 0))
        return groups


class StaffAdmin(LocalDatesAdminMixin, ProvinceScopedMixin, admin.ModelAdmin):
    """The base of every admin in the portal's apps."""

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if is_persian() and getattr(response, "context_data", None):
            labels = _source_labels(self.model)
            for entry in response.context_data.get("action_list") or ():
                readable_change_message(entry, labels)
        return response

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            function, name, _description = actions["delete_selected"]
            actions[name] = (function, name, delete_selected_label(self.opts))
        return actions


class AuditedStaffAdmin(AuditedHistoryMixin, StaffAdmin):
    """For models whose changes are audited (needs, companies, exhibitions, tours, meetings)."""


def run_service_action(request, objects, call, done) -> None:
    """Call a service for each selected object; report how many it took (``done(n)``) and
    each refusal with the service's reason."""
    succeeded = 0
    for obj in objects:
        try:
            call(obj)
        except ValidationError as exc:
            messages.error(request, f"{obj}: {' '.join(exc.messages)}")
        except PermissionDenied as exc:
            messages.error(request, f"{obj}: {exc}")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, done(succeeded))
