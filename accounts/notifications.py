"""What a new account is told: the sign-up confirmation link, one letter to its one address."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.mail import Letter, absolute_url, compose_letter


def activation_letter(user, language: str) -> Letter:
    """The sign-up confirmation link, in the language the user signed up in."""
    with translation.override(language):
        token = default_token_generator.make_token(user)
        path = reverse("accounts:activate", args=[urlsafe_base64_encode(force_bytes(user.pk)), token])
        lines = [
            _("Hello %(name)s,") % {"name": user.get_full_name() or user.get_username()},
            _("Open this link to confirm your email address and activate your account:"),
        ]
        return compose_letter(to=user.email, subject=_("Confirm your email address"), lines=lines, link=absolute_url(path))
