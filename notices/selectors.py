"""Reads of the inbox and of a reader's channel preferences."""

from django.db.models import QuerySet

from notices.models import (
    CHANNELS,
    DEFAULT_CHANNELS,
    EVENTS,
    ChannelPreference,
    Notification,
    SmsNumber,
)


def inbox(*, user) -> QuerySet[Notification]:
    """The user's notifications, newest first (one query per page)."""
    return Notification.objects.filter(user=user).only(
        "pk", "event", "subject", "body", "link", "created_at", "read_at"
    ).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread (one query; none for a visitor)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preferences_of(*, user) -> tuple[dict[str, dict[str, bool]], str]:
    """The user's channels for every event (defaults where never chosen) and their mobile
    number ("" without one); two queries."""
    chosen = {
        row.event: {channel: getattr(row, channel) for channel in CHANNELS}
        for row in ChannelPreference.objects.filter(user=user)
    }
    phone = SmsNumber.objects.filter(user=user).values_list("phone", flat=True).first() or ""
    return {event: chosen.get(event, dict(DEFAULT_CHANNELS)) for event in EVENTS}, phone
