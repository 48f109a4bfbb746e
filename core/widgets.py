"""Date and time inputs in the reader's calendar: Jalali dates in Persian digits with a date
picker on Persian pages, ISO dates on English ones.

The widgets only show a value and offer the picker; the form field reads what was typed
(dates with core.text.parse_typed_date, so either calendar and any digits are taken). The
picker is @majidh1/jalalidatepicker, vendored under static/jalali-datepicker/ with its
licence and started by our own jalali-inputs.js: no inline script, as the Content Security
Policy requires. Without scripts the inputs still take a typed date."""

import datetime

import jdatetime
from django import forms
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import is_persian
from core.text import to_persian_digits

PICKER_SCRIPT = "jalali-datepicker/jalalidatepicker.min.js"
PICKER_STYLE = "jalali-datepicker/jalalidatepicker.min.css"
PICKER_START = "jalali-datepicker/jalali-inputs.js"


def jalali_date_text(value: datetime.date) -> str:
    """1404/07/18 in Persian digits: how a date is shown for editing on a Persian page."""
    return to_persian_digits(jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d"))


class JalaliDateInput(forms.TextInput):
    """A date typed as text: shown in Jalali with Persian digits and offered the picker on
    Persian pages, as an ISO date on English ones. A value that was typed is shown again as
    it was typed.

    In the admin the picker comes with the form's media. Pages that do not print form media
    (the site's own forms) use ``with_assets=True``: on Persian pages the input then brings
    its start script, which loads the picker once however many date inputs the page has."""

    template_name = "core/widgets/jalali_date.html"

    def __init__(self, attrs=None, *, with_assets: bool = False):
        super().__init__({"dir": "ltr", "size": 12, "autocomplete": "off", **(attrs or {})})
        self.with_assets = with_assets

    @property
    def media(self):
        return forms.Media(js=[PICKER_SCRIPT, PICKER_START], css={"all": [PICKER_STYLE]})

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, datetime.date):
            return jalali_date_text(value) if is_persian() else value.isoformat()
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        if not is_persian():
            attrs.setdefault("placeholder", "2025-10-10")
            return context
        attrs.setdefault("placeholder", "۱۴۰۴/۰۷/۱۸")
        attrs["data-jdp"] = ""
        if self.with_assets:
            context["widget"]["assets"] = {
                "start": static(PICKER_START), "script": static(PICKER_SCRIPT), "style": static(PICKER_STYLE),
            }
        return context


class LocalTimeInput(forms.TextInput):
    """A time of day as hours:minutes, in Persian digits on Persian pages."""

    def __init__(self, attrs=None):
        super().__init__({"dir": "ltr", "size": 6, "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.time):
            text = value.strftime("%H:%M")
            return to_persian_digits(text) if is_persian() else text
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", "۱۰:۳۰" if is_persian() else "10:30")
        return context


class JalaliSplitDateTimeWidget(forms.MultiWidget):
    """A moment as a date (Jalali, with the picker) and a time, both in Tehran time (the
    current time zone), like Django's split date-time widget but in the reader's calendar."""

    template_name = "core/widgets/jalali_split_datetime.html"

    def __init__(self, attrs=None):
        super().__init__([JalaliDateInput(), LocalTimeInput()], attrs)

    def decompress(self, value):
        if value:
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return [value.date(), value.time().replace(second=0, microsecond=0)]
        return [None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["date_label"], context["time_label"] = _("Date:"), _("Time:")
        return context
