"""The one table accounts keep of their own: the secret address of a user's calendar feed."""

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
