"""Delivering letters on each reader's channels (the one place that decides the channels),
the reader's inbox (opening, marking read) and their channel preferences and mobile number."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.mail import Letter, send_letter
from core.text import normalize_number
from notices.models import (
    CHANNELS,
    DEFAULT_CHANNELS,
    EVENTS,
    ChannelPreference,
    Notification,
    SmsNumber,
)

# A letter without a reader (a company's own address) goes by e-mail only.
NOBODYS = {"site": False, "email": True, "sms": False}
SMS_SUBJECT_LENGTH = 120


def channels_of(user_ids, events) -> dict[tuple[int, str], dict[str, bool]]:
    """Each (user, event)'s channels, defaults where the reader never chose; one query."""
    user_ids, events = set(user_ids), set(events)
    if not user_ids:
        return {}
    chosen = {
        (row.user_id, row.event): {"site": row.site, "email": row.email, "sms": row.sms}
        for row in ChannelPreference.objects.filter(user_id__in=user_ids, event__in=events)
    }
    return {(u, e): chosen.get((u, e), DEFAULT_CHANNELS) for u in user_ids for e in events}


def site_path(link: str) -> str:
    """A link as stored in the inbox: the site path when it points into this portal."""
    base = settings.SITE_URL.rstrip("/")
    if link == base:
        return "/"
    return link[len(base):] if link.startswith(base + "/") else link


def inbox_target(link: str) -> str | None:
    """Where opening a notification may lead: a path of this site or a link to SITE_URL,
    never another host (no open redirect); None otherwise."""
    link = (link or "").strip()
    if not link:
        return None
    allowed = {urlsplit(settings.SITE_URL).netloc}
    if url_has_allowed_host_and_scheme(link, allowed_hosts=allowed) and (link.startswith("/") or urlsplit(link).netloc):
        return link
    return None


def sms_text(letter: Letter) -> str:
    """An SMS is short: the subject and the link to act on."""
    subject = " ".join(letter.subject.split())
    if len(subject) > SMS_SUBJECT_LENGTH:
        subject = subject[: SMS_SUBJECT_LENGTH - 1] + "…"
    return f"{subject}\n{letter.link}".strip()


def deliver(letters) -> int:
    """Deliver each letter on its reader's channels for the letter's event: the inbox,
    e-mail, SMS (a task after commit, to the reader's mobile number if they gave one). A
    letter to an address that is nobody's goes by e-mail only. Returns how many e-mails
    went out. Two queries for the readers' choices, one for the inbox rows."""
    letters = list(letters)
    readers = [letter for letter in letters if letter.user_id]
    channels = channels_of([letter.user_id for letter in readers], [letter.event for letter in readers])
    phones = (
        dict(SmsNumber.objects.filter(user_id__in={letter.user_id for letter in readers}).values_list("user_id", "phone"))
        if any(channels[(letter.user_id, letter.event)]["sms"] for letter in readers) else {}
    )
    sent, notes = 0, []
    for letter in letters:
        wanted = channels.get((letter.user_id, letter.event), NOBODYS) if letter.user_id else NOBODYS
        if wanted["site"]:
            notes.append(Notification(
                user_id=letter.user_id, event=letter.event, subject=" ".join(letter.subject.split())[:300],
                body=letter.body, link=site_path(letter.link)[:500],
            ))
        if wanted["email"]:
            sent += send_letter(letter)
        if wanted["sms"] and phones.get(letter.user_id):
            _queue_sms(phones[letter.user_id], letter)
    if notes:
        Notification.objects.bulk_create(notes)
    return sent


def _queue_sms(phone: str, letter: Letter) -> None:
    from notices.tasks import send_sms

    text = sms_text(letter)
    transaction.on_commit(lambda: send_sms.enqueue(phone, text))


# --- the inbox -------------------------------------------------------------------------
def notification_open(*, user, pk: int) -> str | None:
    """Mark one of the user's notifications read (another's is a 404); returns where it
    leads (inbox_target), None when nowhere safe."""
    notification = get_object_or_404(Notification.objects.only("pk", "link", "read_at"), pk=pk, user=user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    return inbox_target(notification.link)


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- preferences -----------------------------------------------------------------------
_MOBILE = re.compile(r"^(?:\+98|0098|98|0)?(9\d{9})$")


def clean_mobile_number(value: str) -> str:
    """An Iranian mobile number as typed (Persian or Arabic digits, spaces, dashes, +98,
    0098 or 0) in its stored form 09xxxxxxxxx; empty stays empty. Raises ValidationError."""
    typed = re.sub(r"[\s\-().]", "", normalize_number(value or ""))
    if not typed:
        return ""
    match = _MOBILE.match(typed)
    if match is None:
        raise ValidationError(
            _("Enter an Iranian mobile number of 11 digits starting with 09."), code="mobile",
        )
    return "0" + match.group(1)


@transaction.atomic
def preferences_save(*, user, chosen: dict[str, set[str]], phone: str) -> None:
    """Store the user's channels for every event (`chosen`: event -> the channels ticked;
    an event left out has none) and their mobile number (empty removes it). SMS needs a
    number: with SMS ticked and no number, nothing is stored and ValidationError says so."""
    phone = clean_mobile_number(phone)
    unknown = set(chosen) - set(EVENTS) or {c for picked in chosen.values() for c in picked} - set(CHANNELS)
    if unknown:
        raise ValueError(f"Unknown events or channels: {sorted(unknown)}")
    if not phone and any("sms" in picked for picked in chosen.values()):
        raise ValidationError(_("Enter your mobile number to receive SMS."), code="sms_without_number")
    for event in EVENTS:
        picked = chosen.get(event, set())
        ChannelPreference.objects.update_or_create(
            user=user, event=event, defaults={channel: channel in picked for channel in CHANNELS},
        )
    if phone:
        SmsNumber.objects.update_or_create(user=user, defaults={"phone": phone})
    else:
        SmsNumber.objects.filter(user=user).delete()
