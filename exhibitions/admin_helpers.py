"""Shared pieces of the staff admin: the audited, province-scoped base class and dates
shown and typed in the reader's calendar (Jalali in the Persian admin)."""

from __future__ import annotations

import datetime

import jdatetime
from auditlog.mixins import AuditlogHistoryAdminMixin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.formats import date as local_date
from core.formats import datetime_ as local_datetime
from core.i18n import is_persian
from core.text import normalize_number, parse_typed_date, to_persian_digits
from exhibitions.scoping import ProvinceScopedMixin


class LocalDateField(forms.DateField):
    """A date typed as the reader writes it. In Persian pages the value is shown in the
    Jalali calendar (۱۴۰۴/۰۷/۱۸) and typed in it with Persian or ASCII digits; a Gregorian
    date (a year from 1700 on) is accepted too, so a pasted ISO date still works."""

    widget = forms.TextInput(attrs={"size": 12, "dir": "ltr", "placeholder": "۱۴۰۴/۰۷/۱۸"})
    default_error_messages = {
        "invalid": _("Enter a date such as 1404/07/18 (Jalali) or 2025-10-10."),
    }

    def prepare_value(self, value):
        if isinstance(value, datetime.date) and is_persian():
            return to_persian_digits(jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d"))
        return super().prepare_value(value)

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


class LocalDatesMixin:
    """Date fields typed in Jalali in the Persian admin (Gregorian widget in English);
    numbers accepted in Persian, Arabic or ASCII digits."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField) and is_persian():
            kwargs.pop("widget", None)
            return db_field.formfield(form_class=LocalDateField, **kwargs)
        if not db_field.choices and not db_field.primary_key:
            if isinstance(db_field, models.DecimalField):
                kwargs["widget"] = _numeric_widget("decimal")
                return db_field.formfield(form_class=LocalDecimalField, **kwargs)
            if isinstance(db_field, models.IntegerField) and not isinstance(db_field, models.BigAutoField):
                kwargs["widget"] = _numeric_widget("numeric")
                return db_field.formfield(form_class=LocalIntegerField, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AuditedHistoryMixin(AuditlogHistoryAdminMixin):
    """The audit trail (django-auditlog) of one object, linked from its change page; the
    object is loaded through the scoped queryset, so another province's trail is a 404."""

    change_form_template = "admin/audited_change_form.html"

    def auditlog_history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().auditlog_history_view(request, object_id, extra_context)


class StaffAdmin(LocalDatesMixin, ProvinceScopedMixin, admin.ModelAdmin):
    """The base of every admin in the portal's apps."""


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
