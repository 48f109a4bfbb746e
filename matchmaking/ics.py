"""Calendar files (.ics) for meetings: times in Asia/Tehran with its VTIMEZONE, the
organiser and both companies as attendees, the room's address or the video link."""

import datetime
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from companies.selectors import member_emails
from matchmaking.models import Meeting

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
_ICS_STATUS = {
    Meeting.Status.PROPOSED: "TENTATIVE",
    Meeting.Status.CONFIRMED: "CONFIRMED",
}


def _address(email: str, name: str, *, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("ACCEPTED")
    return address


def meeting_location(meeting: Meeting) -> str:
    if meeting.room_id:
        exhibition = meeting.room.exhibition
        return ", ".join(part for part in (meeting.room.name, exhibition.venue, exhibition.address, exhibition.title) if part)
    return meeting.video_url


def meeting_calendar(meeting: Meeting, *, recipients: dict[int, list[str]] | None = None) -> bytes:
    """The .ics for one meeting. Cancelled, declined and expired meetings come out as
    CANCELLED (METHOD:CANCEL), so a calendar that imported the proposal drops it."""
    if recipients is None:
        recipients = member_emails([meeting.buyer_id, meeting.supplier_id])
    active = meeting.status in _ICS_STATUS
    calendar = Calendar()
    calendar.add("prodid", "-//ISIPO domestic-manufacturing exhibitions//meetings//FA")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST" if active else "CANCEL")

    event = Event()
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now().astimezone(datetime.timezone.utc))
    event.add("dtstart", meeting.starts_at.astimezone(TEHRAN))
    event.add("dtend", meeting.ends_at.astimezone(TEHRAN))
    event.add("sequence", int(meeting.updated_at.timestamp()) if meeting.updated_at else 0)
    need = meeting.interest.need
    event.add("summary", _("B2B meeting: %(need)s") % {"need": need.display_title})
    lines = [
        _("Buyer: %(name)s") % {"name": meeting.buyer.name if not need.is_anonymous else _("(anonymous)")},
        _("Supplier: %(name)s") % {"name": meeting.supplier.name},
        _("Mode: %(mode)s") % {"mode": meeting.get_mode_display()},
    ]
    if meeting.video_url:
        lines.append(_("Video link: %(url)s") % {"url": meeting.video_url})
        event.add("url", meeting.video_url)
    event.add("description", "\n".join(lines))
    event.add("location", meeting_location(meeting))
    event.add("status", _ICS_STATUS.get(meeting.status, "CANCELLED"))

    organiser = meeting.proposed_by
    if organiser is not None and organiser.email:
        event.add("organizer", _address(organiser.email, organiser.get_full_name() or organiser.get_username()))
    else:
        event.add("organizer", _address(settings.DEFAULT_FROM_EMAIL, _("Domestic Manufacturing Exhibitions")))
    # An anonymous buyer stays anonymous in the file the supplier downloads too.
    companies = (meeting.supplier,) if need.is_anonymous else (meeting.buyer, meeting.supplier)
    for company in companies:
        for email in recipients.get(company.pk, []):
            event.add("attendee", _address(email, company.name, role="REQ-PARTICIPANT"))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
