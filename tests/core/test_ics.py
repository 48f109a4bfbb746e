"""core.ics: one builder for a calendar of one event or many, read alike by every client."""

import datetime

import pytest
from icalendar import Calendar

from core.ics import TEHRAN, Attendee, CalendarEvent, calendar_file, calendar_of
from tests.calendar_clients import agreed, read_everywhere

PRODID = "-//test//calendar//EN"


def _event(uid="meeting-1@portal.example", *, hour=10, **fields) -> CalendarEvent:
    starts = datetime.datetime(2026, 12, 5, hour, 0, tzinfo=TEHRAN)
    defaults = {
        "uid": uid, "starts_at": starts, "ends_at": starts + datetime.timedelta(minutes=30),
        "summary": "جلسه تجاری", "url": "https://portal.example/account/meetings/1/",
    }
    return CalendarEvent(**{**defaults, **fields})


def test_a_calendar_of_many_events_holds_each_once_under_one_timezone():
    content = calendar_of(
        [_event("meeting-1@p", hour=10), _event("tour-registration-7@p", hour=12, status="TENTATIVE")],
        method="PUBLISH", prodid=PRODID, name="My meetings", refresh_every=datetime.timedelta(hours=1),
    ).content
    calendar = Calendar.from_ical(content)
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert str(calendar["name"]) == str(calendar["x-wr-calname"]) == "My meetings"
    assert calendar["refresh-interval"].dt == datetime.timedelta(hours=1)
    assert "X-PUBLISHED-TTL:PT1H" in content.decode()
    events = agreed(content)
    assert [(e.uid, e.status, e.method) for e in events] == [
        ("meeting-1@p", "CONFIRMED", "PUBLISH"), ("tour-registration-7@p", "TENTATIVE", "PUBLISH"),
    ]
    assert events[1].starts_at == datetime.datetime(2026, 12, 5, 12, 0, tzinfo=TEHRAN)


def test_an_empty_calendar_is_still_a_file_every_client_reads():
    content = calendar_of([], method="PUBLISH", prodid=PRODID, name="Nothing yet").content
    assert all(events == [] for events in read_everywhere(content).values())


def test_the_one_event_file_is_the_many_event_calendar_of_that_event():
    event = _event()
    one = Calendar.from_ical(calendar_file(event, method="REQUEST", prodid=PRODID).content)
    many = Calendar.from_ical(calendar_of([event], method="REQUEST", prodid=PRODID).content)
    for calendar in (one, many):
        for vevent in calendar.walk("VEVENT"):
            vevent.pop("dtstamp")
    assert one.to_ical() == many.to_ical()


def test_an_event_rings_an_hour_before_on_every_client():
    content = calendar_file(_event(), method="REQUEST", prodid=PRODID).content
    (alarm,) = Calendar.from_ical(content).walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm["trigger"].dt == -datetime.timedelta(hours=1)
    assert str(alarm["description"])
    assert [e.alarms for e in agreed(content)] == [1]


def test_a_cancelled_event_rings_no_alarm():
    content = calendar_file(_event(status="CANCELLED"), method="CANCEL", prodid=PRODID).content
    assert [e.alarms for e in agreed(content)] == [0]


@pytest.mark.parametrize(("method", "listed"), [("REQUEST", 1), ("CANCEL", 1), ("PUBLISH", 0)])
def test_only_a_scheduling_message_lists_its_reader_as_attendee(method, listed):
    # RFC 5546: a REQUEST or CANCEL is addressed to its attendees; a PUBLISH names none.
    event = _event(attendees=(Attendee("reader@example.com", "Reader"),))
    content = calendar_file(event, method=method, prodid=PRODID).content
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    attendees = vevent.get("attendee") or []
    assert len(attendees if isinstance(attendees, list) else [attendees]) == listed


def test_the_attachment_and_the_download_name_the_files_method_once():
    ics = calendar_file(_event(status="CANCELLED"), method="CANCEL", prodid=PRODID)
    assert ics.mimetype == "text/calendar; method=CANCEL"
    assert ics.content_type == "text/calendar; charset=utf-8; method=CANCEL"


def test_the_attendee_name_is_in_the_readers_digits():
    """A name is text the reader reads (a user named "نگین 7"), so a Persian reader's file
    shows it in Persian digits; the address is data and keeps its digits."""
    from django.utils import translation

    attendee = Attendee(email="user7@example.com", name="نگین 7")
    with translation.override("fa"):
        fa = Calendar.from_ical(calendar_file(_event(attendees=(attendee,)), method="REQUEST", prodid=PRODID).content)
    with translation.override("en"):
        en = Calendar.from_ical(calendar_file(_event(attendees=(attendee,)), method="REQUEST", prodid=PRODID).content)
    (fa_attendee,) = [v["attendee"] for v in fa.walk("VEVENT")]
    (en_attendee,) = [v["attendee"] for v in en.walk("VEVENT")]
    assert (str(fa_attendee), fa_attendee.params["cn"]) == ("mailto:user7@example.com", "نگین ۷")
    assert en_attendee.params["cn"] == "نگین 7"
