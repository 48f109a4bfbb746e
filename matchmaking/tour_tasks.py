"""Tour mail, sent by the background worker (``python manage.py db_worker``) after commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from companies.models import CompanyMember
from matchmaking.models import TourRegistration

EVENTS = ("confirmed", "waitlisted", "promoted", "updated", "cancelled", "tour_cancelled", "reminder")


def _recipients(registration: TourRegistration) -> list[str]:
    emails = [registration.company.email]
    if registration.registered_by_id:
        emails.append(registration.registered_by.email)
    emails += CompanyMember.objects.filter(company=registration.company, is_approved=True).values_list(
        "user__email", flat=True
    )
    seen, result = set(), []
    for email in emails:
        key = (email or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            result.append(email.strip())
    return result


def _subject_and_opening(event: str, registration: TourRegistration) -> tuple[str, str]:
    tour = registration.tour
    n = registration.attendees
    texts = {
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
    }
    subject, opening = texts[event]
    values = {"tour": tour.title, "n": n, "status": registration.get_status_display()}
    return subject % values, opening % values


@task()
def notify_tour_registration(registration_id: int, event: str) -> int:
    """Mail the company's people about one registration; returns the number of messages sent."""
    from matchmaking.tour_ics import tour_registration_ics
    from portal.templatetags.portal_tags import datetime_

    registration = (
        TourRegistration.objects.select_related("tour__exhibition", "company", "registered_by")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or event not in EVENTS:
        return 0
    recipients = _recipients(registration)
    if not recipients:
        return 0
    tour = registration.tour
    with translation.override(tour.language or settings.LANGUAGE_CODE):
        subject, opening = _subject_and_opening(event, registration)
        url = settings.SITE_URL.rstrip("/") + reverse("matchmaking:tour-detail", args=[tour.pk])
        lines = [
            _("Hello,"),
            "",
            opening,
            "",
            _("Tour: %(title)s") % {"title": tour.title},
            _("Exhibition: %(exhibition)s") % {"exhibition": tour.exhibition.title},
            _("Starts: %(when)s") % {"when": datetime_(tour.starts_at)},
            _("Meeting point: %(place)s") % {"place": tour.meeting_point},
        ]
        if event == "tour_cancelled" and tour.cancel_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": tour.cancel_reason})
        lines += ["", _("Tour page: %(url)s") % {"url": url}]
        message = EmailMessage(subject=subject, body="\n".join(lines), to=recipients)
        if event in ("confirmed", "promoted", "reminder") and registration.status == TourRegistration.Status.CONFIRMED:
            message.attach("tour.ics", tour_registration_ics(registration), "text/calendar; charset=utf-8")
        return message.send()


@task()
def send_tour_reminders() -> int:
    """Queue tomorrow's tour reminders (run it often; each registration is reminded once)."""
    from matchmaking.services.tours import tour_reminders_send

    return tour_reminders_send()
