"""A calendar file (.ics) for one tour registration, in Tehran time (core.ics builds it).

The file is the registered company's (it names none of its people but the reader a letter
is addressed to): confirmed seats are CONFIRMED, a place on the waiting list TENTATIVE (the
description says so), and a cancelled registration or tour CANCELLED. A letter carries a
scheduling message addressed to its one recipient (REQUEST, or CANCEL once the registration
or the tour is cancelled); a download (and the private feed) is a PUBLISH of the same event.
The UID stays, and SEQUENCE is the sum of the tour's and the registration's calendar
revisions, each raised by the services with every change the file shows: it only grows,
so each later file replaces the earlier one."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import digits
from core.ics import Attendee, CalendarEvent, CalendarFile, calendar_file, event_uid
from core.mail import absolute_url
from tours.models import TourRegistration

PRODID = "-//ISIPO domestic-manufacturing exhibitions//tours//EN"


def _calendar_status(registration: TourRegistration) -> str:
    """The STATUS of the registration's event: CANCELLED, TENTATIVE or CONFIRMED."""
    if registration.tour.status == registration.tour.Status.CANCELLED:
        return "CANCELLED"
    return {
        TourRegistration.Status.CONFIRMED: "CONFIRMED",
        TourRegistration.Status.WAITLISTED: "TENTATIVE",
    }.get(registration.status, "CANCELLED")


def waiting_list_sentence(attendees: int) -> str:
    """What a waitlisted registration is told, in the file and in the letter."""
    return ngettext(
        "The tour is full, so your registration for %(n)s attendee is on the waiting list. "
        "We will write to you as soon as seats free up.",
        "The tour is full, so your registration for %(n)s attendees is on the waiting list. "
        "We will write to you as soon as seats free up.",
        attendees,
    ) % {"n": digits(attendees)}


def _description(registration: TourRegistration, status: str) -> str:
    tour = registration.tour
    n = registration.attendees
    values = {"company": registration.company.name, "n": digits(n)}
    if tour.status == tour.Status.CANCELLED:
        # The registration's own status ("Confirmed") no longer holds for a cancelled tour.
        lines = [
            ngettext("Registration for %(company)s: %(n)s attendee.",
                     "Registration for %(company)s: %(n)s attendees.", n) % values,
            _("The organiser has cancelled this tour. We are sorry for the inconvenience."),
        ]
    else:
        lines = [
            ngettext("Registration for %(company)s: %(n)s attendee (%(status)s).",
                     "Registration for %(company)s: %(n)s attendees (%(status)s).", n)
            % {**values, "status": registration.get_status_display()},
        ]
        if status == "TENTATIVE":
            lines.append(waiting_list_sentence(n))
        elif status == "CANCELLED":
            lines.append(_("Your registration for this tour has been cancelled."))
    if registration.attendee_names:
        lines.append(registration.attendee_names)
    return "\n".join(lines)


def tour_registration_event(registration: TourRegistration, *, email: str = "") -> CalendarEvent:
    """The registration's event in the active language; `email`, when given, is the one
    attendee (the recipient of the letter that carries it)."""
    tour = registration.tour
    status = _calendar_status(registration)
    return CalendarEvent(
        uid=event_uid("tour-registration", registration.pk),
        starts_at=tour.starts_at,
        ends_at=tour.ends_at,
        summary=tour.title,
        description=_description(registration, status),
        location=f"{tour.meeting_point} — {tour.exhibition.title}, {tour.exhibition.address or tour.exhibition.venue}",
        url=absolute_url(reverse("tours:detail", args=[tour.pk])),
        status=status,
        sequence=tour.calendar_sequence + registration.calendar_sequence,
        attendees=(Attendee(email=email),) if email else (),
    )


def tour_registration_calendar(
    registration: TourRegistration, *, language: str | None = None, email: str = "", publish: bool = False
) -> CalendarFile:
    """The registration's .ics: the scheduling message a letter to `email` carries (REQUEST,
    or CANCEL once cancelled), or with `publish` the plain copy a download is."""
    with translation.override(language or translation.get_language() or "fa"):
        event = tour_registration_event(registration, email=email)
    if publish:
        method = "PUBLISH"
    else:
        method = "CANCEL" if event.status == "CANCELLED" else "REQUEST"
    return calendar_file(event, method=method, prodid=PRODID)
