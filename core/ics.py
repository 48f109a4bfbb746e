"""Calendar files (.ics): one VCALENDAR holding one VEVENT, in Tehran time.

Times are written with TZID=Asia/Tehran and the VTIMEZONE that defines it, so calendar
programs show an event at the hour the portal set, whatever the reader's own zone. The
organiser is always the portal itself (DEFAULT_FROM_EMAIL), never a person: a file must not
carry one party's address to another. Callers compose the event for the one person the file
is for; attendees, when given, should be that person only."""

import datetime
import zoneinfo
from dataclasses import dataclass, field
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str = ""


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # TENTATIVE, CONFIRMED or CANCELLED
    sequence: int = 0
    attendees: tuple[Attendee, ...] = field(default=())


@dataclass(frozen=True)
class CalendarFile:
    content: bytes
    method: str

    @property
    def mimetype(self) -> str:
        """For a mail attachment: Django's mailer adds the charset itself (once)."""
        return f"text/calendar; method={self.method}"

    @property
    def content_type(self) -> str:
        """For an HTTP download."""
        return f"text/calendar; charset=utf-8; method={self.method}"


def event_uid(kind: str, pk: int) -> str:
    """A stable UID, so a calendar updates the entry it imported instead of adding one."""
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def portal_organizer() -> vCalAddress:
    email = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    return _address(email, _("Domestic Manufacturing Exhibitions"))


def calendar_file(event: CalendarEvent, *, method: str, prodid: str) -> CalendarFile:
    """The .ics of one event: METHOD (PUBLISH, REQUEST or CANCEL), PRODID, the Asia/Tehran
    VTIMEZONE and the VEVENT, organised by the portal."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(Timezone.from_tzinfo(TEHRAN, first_date=event.starts_at.astimezone(TEHRAN).date()))
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    vevent.add("dtstart", event.starts_at.astimezone(TEHRAN))
    vevent.add("dtend", event.ends_at.astimezone(TEHRAN))
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    vevent.add("status", event.status)
    vevent.add("organizer", portal_organizer())
    for attendee in event.attendees:
        vevent.add("attendee", _address(attendee.email, attendee.name, role="REQ-PARTICIPANT"))
    calendar.add_component(vevent)
    return CalendarFile(content=calendar.to_ical(), method=method)
