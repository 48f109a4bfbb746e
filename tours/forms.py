"""Forms of the tour pages. They parse and normalise what people type (Persian digits,
Jalali or Gregorian dates); the rules themselves live in tours.services."""

import datetime
import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Sector
from core.text import normalize_digits, parse_typed_date
from core.widgets import JalaliDateInput
from exhibitions.models import Exhibition, Province
from tours import services
from tours.models import Tour, TourMessage
from tours.selectors import tour_exhibitions

_TIME = re.compile(r"^\s*(\d{1,2})(?:\s*[:٫.]\s*(\d{2}))?\s*$")


class FlexibleDateField(forms.DateField):
    """A date typed as Jalali (۱۴۰۴/۰۸/۱۵) or Gregorian (2025-11-06), in any digits.

    Years before 1700 are Jalali: the two calendars are 621 years apart, so they never mix up."""

    # Shown in Jalali (Persian digits, with the picker) on Persian pages, ISO on English ones.
    widget = JalaliDateInput(with_assets=True)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_typed_date(value)
        except ValueError:
            raise ValidationError(_("Enter a date as year/month/day, e.g. 1404/08/15."), code="invalid") from None


class FlexibleTimeField(forms.TimeField):
    widget = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "09:30", "dir": "ltr", "size": 6})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        match = _TIME.match(normalize_digits(str(value)))
        try:
            if not match:
                raise ValueError
            return datetime.time(int(match.group(1)), int(match.group(2) or 0))
        except ValueError:
            raise ValidationError(_("Enter a time as hours:minutes, e.g. 09:30."), code="invalid") from None


class PersianIntegerField(forms.IntegerField):
    """A whole number typed in Persian, Arabic or ASCII digits. A text box with a numeric
    keyboard, not type=number: browsers empty a number box that holds Persian digits."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "size": 6})

    def widget_attrs(self, widget):
        return {}  # no min/max/step attributes on a text box

    def prepare_value(self, value):
        from core.i18n import is_persian
        from core.text import to_persian_digits

        if isinstance(value, int) and is_persian():
            return to_persian_digits(value)
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_digits(value).strip()
        return super().to_python(value)


class TourFilterForm(forms.Form):
    province = forms.ModelChoiceField(
        Province.objects.filter(exhibitions__in=Exhibition.objects.open()).distinct(), required=False, label=_("Province"),
        to_field_name="slug", empty_label=_("All provinces"),
    )
    exhibition = forms.ModelChoiceField(
        Exhibition.objects.open().select_related("province"), required=False, label=_("Exhibition"),
        to_field_name="slug", empty_label=_("All exhibitions"),
    )
    sector = forms.ModelChoiceField(
        Sector.objects.all(), required=False, label=_("Sector"), to_field_name="slug", empty_label=_("All sectors")
    )
    date_from = FlexibleDateField(required=False, label=_("From date"))
    date_to = FlexibleDateField(required=False, label=_("To date"))
    past = forms.BooleanField(required=False, label=_("Include past and cancelled tours"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class TourCreateForm(forms.Form):
    # Choices set per user in __init__ (selectors_tours.tour_exhibitions); tour_create checks again.
    exhibition = forms.ModelChoiceField(Exhibition.objects.none(), label=_("Exhibition"))
    title = forms.CharField(label=_("Title"), max_length=200)
    organiser_name = forms.CharField(
        label=_("Organising body"), max_length=200, required=False,
        help_text=_("Association, chamber or office running the tour."),
    )
    date = FlexibleDateField(label=_("Date of the first tour"))
    start_time = FlexibleTimeField(label=_("Starts at"))
    end_time = FlexibleTimeField(label=_("Ends at"))
    capacity = PersianIntegerField(label=_("Seats"), min_value=1, max_value=1000)
    deadline_hours = PersianIntegerField(
        label=_("Registration closes (hours before the start)"), min_value=0, max_value=24 * 30, initial=24
    )
    weeks = PersianIntegerField(
        label=_("Repeat weekly for (weeks)"), min_value=1, max_value=26, initial=1,
        help_text=_("1 for a single tour; 4 schedules the same tour on the same weekday for four weeks."),
    )
    sectors = forms.ModelMultipleChoiceField(
        Sector.objects.all(), required=False, label=_("Sectors of focus"), widget=forms.CheckboxSelectMultiple
    )
    meeting_point = forms.CharField(label=_("Meeting point"), max_length=300)
    language = forms.ChoiceField(label=_("Language"), choices=Tour.Language.choices, initial=Tour.Language.PERSIAN)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exhibition"].queryset = tour_exhibitions(user=user)

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start), tz)
            cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end), tz)
            if cleaned.get("deadline_hours") is not None:
                cleaned["registration_deadline"] = cleaned["starts_at"] - datetime.timedelta(
                    hours=cleaned["deadline_hours"]
                )
        return cleaned


class RegistrationForm(forms.Form):
    attendees = PersianIntegerField(label=_("Number of attendees"), min_value=1, max_value=1000, initial=1)
    attendee_names = forms.CharField(
        label=_("Attendee names"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One name per line, as it should appear on the roster."),
    )


class AttendanceForm(forms.Form):
    attended = PersianIntegerField(label=_("Attended"), min_value=0, max_value=1000)


class DeskSearchForm(forms.Form):
    q = forms.CharField(label=_("Company name"), required=False, max_length=100)


class CheckInForm(forms.Form):
    attended = PersianIntegerField(label=_("People present"), min_value=0, max_value=1000)


class TourMessageForm(forms.Form):
    """A message to the registered companies. The token is new each time the form is shown
    and comes back with it, so submitting the same form twice sends once
    (tours.services.tour_message_send)."""

    audience = forms.ChoiceField(
        label=_("Send to"), choices=TourMessage.Audience.choices, initial=TourMessage.Audience.ALL,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class TourCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the registered companies)"), max_length=300, required=False)


class TourAdminForm(forms.ModelForm):
    """A tour as staff type it in the admin. clean() asks the tour services whether they
    would take it (``tour_create_check`` / ``tour_update_check``), so a tour they refuse
    comes back with their message and nothing is saved; TourAdmin then saves through
    ``tour_create`` / ``tour_update``. The admin wraps both steps in one transaction, so the
    exhibition lock the check takes holds until the save. ``by`` (the staff member) is set
    by TourAdmin.get_form."""

    by = None

    class Meta:
        model = Tour
        fields = list(services.SCHEDULE_FIELDS + services.DETAIL_FIELDS)

    def service_fields(self) -> dict:
        """The typed values the tour services take (read-only fields are not among them)."""
        names = services.SCHEDULE_FIELDS + services.DETAIL_FIELDS
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = self.service_fields()
        try:
            if self.instance.pk is None:
                services.tour_create_check(
                    by=self.by, **{name: data[name] for name in ("organiser",) + services.SCHEDULE_FIELDS}
                )
            else:
                services.tour_update_check(tour=self.instance, by=self.by, **data)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return cleaned
