from django import forms
from django.utils.translation import gettext_lazy

from alerts.models import SavedSearch


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the search"), max_length=SavedSearch._meta.get_field("name").max_length,
        help_text=gettext_lazy("You will find it under this name in your saved searches and in the digest."),
    )
