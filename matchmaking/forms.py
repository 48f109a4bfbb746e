"""Forms of the account and matchmaking pages. They parse what people type (Persian or
Arabic digits, Jalali dates) and hand clean values to the services, which hold the rules."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formats import date as display_date
from core.formats import digits
from core.text import normalize_digits, parse_typed_date
from core.widgets import JalaliDateInput
from matchmaking.models import Interest, Meeting, Outcome
from matchmaking.selectors import bookable_days, rooms_for_need, slot_times

_SEPARATORS = re.compile(r"[\s,٬،']")


class NumberInputsMixin:
    """Numbers come in with Persian or Arabic digits and thousands separators; the digits
    are made ASCII and the separators dropped before the fields parse them."""

    number_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            data = self.data.copy()
            for name in self.number_fields:
                key = self.add_prefix(name)
                if key in data and isinstance(data[key], str):
                    value = normalize_digits(data[key])
                    data[key] = _SEPARATORS.sub("", value).replace("٫", ".")
            self.data = data


class JalaliDateField(forms.CharField):
    """A date typed as 1404/08/20 (Jalali, Persian digits welcome) or 2025-11-11, read by
    the one date parser (core.text.parse_typed_date), which also refuses absurd years."""

    default_error_messages = {"invalid": _("Enter a date such as 1404/08/20 or 2025-11-11.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_typed_date(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


# --- declarations ---------------------------------------------------------------------
class InterestForm(NumberInputsMixin, forms.ModelForm):
    number_fields = ("annual_capacity", "lead_time_days", "indicative_price_rials")

    class Meta:
        model = Interest
        fields = ["annual_capacity", "lead_time_days", "indicative_price_rials", "certifications", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "annual_capacity": _("How much you can supply each year, in the need's unit."),
            "indicative_price_rials": _("Optional: an indicative unit price in rials."),
            "certifications": _("For example ISO 9001, standard mark, approved vendor lists."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_time_days"].min_value = 1
        self.fields["lead_time_days"].widget.attrs["min"] = 1
        for name in self.number_fields:
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("shortlist", _("Shortlist")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason (required when declining)"), max_length=300, required=False)


# --- meetings -------------------------------------------------------------------------
class MeetingProposeForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=Meeting.Mode.choices, widget=forms.RadioSelect, initial=Meeting.Mode.VIDEO)
    day = forms.ChoiceField(label=_("Day"))
    time = forms.ChoiceField(label=_("Start time"))
    slots = forms.TypedChoiceField(label=_("Length"), coerce=int, initial=1)
    room = forms.ModelChoiceField(label=_("Meeting room (in person)"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, need, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["day"].choices = [(d.isoformat(), display_date(d)) for d in bookable_days()]
        self.fields["time"].choices = [(t.strftime("%H:%M"), digits(t.strftime("%H:%M"))) for t in slot_times(need)]
        minutes = settings.MEETING_SLOT_MINUTES
        self.fields["slots"].choices = [(n, _("%(m)s minutes") % {"m": digits(n * minutes)}) for n in (1, 2)]
        self.fields["room"].queryset = rooms_for_need(need)
        self.fields["room"].label_from_instance = lambda room: f"{room.name} · {room.exhibition.title}"

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            day = datetime.date.fromisoformat(data["day"])
            hour, minute = (int(x) for x in data["time"].split(":"))
            data["starts_at"] = datetime.datetime.combine(day, datetime.time(hour, minute), timezone.get_current_timezone())
        if data.get("mode") == Meeting.Mode.IN_PERSON and not data.get("room"):
            self.add_error("room", _("Choose a meeting room for an in-person meeting."))
        return data


class MeetingNoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class OutcomeForm(NumberInputsMixin, forms.Form):
    number_fields = ("contract_value_rials", "annual_quantity")

    result = forms.ChoiceField(label=_("Result"), choices=Outcome.Result.choices, widget=forms.RadioSelect)
    contract_value_rials = forms.IntegerField(
        label=_("Contract value (rials)"), min_value=1, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    annual_quantity = forms.DecimalField(
        label=_("Annual quantity"), min_value=0, max_digits=14, decimal_places=2, required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    signed_on = JalaliDateField(
        label=_("Signed on"), required=False, help_text=_("Jalali or Gregorian, for example 1404/08/20."),
        widget=JalaliDateInput(with_assets=True),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


# --- the event-day agenda (staff) --------------------------------------------------------
class AgendaDayForm(forms.Form):
    """The day picker of the staff agenda: a Jalali (or Gregorian) date."""

    day = JalaliDateField(label=_("Day"), widget=JalaliDateInput())
