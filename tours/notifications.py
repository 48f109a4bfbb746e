"""Who hears what about a tour registration: one letter per address of the company's people
(companies.selectors.company_mailboxes), in the tour's language, with the registration's
calendar file, whose status follows the registration (confirmed, tentative while waitlisted,
cancelled)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from companies.selectors import company_mailboxes
from core.formats import datetime_
from core.mail import Attachment, Letter, absolute_url, compose_letter
from tours.ics import tour_registration_calendar
from tours.models import TourRegistration

TOUR_EVENTS = ("confirmed", "waitlisted", "promoted", "updated", "cancelled", "tour_cancelled", "reminder")


def tour_registration_recipients(registration: TourRegistration) -> list[str]:
    """The addresses of the people who act for the registered company today and its own
    address; whoever registered hears only while still one of them."""
    return [box.email for box in company_mailboxes([registration.company_id])[registration.company_id]]


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


def _tour_lines(registration: TourRegistration, event: str, opening: str) -> list[str]:
    tour = registration.tour
    details = [
        _("Tour: %(title)s") % {"title": tour.title},
        _("Exhibition: %(exhibition)s") % {"exhibition": tour.exhibition.title},
        _("Starts: %(when)s") % {"when": datetime_(tour.starts_at)},
        _("Meeting point: %(place)s") % {"place": tour.meeting_point},
    ]
    if event == "tour_cancelled" and tour.cancel_reason:
        details.append(_("Reason: %(reason)s") % {"reason": tour.cancel_reason})
    url = absolute_url(reverse("tours:detail", args=[tour.pk]))
    return [_("Hello,"), opening, "\n".join(details), _("Tour page: %(url)s") % {"url": url}]


def tour_registration_letters(registration: TourRegistration, event: str) -> list[Letter]:
    """The letters to a registered company's people about one registration, in the tour's
    language, each with the registration's .ics as it now stands (a calendar that imported
    it is updated: tentative on the waiting list, confirmed, or cancelled)."""
    if event not in TOUR_EVENTS:
        return []
    recipients = tour_registration_recipients(registration)
    if not recipients:
        return []
    tour = registration.tour
    with translation.override(tour.language or settings.LANGUAGE_CODE):
        subject, opening = _tour_texts(event)
        values = {"tour": tour.title, "n": registration.attendees, "status": registration.get_status_display()}
        lines = _tour_lines(registration, event, opening % values)
        ics = tour_registration_calendar(registration)
        attachments = (Attachment("tour.ics", ics.content, ics.mimetype),)
        return [
            compose_letter(to=email, subject=subject % values, lines=lines, attachments=attachments)
            for email in recipients
        ]
