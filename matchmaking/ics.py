"""Calendar files (.ics) for meetings, each built for the one person who gets it.

The buyer appears as the need says that person may see it (an anonymous buyer is "a
manufacturer in <province>" to the supplier); the organiser is the portal, and the only
attendee is the reader. Cancelled, declined and expired meetings come out as CANCELLED
with METHOD:CANCEL, so a calendar that imported the proposal drops it."""

from django.utils.translation import gettext as _

from core.ics import Attendee, CalendarEvent, CalendarFile, calendar_file, event_uid
from matchmaking.models import Meeting

PRODID = "-//ISIPO domestic-manufacturing exhibitions//meetings//FA"
_ICS_STATUS = {
    Meeting.Status.PROPOSED: "TENTATIVE",
    Meeting.Status.CONFIRMED: "CONFIRMED",
}


def meeting_location(meeting: Meeting) -> str:
    if meeting.room_id:
        exhibition = meeting.room.exhibition
        return ", ".join(part for part in (meeting.room.name, exhibition.venue, exhibition.address, exhibition.title) if part)
    return meeting.video_url


def meeting_calendar(meeting: Meeting, *, viewer, email: str = "") -> CalendarFile:
    """The .ics of `meeting` for one reader: `viewer` is the user it is for (None for a
    company's own mailbox, which sees what the public sees) and `email` the address it is
    sent to (the viewer's own by default), listed as the only attendee."""
    need = meeting.interest.need
    lines = [
        _("Buyer: %(name)s") % {"name": need.buyer_label_for(viewer)},
        _("Supplier: %(name)s") % {"name": meeting.supplier.name},
        _("Mode: %(mode)s") % {"mode": meeting.get_mode_display()},
    ]
    if meeting.video_url:
        lines.append(_("Video link: %(url)s") % {"url": meeting.video_url})
    email = email or (getattr(viewer, "email", "") or "")
    name = viewer.get_full_name() if viewer is not None else ""
    event = CalendarEvent(
        uid=event_uid("meeting", meeting.pk),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=_("B2B meeting: %(need)s") % {"need": need.display_title},
        description="\n".join(lines),
        location=meeting_location(meeting),
        url=meeting.video_url,
        status=_ICS_STATUS.get(meeting.status, "CANCELLED"),
        sequence=int(meeting.updated_at.timestamp()) if meeting.updated_at else 0,
        attendees=(Attendee(email=email, name=name),) if email else (),
    )
    method = "REQUEST" if meeting.status in _ICS_STATUS else "CANCEL"
    return calendar_file(event, method=method, prodid=PRODID)
