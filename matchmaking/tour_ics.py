"""A calendar file (.ics) for one tour registration, in Tehran time.

Times are written with TZID=Asia/Tehran and the VTIMEZONE that defines it, so calendar
programs show the tour at the hour the organiser set, whatever the reader's own zone."""

import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from matchmaking.models import TourRegistration

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def tour_registration_ics(registration: TourRegistration, *, language: str | None = None) -> bytes:
    tour = registration.tour
    with translation.override(language or translation.get_language() or "fa"):
        calendar = Calendar()
        calendar.add("prodid", "-//ISIPO domestic-manufacturing exhibitions//tours//EN")
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        calendar.add_component(Timezone.from_tzinfo(TEHRAN, first_date=tour.starts_at.date()))
        event = Event()
        event.add("uid", f"tour-registration-{registration.pk}@{settings.SITE_URL.split('//')[-1].split('/')[0]}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", tour.starts_at.astimezone(TEHRAN))
        event.add("dtend", tour.ends_at.astimezone(TEHRAN))
        event.add("summary", tour.title)
        event.add("location", f"{tour.meeting_point} — {tour.exhibition.title}, {tour.exhibition.address or tour.exhibition.venue}")
        lines = [
            _("Registration for %(company)s: %(n)d attendees (%(status)s).")
            % {"company": registration.company.name, "n": registration.attendees, "status": registration.get_status_display()},
        ]
        if registration.attendee_names:
            lines.append(registration.attendee_names)
        event.add("description", "\n".join(lines))
        event.add("url", settings.SITE_URL.rstrip("/") + reverse("matchmaking:tour-detail", args=[tour.pk]))
        event.add("status", "CANCELLED" if tour.status == tour.Status.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
        return calendar.to_ical()
