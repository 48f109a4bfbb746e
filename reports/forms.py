"""The funnel's filters: a province among those the reader serves, a sector and a period
typed in the reader's calendar (Jalali on Persian pages)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Sector
from core.i18n import is_persian
from core.widgets import jalali_date_text
from exhibitions.admin_helpers import LocalDateField

# Without a period chosen the report covers the last twelve months.
DEFAULT_DAYS = 365


class FunnelFilterForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=None, required=False, empty_label=_("All provinces"),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False, empty_label=_("All sectors"),
    )
    since = LocalDateField(label=_("From"), required=False)
    until = LocalDateField(label=_("To"), required=False)

    def __init__(self, data=None, *, provinces, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["province"].queryset = provinces

    def clean(self):
        cleaned = super().clean()
        until = cleaned.get("until") or timezone.localdate()
        since = cleaned.get("since") or until - datetime.timedelta(days=DEFAULT_DAYS)
        if "since" not in self.errors and "until" not in self.errors and since > until:
            raise forms.ValidationError(_("The period must start on or before its last day."), code="period")
        cleaned["since"], cleaned["until"] = since, until
        return cleaned


def with_default_period(query):
    """`query` (a QueryDict) with the default period written into the date fields left
    blank, as the reader types dates, so the form shows the period the report covers."""
    query = query.copy()
    until = timezone.localdate()
    since = until - datetime.timedelta(days=DEFAULT_DAYS)
    for name, day in (("since", since), ("until", until)):
        if not query.get(name, "").strip():
            query[name] = jalali_date_text(day) if is_persian() else day.isoformat()
    return query
