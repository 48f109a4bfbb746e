"""Calendar files (.ics) for meetings, each built for the one person who gets it.

The buyer appears as the need says that person may see it (an anonymous buyer is "a
manufacturer in <province>" to the supplier); the organiser is the portal, and the only
attendee is the reader. Mail carries a scheduling message: REQUEST while the meeting is
proposed or confirmed, CANCEL once it is cancelled, declined or expired, so a calendar that
imported it drops it; a download (and the private feed) is a PUBLISH of the same event.
The UID stays and SEQUENCE is the meeting's calendar revision, which the services raise with
every change, so each later file replaces the earlier one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.ics import Attendee, CalendarEvent, CalendarFile, calendar_file, event_uid
from core.mail import absolute_url
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


def meeting_event(meeting: Meeting, *, viewer, email: str = "") -> CalendarEvent:
    """The meeting as one reader's calendar shows it: `viewer` is the user it is for (None
    for a company's own mailbox, which sees what the public sees) and `email` the address it
    is sent to (the viewer's own by default), listed as the only attendee."""
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
    return CalendarEvent(
        uid=event_uid("meeting", meeting.pk),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=_("B2B meeting: %(need)s") % {"need": need.display_title},
        description="\n".join(lines),
        location=meeting_location(meeting),
        url=absolute_url(reverse("matchmaking:meeting-detail", args=[meeting.pk])),
        status=_ICS_STATUS.get(meeting.status, "CANCELLED"),
        sequence=meeting.calendar_sequence,
        attendees=(Attendee(email=email, name=name),) if email else (),
    )


def meeting_calendar(meeting: Meeting, *, viewer, email: str = "", publish: bool = False) -> CalendarFile:
    """The .ics of `meeting` for one reader (see `meeting_event`): the scheduling message a
    letter carries (REQUEST, or CANCEL once the meeting is off), or with `publish` the plain
    copy a download is."""
    event = meeting_event(meeting, viewer=viewer, email=email)
    if publish:
        method = "PUBLISH"
    else:
        method = "REQUEST" if meeting.status in _ICS_STATUS else "CANCEL"
    return calendar_file(event, method=method, prodid=PRODID)
