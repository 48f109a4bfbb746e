"""A user's private calendar feed: one VCALENDAR (a PUBLISH) with every meeting of the
user's company and its tour registrations, read by calendar apps from a secret address.

Each meeting is the event matchmaking.ics composes for this reader (an anonymous buyer stays
"a manufacturer in <province>" to a supplier), each registration the one tours.ics composes
for the company, with the same UID and SEQUENCE as the files mailed, so a calendar holding
both sees one entry. Cancelled meetings and registrations stay in as CANCELLED; declined and
expired proposals, which never reached a calendar, are left out. The feed follows the
user's membership: someone who left the company reads an empty calendar."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import CalendarFeedToken
from companies.selectors import company_for_user
from core.ics import CalendarFile, calendar_of
from core.mail import absolute_url
from matchmaking.ics import meeting_event
from matchmaking.models import Meeting
from tours.ics import tour_registration_event
from tours.models import TourRegistration

PRODID = "-//ISIPO domestic-manufacturing exhibitions//calendar feed//FA"
FEED_MEETING_STATUSES = (Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED, Meeting.Status.CANCELLED)
REFRESH_EVERY = datetime.timedelta(hours=1)


def feed_owner(token: str):
    """The active user whose calendar address holds `token`, or None."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    return feed.user if feed is not None and feed.user.is_active else None


def calendar_feed_url(user) -> str:
    """The user's private calendar address (absolute), or "" while they have none."""
    feed = CalendarFeedToken.objects.filter(user=user).only("token").first()
    return absolute_url(reverse("matchmaking:calendar-feed", args=[feed.token])) if feed else ""


def user_calendar(user) -> CalendarFile:
    """The user's feed, in the active language; a fixed number of queries."""
    company = company_for_user(user)
    events = []
    if company is not None:
        meetings = (
            Meeting.objects.filter(Q(buyer=company) | Q(supplier=company), status__in=FEED_MEETING_STATUSES)
            .select_related("interest__need__province", "interest__need__buyer", "supplier", "room__exhibition")
            .order_by("starts_at", "pk")
        )
        events += [meeting_event(meeting, viewer=user) for meeting in meetings]
        registrations = (
            TourRegistration.objects.filter(company=company)
            .select_related("tour__exhibition", "company")
            .order_by("tour__starts_at", "pk")
        )
        events += [tour_registration_event(registration) for registration in registrations]
    name = _("Meetings and tours: %(company)s") % {"company": company.name} if company else _("Meetings and tours")
    return calendar_of(
        sorted(events, key=lambda event: event.starts_at), method="PUBLISH", prodid=PRODID, name=name,
        refresh_every=REFRESH_EVERY,
    )
