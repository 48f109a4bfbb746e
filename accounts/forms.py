"""Sign-up, login (the site's and the admin's) and password-reset forms: the username length
Django's login form does not check, and the reset mail in the user's language."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core import validators
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.selectors import language_of


# --- accounts -------------------------------------------------------------------------
class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), help_text=_("We send a confirmation link to this address."))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email", "first_name", "last_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists. Sign in or reset the password."))
        return email


class UsernameLengthMixin:
    """Django's AuthenticationForm gives the username field max_length 150 (the User
    model's) but only as the input's maxlength attribute, with no validator: a longer name
    reached authenticate(), and django-axes, recording the failure in a varchar(255)
    column, raised a server error on PostgreSQL. Refuse it as a form error instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(validators.MaxLengthValidator(username.max_length))


class StaffLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The admin's sign-in form."""


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "unconfirmed": _("Confirm your email address first: open the link we sent you."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            user = get_user_model().objects.filter(username=username, is_active=False).first()
            if user is not None and user.check_password(password):
                raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")
        return super().clean()


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's, with each reset mail (its words and the link's language) in the language
    the user is written to in; for someone who never chose one, the language of the page
    that asked."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(language_of(context["user"], default=translation.get_language())):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
