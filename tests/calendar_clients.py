"""A calendar file as four independent readers see it: icalendar, ics-py, vobject and
recurring-ical-events (the programs behind many calendar apps and sync tools).

`read_everywhere` parses the bytes with each and returns what each understood, so a test
can assert that all of them accept the file and agree on it, and compare a REQUEST with the
CANCEL that should replace it (same UID, higher SEQUENCE, STATUS:CANCELLED)."""

import datetime
from dataclasses import dataclass

import icalendar
import ics
import recurring_ical_events
import vobject

CLIENTS = ("icalendar", "ics-py", "vobject", "recurring-ical-events")


@dataclass(frozen=True)
class Seen:
    """One VEVENT as one reader understood it."""

    method: str
    uid: str
    sequence: int
    status: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    url: str
    alarms: int


def _icalendar(content: bytes) -> list[Seen]:
    calendar = icalendar.Calendar.from_ical(content)
    return [_from_icalendar(str(calendar.get("method", "")), event) for event in calendar.walk("VEVENT")]


def _from_icalendar(method: str, event) -> Seen:
    return Seen(
        method=method, uid=str(event["uid"]), sequence=int(event.get("sequence", 0)),
        status=str(event.get("status", "")), starts_at=event["dtstart"].dt, ends_at=event["dtend"].dt,
        url=str(event.get("url", "")), alarms=len(event.walk("VALARM")),
    )


def _ics_py(content: bytes) -> list[Seen]:
    calendar = ics.Calendar(content.decode("utf-8"))
    seen = []
    for event in calendar.events:
        extra = {line.name: line.value for line in event.extra if hasattr(line, "value")}
        seen.append(Seen(
            method=calendar.method or "", uid=event.uid, sequence=int(extra.get("SEQUENCE", 0)),
            status=event.status or "", starts_at=event.begin.datetime, ends_at=event.end.datetime,
            url=event.url or "", alarms=len(event.alarms),
        ))
    return seen


def _vobject(content: bytes) -> list[Seen]:
    calendar = vobject.readOne(content.decode("utf-8"))
    method = calendar.method.value if hasattr(calendar, "method") else ""
    seen = []
    for event in calendar.contents.get("vevent", []):
        seen.append(Seen(
            method=method, uid=event.uid.value,
            sequence=int(event.sequence.value) if hasattr(event, "sequence") else 0,
            status=event.status.value if hasattr(event, "status") else "",
            starts_at=event.dtstart.value, ends_at=event.dtend.value,
            url=event.url.value if hasattr(event, "url") else "",
            alarms=len(event.contents.get("valarm", [])),
        ))
    return seen


def _recurring_ical_events(content: bytes) -> list[Seen]:
    calendar = icalendar.Calendar.from_ical(content)
    method = str(calendar.get("method", ""))
    return [_from_icalendar(method, event) for event in recurring_ical_events.of(calendar).all()]


_READERS = {
    "icalendar": _icalendar, "ics-py": _ics_py, "vobject": _vobject, "recurring-ical-events": _recurring_ical_events,
}


def read_everywhere(content: bytes) -> dict[str, list[Seen]]:
    """{reader: its events, ordered by UID}; a reader that refuses the file raises."""
    return {name: sorted(read(content), key=lambda seen: seen.uid) for name, read in _READERS.items()}


def agreed(content: bytes) -> list[Seen]:
    """The events every reader sees alike (times compared as instants); fails otherwise."""
    views = read_everywhere(content)
    reference = views["icalendar"]
    for name, events in views.items():
        assert events == reference, f"{name} reads {events}, icalendar {reference}"
    return reference
