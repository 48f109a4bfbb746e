"""Who hears what about a tour registration: one letter per address of the company's people
(companies.selectors.company_mailboxes), each in its reader's language (the tour's for
whoever never chose one, and for the company's own address), each with the
registration's calendar file addressed to that reader: a REQUEST whose status follows the
registration (confirmed, tentative while waitlisted) and, once the registration or the tour
is cancelled, a CANCEL of the same event, so the reader's calendar updates or drops it."""

from dataclasses import replace
from operator import attrgetter

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.notifications import in_their_languages
from companies.selectors import Mailbox, company_mailboxes
from core.formats import datetime_, digits
from core.mail import Attachment, Letter, absolute_url, compose_letter
from tours.check_in import check_in_url, has_check_in_code, qr_png
from tours.ics import tour_registration_calendar, waiting_list_sentence
from tours.models import TourMessage, TourRegistration

TOUR_EVENTS = (
    "confirmed", "waitlisted", "promoted", "updated", "cancelled", "tour_updated", "tour_cancelled", "reminder",
)


def tour_registration_recipients(registration: TourRegistration) -> list[Mailbox]:
    """The mailboxes of the people who act for the registered company today and its own
    address; whoever registered hears only while still one of them."""
    return company_mailboxes([registration.company_id])[registration.company_id]


def _tour_texts(event: str, registration: TourRegistration) -> tuple[str, str]:
    """The subject (with %(tour)s) and the opening sentence, its number in the reader's digits."""
    n = registration.attendees
    values = {"n": digits(n), "status": registration.get_status_display()}
    return {
        "confirmed": (
            _("Tour registration confirmed: %(tour)s"),
            ngettext("Your registration for %(n)s attendee is confirmed.",
                     "Your registration for %(n)s attendees is confirmed.", n) % values,
        ),
        "waitlisted": (_("On the waiting list: %(tour)s"), waiting_list_sentence(n)),
        "promoted": (
            _("Seats confirmed from the waiting list: %(tour)s"),
            ngettext("Seats came free: your registration for %(n)s attendee is now confirmed.",
                     "Seats came free: your registration for %(n)s attendees is now confirmed.", n) % values,
        ),
        "updated": (
            _("Tour registration changed: %(tour)s"),
            ngettext("Your registration now counts %(n)s attendee (%(status)s).",
                     "Your registration now counts %(n)s attendees (%(status)s).", n) % values,
        ),
        "cancelled": (
            _("Tour registration cancelled: %(tour)s"),
            _("Your registration for this tour has been cancelled."),
        ),
        "tour_updated": (
            _("Tour changed: %(tour)s"),
            _("The organiser has changed this tour; the details below and the attached calendar file are "
              "up to date."),
        ),
        "tour_cancelled": (
            _("Tour cancelled: %(tour)s"),
            _("The organiser has cancelled this tour. We are sorry for the inconvenience."),
        ),
        "reminder": (
            _("Reminder: tour tomorrow, %(tour)s"),
            ngettext("A reminder: your group of %(n)s attendee is expected on this tour.",
                     "A reminder: your group of %(n)s attendees is expected on this tour.", n) % values,
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
    lines = [_("Hello,"), opening, "\n".join(details), _("Tour page: %(url)s") % {"url": url}]
    if _carries_check_in(registration, event):
        lines.append(
            _("At the door, show the attached QR code (check-in.png) or this link to the organiser: %(url)s")
            % {"url": check_in_url(registration)}
        )
    return lines


def _carries_check_in(registration: TourRegistration, event: str) -> bool:
    """A letter about a seat carries the registration's check-in code (has_check_in_code);
    one about a cancellation never does."""
    return event not in ("cancelled", "tour_cancelled") and has_check_in_code(registration)


def tour_registration_letters(registration: TourRegistration, event: str) -> list[Letter]:
    """The letters to a registered company's people about one registration, each in its
    reader's language (the tour's for those who never chose one), each with the
    registration's .ics as it now stands, addressed to that reader (a calendar that imported
    it is updated: tentative on the waiting list, confirmed, moved, or cancelled)."""
    if event not in TOUR_EVENTS:
        return []
    tour = registration.tour

    def letter(box: Mailbox) -> Letter:
        subject, opening = _tour_texts(event, registration)
        letter = compose_letter(
            to=box.email, subject=subject % {"tour": tour.title}, lines=_tour_lines(registration, event, opening),
            attachments=[_calendar_attachment(registration, box.email), *check_in], user=box.user, event="tour",
        )
        # The tour page is in the lines already; the inbox and the SMS lead there too.
        return replace(letter, link=absolute_url(reverse("tours:detail", args=[tour.pk])))

    check_in = (
        [Attachment("check-in.png", qr_png(check_in_url(registration)), "image/png")]
        if _carries_check_in(registration, event) else []
    )

    return in_their_languages(tour_registration_recipients(registration), letter, user_of=attrgetter("user"), default=tour.language or settings.LANGUAGE_CODE)


def _calendar_attachment(registration: TourRegistration, email: str) -> Attachment:
    """The registration's file as a scheduling message to this one reader (REQUEST, or CANCEL)."""
    ics = tour_registration_calendar(registration, email=email)
    return Attachment("tour.ics", ics.content, ics.mimetype)


def tour_message_letters(message: TourMessage) -> list[Letter]:
    """An organiser's message to the tour's registered companies of its audience: one letter
    per mailbox of each (company_mailboxes, two queries for them all), its frame in the
    reader's language (the tour's for those who never chose one), the text as typed."""
    tour = message.tour
    company_ids = list(
        tour.registrations.filter(status__in=message.statuses).order_by("created_at", "id").values_list(
            "company_id", flat=True
        )
    )
    mailboxes = company_mailboxes(company_ids)
    url = absolute_url(reverse("tours:detail", args=[tour.pk]))

    def letter(box: Mailbox) -> Letter:
        lines = [
            _("Hello,"),
            _("A message from the organiser of the tour %(tour)s (%(when)s):")
            % {"tour": tour.title, "when": datetime_(tour.starts_at)},
            message.body,
            _("Tour page: %(url)s") % {"url": url},
        ]
        letter = compose_letter(
            to=box.email, subject=f"{message.subject} · {tour.title}", lines=lines, user=box.user, event="tour",
        )
        return replace(letter, link=url)  # the tour page, already in the lines, for the inbox and the SMS

    readers = [box for company_id in company_ids for box in mailboxes[company_id]]
    return in_their_languages(readers, letter, user_of=attrgetter("user"), default=tour.language or settings.LANGUAGE_CODE)
