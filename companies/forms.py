from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Sector
from companies.validators import normalize_national_id


class CompanyRegisterForm(forms.ModelForm):
    """A new company, as its first user describes it; staff verify it afterwards."""

    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Company
        fields = [
            "name_fa", "name_en", "national_id", "is_buyer", "is_supplier", "province", "town", "sectors",
            "capabilities", "contact_person", "phone", "email", "website", "address",
        ]
        widgets = {
            "national_id": forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
            "capabilities": forms.Textarea(attrs={"rows": 4}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "website": forms.URLInput(attrs={"dir": "ltr"}),
            "phone": forms.TextInput(attrs={"dir": "ltr"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = self.fields["town"].queryset.select_related("province")

    def clean_national_id(self):
        return normalize_national_id(self.cleaned_data["national_id"])


class CompanyJoinForm(forms.Form):
    national_id = forms.CharField(
        label=_("National ID of the company"), max_length=30,
        help_text=_("The 11-digit national ID; Persian or Arabic digits are fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )

    def clean_national_id(self):
        from companies.validators import validate_national_id

        value = normalize_national_id(self.cleaned_data["national_id"])
        validate_national_id(value)
        return value


class CompanyEditForm(CompanyRegisterForm):
    """A refused company, as its members correct it before asking for verification again."""


class RefusalForm(forms.Form):
    """The reason staff give when they refuse or withdraw a company's verification: the
    company's members read it (the service says what a reason must be)."""

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Mailed to each approved member of the company, and shown on their account page."),
    )

    def clean_reason(self):
        from companies.services import clean_refusal_reason

        try:
            return clean_refusal_reason(self.cleaned_data["reason"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["reason"]) from None


class ProfileForm(forms.Form):
    """The capability profile's text (companies.services.company_profile_update)."""

    production_capacity = forms.CharField(
        label=_("Production capacity"), required=False, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("What the firm can produce in a year or a month, e.g. 200,000 bearings a year."),
    )
    machinery = forms.CharField(
        label=_("Machinery"), required=False, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Its main machines and lines, e.g. 12 CNC lathes."),
    )


class ProductForm(forms.Form):
    """A product of the profile (companies.services.product_save checks and stores it)."""

    name_fa = forms.CharField(label=_("Persian name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"dir": "ltr"}))
    hs_codes = forms.CharField(
        label=_("HS codes"), max_length=300,
        help_text=_("One or more codes of 2 to 10 digits, separated by commas or spaces, e.g. 8482 848210."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}),
    )
    photo = forms.FileField(
        label=_("Photo"), required=False, help_text=_("A JPEG, PNG or WebP photo, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self):
        from companies.models import validate_product_photo

        photo = self.cleaned_data.get("photo")
        if photo:
            validate_product_photo(photo)
        return photo

    def clean(self):
        data = super().clean()
        photo = data.get("photo")
        data["remove_photo"] = photo is False
        data["photo"] = photo or None
        return data


class CertificateForm(forms.ModelForm):
    """A certificate of the profile (companies.services.certificate_save stores it)."""

    class Meta:
        from companies.models import Certificate

        model = Certificate
        fields = ["kind", "title", "number", "issuer", "expires_on", "file"]
        widgets = {
            "number": forms.TextInput(attrs={"dir": "ltr"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
            "file": forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
        }

    def _post_clean(self):
        # The service validates and stores the certificate (certificate_save).
        pass
