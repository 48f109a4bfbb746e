"""Who hears what about a tour registration: one letter per address, in the tour's language,
with the registration's calendar file while its seats are confirmed."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from companies.models import CompanyMember
from core.formats import datetime_
from core.mail import Attachment, Letter, absolute_url, unique_addresses
from tours.ics import tour_registration_calendar
from tours.models import TourRegistration

TOUR_EVENTS = ("confirmed", "waitlisted", "promoted", "updated", "cancelled", "tour_cancelled", "reminder")


def tour_registration_recipients(registration: TourRegistration) -> list[str]:
    """The company's address, whoever registered, and its approved members."""
    emails = [registration.company.email]
    if registration.registered_by_id:
        emails.append(registration.registered_by.email)
    emails += CompanyMember.objects.filter(company=registration.company, is_approved=True).values_list(
        "user__email", flat=True
    )
    return unique_addresses(emails)


def _tour_texts(event: str) -> tuple[str, str]:
    return {
        "confirmed": (
            _("Tour registration confirmed: %(tour)s"),
            _("Your registration for %(n)d attendees is confirmed."),
        ),
        "waitlisted": (
            _("On the waiting list: %(tour)s"),
            _("The tour is full, so your registration for %(n)d attendees is on the waiting list. "
              "We will write to you as soon as seats free up."),
        ),
        "promoted": (
            _("Seats confirmed from the waiting list: %(tour)s"),
            _("Seats came free: your registration for %(n)d attendees is now confirmed."),
        ),
        "updated": (
            _("Tour registration changed: %(tour)s"),
            _("Your registration now counts %(n)d attendees (%(status)s)."),
        ),
        "cancelled": (
            _("Tour registration cancelled: %(tour)s"),
            _("Your registration for this tour has been cancelled."),
        ),
        "tour_cancelled": (
            _("Tour cancelled: %(tour)s"),
            _("The organiser has cancelled this tour. We are sorry for the inconvenience."),
        ),
        "reminder": (
            _("Reminder: tour tomorrow, %(tour)s"),
            _("A reminder: your group of %(n)d attendees is expected on this tour."),
        ),
    }[event]


def _tour_body(registration: TourRegistration, event: str, opening: str) -> str:
    tour = registration.tour
    url = absolute_url(reverse("tours:detail", args=[tour.pk]))
    lines = [
        _("Hello,"), "", opening, "",
        _("Tour: %(title)s") % {"title": tour.title},
        _("Exhibition: %(exhibition)s") % {"exhibition": tour.exhibition.title},
        _("Starts: %(when)s") % {"when": datetime_(tour.starts_at)},
        _("Meeting point: %(place)s") % {"place": tour.meeting_point},
    ]
    if event == "tour_cancelled" and tour.cancel_reason:
        lines.append(_("Reason: %(reason)s") % {"reason": tour.cancel_reason})
    lines += ["", _("Tour page: %(url)s") % {"url": url}]
    return "\n".join(lines)


def tour_registration_letters(registration: TourRegistration, event: str) -> list[Letter]:
    """The letters to a registered company's people about one registration, in the tour's
    language; confirmed seats come with the tour's .ics."""
    if event not in TOUR_EVENTS:
        return []
    recipients = tour_registration_recipients(registration)
    tour = registration.tour
    with translation.override(tour.language or settings.LANGUAGE_CODE):
        subject, opening = _tour_texts(event)
        values = {"tour": tour.title, "n": registration.attendees, "status": registration.get_status_display()}
        body = _tour_body(registration, event, opening % values)
        attachments = ()
        if event in ("confirmed", "promoted", "reminder") and registration.status == TourRegistration.Status.CONFIRMED:
            ics = tour_registration_calendar(registration)
            attachments = (Attachment("tour.ics", ics.content, ics.mimetype),)
        return [Letter(to=email, subject=subject % values, body=body, attachments=attachments) for email in recipients]
