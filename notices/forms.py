"""The preferences form: a box per event and channel, and the mobile number."""

from django import forms
from django.utils.translation import gettext_lazy

from notices.models import CHANNELS, EVENTS
from notices.services import clean_mobile_number

CHANNEL_LABELS = {"site": gettext_lazy("In the site"), "email": gettext_lazy("E-mail"), "sms": gettext_lazy("SMS")}


def box_name(event: str, channel: str) -> str:
    return f"{channel}-{event}"


class PreferencesForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Mobile number"), required=False, max_length=30,
        help_text=gettext_lazy("An Iranian mobile number: eleven digits starting with 09; needed for SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )

    def __init__(self, *args, channels: dict[str, dict[str, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        for event, label in EVENTS.items():
            for channel in CHANNELS:
                self.fields[box_name(event, channel)] = forms.BooleanField(
                    label=f"{CHANNEL_LABELS[channel]}: {label}", required=False, initial=channels[event][channel],
                )
        self.rows = [
            (event, label, [(channel, self[box_name(event, channel)]) for channel in CHANNELS])
            for event, label in EVENTS.items()
        ]

    def clean_phone(self) -> str:
        return clean_mobile_number(self.cleaned_data["phone"])

    def chosen(self) -> dict[str, set[str]]:
        return {
            event: {channel for channel in CHANNELS if self.cleaned_data[box_name(event, channel)]} for event in EVENTS
        }
