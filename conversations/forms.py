"""Forms of the conversation pages; the services hold the rules (conversations.files for
what a file may be)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.files import ACCEPT


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    attachment = forms.FileField(
        label=_("Attach a file (PDF or image, optional)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding (seen by staff only)"), max_length=300)


class NeedDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Drawing or specification (PDF or image)"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
