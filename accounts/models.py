"""What accounts keep of their own: the secret address of a user's calendar feed and the
language the portal writes to a user in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeedToken(models.Model):
    """The secret in a user's private calendar address, which a calendar app reads without
    signing in: whoever has the address reads that user's meetings and tours. It is random
    (secrets.token_urlsafe(32), 256 bits) and kept as is so the account page can show it
    again; one per user, replaced when the user makes a new address and deleted when they
    turn the feed off, and either way the old address is a 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self) -> str:
        return str(self.user)


class UserPreferences(models.Model):
    """The language a user reads the portal's mail and calendar files in: the language of
    the page they signed up on, then whichever they pick with the language switch. A user
    without a row (one who signed up before the portal asked) reads Persian. Read it with
    accounts.selectors.language_of / languages_of, write it with accounts.services.language_set."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return str(self.user)
