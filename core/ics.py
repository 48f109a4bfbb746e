"""Calendar files (.ics): one VCALENDAR holding one VEVENT (a mail attachment, a download)
or many (a subscribed feed), in Tehran time.

Times are written with TZID=Asia/Tehran and the VTIMEZONE that defines it, so calendar
programs show an event at the hour the portal set, whatever the reader's own zone. The
organiser is always the portal itself (DEFAULT_FROM_EMAIL), never a person: a file must not
carry one party's address to another. Callers compose the event for the one person the file
is for; attendees, when given, should be that person only.

A calendar that imported an event replaces it with a later file of the same UID and a
higher SEQUENCE (RFC 5546), so callers pass a counter that only grows: a CANCEL must
outrank the REQUEST it withdraws even when both are written in the same second. METHOD
follows iTIP: REQUEST and CANCEL are scheduling messages addressed to their ATTENDEE (mail),
PUBLISH is a plain copy (a download, a feed) and names no attendee."""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vDuration, vText

from core.digits import persian_digits_in_text
from core.i18n import is_persian

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
ALARM_BEFORE = datetime.timedelta(hours=1)


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
    sequence: int = 0  # a stored counter that only grows, never a clock
    attendees: tuple[Attendee, ...] = field(default=())
    alarm_before: datetime.timedelta | None = ALARM_BEFORE  # a DISPLAY alarm; none once cancelled


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
    return calendar_of([event], method=method, prodid=prodid)


def calendar_of(
    events: Iterable[CalendarEvent], *, method: str, prodid: str, name: str = "",
    refresh_every: datetime.timedelta | None = None,
) -> CalendarFile:
    """One VCALENDAR of any number of events (none is a valid, empty calendar), with one
    Asia/Tehran VTIMEZONE covering them all. A subscribed calendar (a feed) gets its `name`
    and how often apps should fetch it again (`refresh_every`, RFC 7986 and Outlook's own)."""
    events = list(events)
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    if name:
        name = _for_reader(name)
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
    if refresh_every is not None:
        calendar.add("refresh-interval", refresh_every, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh_every))
    first = min((event.starts_at for event in events), default=timezone.now())
    calendar.add_component(Timezone.from_tzinfo(TEHRAN, first_date=first.astimezone(TEHRAN).date()))
    stamp = timezone.now().astimezone(datetime.UTC)
    for event in events:
        calendar.add_component(_vevent(event, stamp=stamp, with_attendees=method != "PUBLISH"))
    return CalendarFile(content=calendar.to_ical(), method=method)


def _for_reader(text: str) -> str:
    return persian_digits_in_text(text) if is_persian() else text


def _vevent(event: CalendarEvent, *, stamp: datetime.datetime, with_attendees: bool) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts_at.astimezone(TEHRAN))
    vevent.add("dtend", event.ends_at.astimezone(TEHRAN))
    vevent.add("sequence", event.sequence)
    # The texts a reader reads (summary, description, place, a name) in the reader's digits
    # (composed in the reader's language); UID, URL, addresses and times are data and keep theirs.
    summary, description, location = (_for_reader(text) for text in (event.summary, event.description, event.location))
    vevent.add("summary", summary)
    if description:
        vevent.add("description", description)
    if location:
        vevent.add("location", location)
    if event.url:
        vevent.add("url", event.url)
    vevent.add("status", event.status)
    vevent.add("organizer", portal_organizer())
    if with_attendees:
        for attendee in event.attendees:
            vevent.add("attendee", _address(attendee.email, _for_reader(attendee.name), role="REQ-PARTICIPANT"))
    if event.alarm_before is not None and event.status != "CANCELLED":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", -event.alarm_before)
        vevent.add_component(alarm)
    return vevent
