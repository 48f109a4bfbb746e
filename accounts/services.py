"""Sign-up with email confirmation; the language a user is written to in; the private
calendar address."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from accounts.models import CalendarFeedToken, UserPreferences


@transaction.atomic
def account_signup(*, username: str, email: str, password: str, first_name: str = "", last_name: str = "",
                   language: str = settings.LANGUAGE_CODE):
    """Create an inactive user who is written to in `language` (the language of the page
    they signed up on) and mail the confirmation link after commit; the account can sign in
    once the link is opened."""
    from accounts.tasks import send_activation_email

    user = get_user_model()(username=username, email=email.strip().lower(), first_name=first_name,
                            last_name=last_name, is_active=False)
    user.set_password(password)
    user.save()
    language_set(user=user, language=language)
    transaction.on_commit(lambda: send_activation_email.enqueue(user.pk, language))
    return user


def language_set(*, user, language: str) -> UserPreferences:
    """Make `language` (one of settings.LANGUAGES) the one `user` is written to in: mail,
    calendar files and the password-reset link. Any other code is refused with ValueError."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not a language of the portal: {language!r}")
    preferences, _created = UserPreferences.objects.update_or_create(user=user, defaults={"language": language})
    return preferences


def account_activate(*, uidb64: str, token: str):
    """Activate the account the link was made for; None for a wrong or stale link."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if user.is_active:
        return user
    if not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def calendar_feed_issue(*, user):
    """Give `user` a new secret calendar address, replacing (and so ending) any earlier one."""
    feed, _created = CalendarFeedToken.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32), "created_at": timezone.now()}
    )
    return feed


def calendar_feed_revoke(*, user) -> None:
    """Turn the user's calendar address off: it answers 404 from now on."""
    CalendarFeedToken.objects.filter(user=user).delete()
