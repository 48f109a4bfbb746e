"""The in-site inbox and each reader's channels.

Every letter the portal composes for a person (core.mail.Letter with a `user_id`) is
delivered by notices.services.deliver: into their inbox, by e-mail and by SMS, as their
preferences for that kind of event say. A notification is the letter as composed for its
one reader, so it shows exactly what the reader's mail shows and nothing more."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What a letter is about: the key of a reader's channel preferences (core.mail.Letter.event).
EVENTS = {
    "declaration": _("Readiness declarations on my company's needs"),
    "decision": _("Decisions on my declarations"),
    "meeting": _("Meetings: proposed, accepted, cancelled, expired, reminders"),
    "tour": _("Tour registrations and waiting-list promotions"),
    "message": _("New messages in my conversations"),
    "company": _("My company's verification"),
    "alert": _("New needs matching my saved searches"),
    "invitation": _("Invitations to declare readiness"),
}
CHANNELS = ("site", "email", "sms")
# A reader who never chose: the inbox and e-mail on, SMS off.
DEFAULT_CHANNELS = {"site": True, "email": True, "sms": False}


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=20, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header's unread count, and the inbox newest first.
            models.Index(fields=["user", "read_at"], name="notice_user_unread"),
            models.Index(fields=["user", "-created_at", "-id"], name="notice_user_newest"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def created_iso(self) -> str:
        """When it came, as an HTML <time> reads it (whole seconds)."""
        return self.created_at.isoformat(timespec="seconds")


class ChannelPreference(models.Model):
    """A reader's channels for one kind of event; without a row, DEFAULT_CHANNELS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences", verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=20, choices=list(EVENTS.items()))
    site = models.BooleanField(_("in the site"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notice_pref_one_per_event")]


class SmsNumber(models.Model):
    """The mobile number a reader gets SMS on (stored in Latin digits, 09xxxxxxxxx)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sms_number", verbose_name=_("user"),
    )
    phone = models.CharField(_("mobile number"), max_length=20)

    class Meta:
        verbose_name = _("mobile number")
        verbose_name_plural = _("mobile numbers")
