"""The event-day agenda (reads only): the staff grid of one exhibition's day, rooms by time
slots, with its live meetings, video meetings and tours; the door sheet of each room; and a
company's own coming meetings and tours, on /account/ and as one calendar file.

Every function runs a fixed number of queries whatever the day or the company holds. Buyers
are shown as the need allows: to the viewer through `Need.buyer_label_for`, on a door
(anyone passing reads it) through `Need.public_buyer_label`."""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from core.ics import TEHRAN, CalendarFile, calendar_of
from exhibitions.models import Exhibition, MeetingRoom
from matchmaking.calendar_feed import PRODID
from matchmaking.ics import meeting_event
from matchmaking.models import Meeting
from matchmaking.selectors import slot_minutes
from tours.ics import tour_registration_event
from tours.models import Tour, TourRegistration

# Slot lengths the grid may shrink to (minutes), so that every meeting of the day starts
# and ends on a slot; a meeting off even the shortest is drawn over the slots it touches.
SLOT_CHOICES = (30, 20, 15, 10)
COMPANY_AGENDA_LIMIT = 100
_MEETING_RELATED = ("interest__need__province", "interest__need__buyer", "buyer", "supplier", "room__exhibition")


# --- the rows of the grid and the door sheets ---------------------------------------------
@dataclass
class Entry:
    """One meeting or tour as staff (or a door) may see it: never a video link, which only
    the two companies get (as on the meeting's page)."""

    kind: str  # "meeting" or "tour"
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str  # a meeting's "proposed" or "confirmed"; a tour's "scheduled" or "held"
    status_label: str
    title: str
    buyer: str = ""
    supplier: str = ""
    mode: str = ""
    mode_label: str = ""
    place: str = ""  # a tour's meeting point
    meeting: Meeting | None = None
    tour: Tour | None = None


@dataclass
class Cell:
    """A run of `span` slots from `starts_at`: free, or holding the entries that overlap there."""

    starts_at: datetime.datetime
    span: int = 1
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Row:
    kind: str  # "room", "video" or "tours"
    label: str
    cells: list[Cell]
    room: MeetingRoom | None = None


@dataclass
class DoorSheet:
    room: MeetingRoom
    entries: list[Entry]


@dataclass
class DayAgenda:
    exhibition: Exhibition
    day: datetime.date
    slot_minutes: int
    slots: list[datetime.datetime]
    rows: list[Row]
    door_sheets: list[DoorSheet]
    counts: dict
    previous_day: datetime.date
    next_day: datetime.date


def _live_meetings_of_day(exhibition: Exhibition, start: datetime.datetime, end: datetime.datetime):
    """Proposed and confirmed meetings touching the day: in the exhibition's rooms, or by
    video on a need shown at the exhibition."""
    return (
        Meeting.objects.filter(status__in=Meeting.ACTIVE_STATUSES, starts_at__lt=end, ends_at__gt=start)
        .filter(Q(room__exhibition=exhibition) | Q(room__isnull=True, interest__need__exhibition=exhibition))
        .select_related(*_MEETING_RELATED)
        .order_by("starts_at", "pk")
    )


def _meeting_entry(meeting: Meeting, buyer: str) -> Entry:
    return Entry(
        kind="meeting", starts_at=meeting.starts_at, ends_at=meeting.ends_at, status=meeting.status,
        status_label=meeting.get_status_display(), title=meeting.interest.need.display_title, buyer=buyer,
        supplier=meeting.supplier.name, mode=meeting.mode, mode_label=meeting.get_mode_display(), meeting=meeting,
    )


def _tour_entry(tour: Tour) -> Entry:
    return Entry(
        kind="tour", starts_at=tour.starts_at, ends_at=tour.ends_at, status=tour.status,
        status_label=tour.get_status_display(), title=tour.title, place=tour.meeting_point, tour=tour,
    )


def _slot_length(moments: list[datetime.datetime]) -> int:
    """The longest slot (from the meeting grid's own length down) on which every moment falls."""
    offsets = [(m.hour * 60 + m.minute) for m in (timezone.localtime(x, TEHRAN) for x in moments)]
    for minutes in sorted({slot_minutes(), *SLOT_CHOICES}, reverse=True):
        if minutes <= slot_minutes() and all(offset % minutes == 0 for offset in offsets):
            return minutes
    return min(SLOT_CHOICES)


def _row_cells(entries: list[Entry], slots: list[datetime.datetime], step: datetime.timedelta) -> list[Cell]:
    """The row's slots as cells: each entry covers the slots it touches; entries that overlap
    (video meetings, tours, a meeting off the grid) share one cell."""
    index_of = {}
    for entry in sorted(entries, key=lambda e: (e.starts_at, e.ends_at)):
        first = max(0, math.floor((entry.starts_at - slots[0]) / step))
        last = min(len(slots), math.ceil((entry.ends_at - slots[0]) / step))
        index_of.setdefault(first, []).append((entry, max(last, first + 1)))
    cells: list[Cell] = []
    position = 0
    while position < len(slots):
        if position not in index_of:
            cells.append(Cell(starts_at=slots[position]))
            position += 1
            continue
        cell = Cell(starts_at=slots[position], span=0)
        end = position
        pending = [position]
        while pending:  # gather every entry starting inside the cell as it grows
            start = pending.pop()
            for entry, last in index_of.pop(start, []):
                cell.entries.append(entry)
                end = max(end, last)
            pending += [i for i in index_of if position < i < end]
        cell.span = end - position
        cell.entries.sort(key=lambda e: (e.starts_at, e.ends_at))
        cells.append(cell)
        position = end
    return cells


def exhibition_day_agenda(*, exhibition: Exhibition, day: datetime.date, viewer) -> DayAgenda:
    """The day of one exhibition for staff: a row per meeting room, one for video meetings
    and one for the day's tours (at their meeting points), over time slots from opening to
    closing (widened to any meeting or tour outside them). Live meetings only (proposed or
    confirmed, each saying which); cancelled tours are left out. Each room's door sheet
    names the buyer as the public may see it. Three queries."""
    midnight = datetime.datetime.combine(day, datetime.time(0), TEHRAN)
    next_midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), TEHRAN)
    rooms = list(MeetingRoom.objects.filter(exhibition=exhibition))
    meetings = list(_live_meetings_of_day(exhibition, midnight, next_midnight))
    tours = list(
        Tour.objects.filter(exhibition=exhibition, starts_at__lt=next_midnight, ends_at__gt=midnight)
        .exclude(status=Tour.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )

    minutes = _slot_length([moment for m in meetings for moment in (m.starts_at, m.ends_at)])
    step = datetime.timedelta(minutes=minutes)
    opens = datetime.datetime.combine(day, exhibition.opens_at, TEHRAN)
    closes = datetime.datetime.combine(day, exhibition.closes_at, TEHRAN)
    moments = [(max(x.starts_at, midnight), min(x.ends_at, next_midnight)) for x in [*meetings, *tours]]
    first = min([opens, *(start for start, _end in moments)])
    last = max([closes, *(end for _start, end in moments)])
    first = midnight + math.floor((first - midnight) / step) * step
    count = max(1, math.ceil((last - first) / step))
    slots = [first + i * step for i in range(count)]

    by_room: dict[int, list[Entry]] = {room.pk: [] for room in rooms}
    doors: dict[int, list[Entry]] = {room.pk: [] for room in rooms}
    video: list[Entry] = []
    for meeting in meetings:
        need = meeting.interest.need
        entry = _meeting_entry(meeting, need.buyer_label_for(viewer))
        if meeting.room_id in by_room:
            by_room[meeting.room_id].append(entry)
            doors[meeting.room_id].append(_meeting_entry(meeting, need.public_buyer_label()))
        else:
            video.append(entry)
    tour_entries = [_tour_entry(tour) for tour in tours]

    rows = [
        Row(kind="room", label=room.name, room=room, cells=_row_cells(by_room[room.pk], slots, step)) for room in rooms
    ]
    rows.append(Row(kind="video", label=_("Video meetings"), cells=_row_cells(video, slots, step)))
    rows.append(Row(kind="tours", label=_("Tours"), cells=_row_cells(tour_entries, slots, step)))
    statuses = [meeting.status for meeting in meetings if meeting.room_id]
    return DayAgenda(
        exhibition=exhibition, day=day, slot_minutes=minutes, slots=slots, rows=rows,
        door_sheets=[DoorSheet(room=room, entries=doors[room.pk]) for room in rooms],
        counts={
            "confirmed": statuses.count(Meeting.Status.CONFIRMED), "proposed": statuses.count(Meeting.Status.PROPOSED),
            "video": len(video), "tours": len(tours),
        },
        previous_day=day - datetime.timedelta(days=1), next_day=day + datetime.timedelta(days=1),
    )


# --- a company's own agenda ---------------------------------------------------------------
@dataclass
class AgendaItem:
    """A coming meeting or tour of a company, as its member sees it."""

    kind: str  # "meeting" or "tour"
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str
    status: str
    status_label: str
    url: str
    exhibition: Exhibition | None
    address: str = ""
    counterpart: str = ""  # the other company of a meeting
    mode_label: str = ""
    room: MeetingRoom | None = None
    place: str = ""  # a tour's meeting point
    video_url: str = ""
    meeting: Meeting | None = None
    registration: TourRegistration | None = None


def _exhibition_address(exhibition: Exhibition) -> str:
    """Where to go: the exhibition's address, or its venue while it has none."""
    return exhibition.address or exhibition.venue


def company_agenda(*, company: Company, viewer, since: datetime.datetime) -> list[AgendaItem]:
    """The company's meetings (proposed or confirmed) and tour registrations (confirmed or
    waitlisted, on tours not cancelled) that end after `since`, in time order, each with the
    exhibition's address, the room or the video link; the other company of a meeting as
    `viewer` may see it. The first COMPANY_AGENDA_LIMIT; two queries."""
    meetings = (
        Meeting.objects.filter(Q(buyer=company) | Q(supplier=company), status__in=Meeting.ACTIVE_STATUSES,
                               ends_at__gt=since)
        .select_related(*_MEETING_RELATED, "interest__need__exhibition")
        .order_by("starts_at", "pk")[:COMPANY_AGENDA_LIMIT]
    )
    registrations = (
        TourRegistration.objects.filter(company=company, tour__ends_at__gt=since)
        .exclude(status=TourRegistration.Status.CANCELLED)
        .exclude(tour__status=Tour.Status.CANCELLED)
        .select_related("tour__exhibition", "company")
        .order_by("tour__starts_at", "pk")[:COMPANY_AGENDA_LIMIT]
    )
    items = []
    for meeting in meetings:
        need = meeting.interest.need
        exhibition = meeting.room.exhibition if meeting.room_id else need.exhibition
        counterpart = meeting.supplier.name if meeting.buyer_id == company.pk else need.buyer_label_for(viewer)
        items.append(AgendaItem(
            kind="meeting", starts_at=meeting.starts_at, ends_at=meeting.ends_at, title=need.display_title,
            status=meeting.status, status_label=meeting.get_status_display(),
            url=reverse("matchmaking:meeting-detail", args=[meeting.pk]),
            exhibition=exhibition if meeting.room_id else None,
            address=_exhibition_address(exhibition) if meeting.room_id else "",
            counterpart=counterpart, mode_label=meeting.get_mode_display(), room=meeting.room,
            video_url=meeting.video_url, meeting=meeting,
        ))
    for registration in registrations:
        tour = registration.tour
        items.append(AgendaItem(
            kind="tour", starts_at=tour.starts_at, ends_at=tour.ends_at, title=tour.title,
            status=registration.status, status_label=registration.get_status_display(),
            url=reverse("tours:detail", args=[tour.pk]), exhibition=tour.exhibition,
            address=_exhibition_address(tour.exhibition), place=tour.meeting_point, registration=registration,
        ))
    items.sort(key=lambda item: (item.starts_at, item.ends_at))
    return items[:COMPANY_AGENDA_LIMIT]


def company_agenda_calendar(*, company: Company, items: list[AgendaItem], viewer) -> CalendarFile:
    """The agenda as one calendar file (a PUBLISH): each meeting and registration the event
    matchmaking.ics and tours.ics compose for this reader, with the UIDs and SEQUENCEs of the
    files mailed and of the private feed, so a calendar holding them all sees one entry."""
    events = [
        meeting_event(item.meeting, viewer=viewer) if item.kind == "meeting"
        else tour_registration_event(item.registration)
        for item in items
    ]
    name = _("Agenda: %(company)s") % {"company": company.name}
    return calendar_of(events, method="PUBLISH", prodid=PRODID, name=name)
