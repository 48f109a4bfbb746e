"""A calendar file (.ics) for one tour registration, in Tehran time (core.ics builds it)."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.ics import CalendarEvent, CalendarFile, calendar_file, event_uid
from core.mail import absolute_url
from tours.models import TourRegistration

PRODID = "-//ISIPO domestic-manufacturing exhibitions//tours//EN"


def tour_registration_ics(registration: TourRegistration, *, language: str | None = None) -> bytes:
    """The file's bytes, as the registration's download view serves them."""
    return tour_registration_calendar(registration, language=language).content


def tour_registration_calendar(registration: TourRegistration, *, language: str | None = None) -> CalendarFile:
    tour = registration.tour
    with translation.override(language or translation.get_language() or "fa"):
        lines = [
            _("Registration for %(company)s: %(n)d attendees (%(status)s).")
            % {"company": registration.company.name, "n": registration.attendees, "status": registration.get_status_display()},
        ]
        if registration.attendee_names:
            lines.append(registration.attendee_names)
        event = CalendarEvent(
            uid=event_uid("tour-registration", registration.pk),
            starts_at=tour.starts_at,
            ends_at=tour.ends_at,
            summary=tour.title,
            description="\n".join(lines),
            location=f"{tour.meeting_point} — {tour.exhibition.title}, {tour.exhibition.address or tour.exhibition.venue}",
            url=absolute_url(reverse("tours:detail", args=[tour.pk])),
            status="CANCELLED" if tour.status == tour.Status.CANCELLED else "CONFIRMED",
        )
        return calendar_file(event, method="PUBLISH", prodid=PRODID)
