"""A calendar file (.ics) for one tour registration, in Tehran time (core.ics builds it).

One file serves the registered company's people (it holds nothing one of them may not
read): a PUBLISH of the tour as the registration stands. Confirmed seats are CONFIRMED, a
place on the waiting list TENTATIVE (the description says so), and a cancelled registration
or tour CANCELLED; the UID stays, and SEQUENCE grows with each change, so a calendar that
imported an earlier file updates its entry."""

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


def _calendar_status(registration: TourRegistration) -> str:
    """The STATUS of the registration's event: CANCELLED, TENTATIVE or CONFIRMED."""
    if registration.tour.status == registration.tour.Status.CANCELLED:
        return "CANCELLED"
    return {
        TourRegistration.Status.CONFIRMED: "CONFIRMED",
        TourRegistration.Status.WAITLISTED: "TENTATIVE",
    }.get(registration.status, "CANCELLED")


def _description(registration: TourRegistration, status: str) -> str:
    tour = registration.tour
    values = {"company": registration.company.name, "n": registration.attendees}
    lines = [
        _("Registration for %(company)s: %(n)d attendees (%(status)s).")
        % {**values, "status": registration.get_status_display()},
    ]
    if tour.status == tour.Status.CANCELLED:
        lines.append(_("The organiser has cancelled this tour. We are sorry for the inconvenience."))
    elif status == "TENTATIVE":
        lines.append(
            _("The tour is full, so your registration for %(n)d attendees is on the waiting list. "
              "We will write to you as soon as seats free up.") % values
        )
    elif status == "CANCELLED":
        lines.append(_("Your registration for this tour has been cancelled."))
    if registration.attendee_names:
        lines.append(registration.attendee_names)
    return "\n".join(lines)


def _sequence(registration: TourRegistration) -> int:
    """Grows with every change of the registration or the tour's cancellation."""
    changes = [moment for moment in (registration.updated_at, registration.tour.cancelled_at) if moment]
    return int(max(changes).timestamp()) if changes else 0


def tour_registration_calendar(registration: TourRegistration, *, language: str | None = None) -> CalendarFile:
    tour = registration.tour
    with translation.override(language or translation.get_language() or "fa"):
        status = _calendar_status(registration)
        event = CalendarEvent(
            uid=event_uid("tour-registration", registration.pk),
            starts_at=tour.starts_at,
            ends_at=tour.ends_at,
            summary=tour.title,
            description=_description(registration, status),
            location=f"{tour.meeting_point} — {tour.exhibition.title}, {tour.exhibition.address or tour.exhibition.venue}",
            url=absolute_url(reverse("tours:detail", args=[tour.pk])),
            status=status,
            sequence=_sequence(registration),
        )
        return calendar_file(event, method="PUBLISH", prodid=PRODID)
