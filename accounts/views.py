"""Sign-up with e-mail confirmation, Django's auth views, styled, and the language switch.
Thin: forms parse, accounts.services decides."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import i18n

from accounts.forms import LoginForm, PasswordResetForm, SignupForm
from accounts.services import account_activate, account_signup, language_set


def signup(request):
    if request.user.is_authenticated:
        return redirect("matchmaking:account")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_signup(
            username=form.cleaned_data["username"], email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"], first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"], language=get_language() or "fa",
        )
        return render(request, "registration/signup_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "registration/signup.html", {"form": form})


def activate(request, uidb64, token):
    user = account_activate(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "registration/activation_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your email address is confirmed. Now register your company or ask to join it."))
    return redirect("companies:register")


def set_language(request):
    """The language switch: Django's set_language (a POST; it sends the reader to `next` in
    the chosen language), which for a signed-in user also makes the choice the language of
    their mail and calendar files."""
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        language_set(user=request.user, language=language)
    return i18n.set_language(request)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self):
        # The link carries the reset token: it is built from SITE_URL like every other link
        # in mail (core.mail.absolute_url), never from the Host header of the request.
        site = urlsplit(settings.SITE_URL)
        address = site.netloc + site.path.rstrip("/")
        return {"protocol": site.scheme, "domain": address, "site_name": address}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")
