"""What a new account is told (the sign-up confirmation link, one letter to its one address),
and the language every app's letters are composed in: each reader's own."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.selectors import languages_of
from core.mail import Letter, absolute_url, compose_letter

Reader = TypeVar("Reader")
Composed = TypeVar("Composed")


def in_their_languages(
    readers: Iterable[Reader], compose: Callable[[Reader], Composed], *,
    user_of: Callable[[Reader], object] = lambda reader: reader, default: str | None = None,
) -> list[Composed]:
    """`compose(reader)` for each reader, each inside its reader's language, so a letter and
    the calendar file it carries read as that one person reads (accounts.selectors). `user_of`
    gives a reader's user (None for an address that is nobody's, such as a company's own),
    and `default` the language of readers who never chose one and of those addresses
    (Persian when not given). One query for all the readers."""
    readers = list(readers)
    users = [user_of(reader) for reader in readers]
    languages = languages_of(users, default=default)
    composed = []
    for reader, user in zip(readers, users, strict=True):
        with translation.override(languages[user.pk] if user is not None else default or settings.LANGUAGE_CODE):
            composed.append(compose(reader))
    return composed


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
