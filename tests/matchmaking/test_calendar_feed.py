"""A private calendar feed per user: a secret address, made and turned off on /account/,
that any calendar app subscribes to, holding the user's meetings (each as that reader may
see it) and the company's tour registrations."""

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from accounts.models import CalendarFeedToken
from accounts.services import calendar_feed_issue
from companies.models import CompanyMember
from core.digits import persian_digits_in_text
from core.ics import event_uid
from matchmaking.calendar_feed import user_calendar
from matchmaking.ics import meeting_event
from matchmaking.models import Meeting
from matchmaking.services import meeting_cancel, meeting_propose, meeting_respond
from tests.calendar_clients import agreed, read_everywhere
from tests.factories import (
    CompanyFactory,
    TourFactory,
    UserFactory,
    declaration,
    displayed_need,
    member,
    slot,
)
from tours.services import registration_cancel, tour_register

pytestmark = pytest.mark.django_db

SECRETS = ["رازدار", "Secretive", "Razdar", "secretive.example"]


@pytest.fixture
def world():
    """An anonymous buyer's need, a supplier with a confirmed and a cancelled meeting on it,
    and the supplier's registration for a tour; a third company's meeting nobody here sees."""
    buyer = CompanyFactory(name_fa="صنایع رازدار قم", name_en="Secretive Industries", email="office@secretive.example")
    interest = declaration(need=displayed_need(buyer=buyer, is_anonymous=True))
    buyer_member = member(buyer, "razdar", email="ceo@secretive.example", first_name="Reza", last_name="Razdar")
    supplier_member = member(interest.supplier, "maker", email="sales@maker.example")
    confirmed = meeting_propose(interest=interest, by=buyer_member, mode="video", starts_at=slot(days=3))
    meeting_respond(meeting=confirmed, by=supplier_member, accept=True)
    cancelled = meeting_propose(interest=interest, by=buyer_member, mode="video", starts_at=slot(days=4))
    meeting_cancel(meeting=cancelled, by=buyer_member)
    registration = tour_register(tour=TourFactory(), company=interest.supplier, attendees=2, by=supplier_member)
    elsewhere = declaration()
    other = meeting_propose(
        interest=elsewhere, by=member(elsewhere.need.buyer, "someone-else"), mode="video", starts_at=slot(days=5)
    )
    return {
        "buyer_member": buyer_member, "supplier_member": supplier_member, "confirmed": confirmed,
        "cancelled": cancelled, "registration": registration, "other": other,
    }


def _issue(client, user) -> str:
    """Make the user's address on /account/ and return it as the page shows it."""
    client.force_login(user)
    response = client.post(reverse("matchmaking:calendar-feed-issue"), follow=True)
    assert response.status_code == 200
    token = CalendarFeedToken.objects.get(user=user).token
    url = reverse("matchmaking:calendar-feed", args=[token])
    assert url in response.content.decode()
    return url


def test_the_feed_holds_the_users_meetings_and_tours_for_every_calendar_client(client, world):
    url = _issue(client, world["supplier_member"])
    response = Client().get(url)  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    events = agreed(response.content)
    by_uid = {event.uid: event for event in events}
    assert {event.method for event in events} == {"PUBLISH"}
    assert by_uid[event_uid("meeting", world["confirmed"].pk)].status == "CONFIRMED"
    assert by_uid[event_uid("meeting", world["cancelled"].pk)].status == "CANCELLED"
    assert event_uid("meeting", world["other"].pk) not in by_uid
    (tour,) = [event for uid, event in by_uid.items() if uid.startswith("tour-registration-")]
    assert tour.status == "CONFIRMED"
    assert len(events) == 3


def test_each_meeting_in_the_feed_is_the_event_composed_for_that_reader(client, world):
    """The buyer stays "a manufacturer in Qom" to the supplier; its own member sees its name."""
    supplier_feed = Client().get(_issue(client, world["supplier_member"])).content.decode()
    assert [secret for secret in SECRETS if secret.lower() in supplier_feed.lower()] == []
    assert "ATTENDEE" not in supplier_feed  # a published copy names no one
    buyer_feed = Client().get(_issue(client, world["buyer_member"])).content
    confirmed = Meeting.objects.get(pk=world["confirmed"].pk)
    expected = meeting_event(confirmed, viewer=world["buyer_member"])
    (vevent,) = [e for e in Calendar.from_ical(buyer_feed).walk("VEVENT") if str(e["uid"]) == expected.uid]
    # as the reader reads it: numbers in Persian digits, links as they are (core.digits)
    assert str(vevent["description"]) == persian_digits_in_text(expected.description)
    assert "رازدار" in expected.description or "Secretive" in expected.description
    assert int(vevent["sequence"]) == expected.sequence


def test_a_new_address_ends_the_old_one_and_turning_it_off_ends_both(client, world):
    user = world["supplier_member"]
    first = _issue(client, user)
    second = _issue(client, user)
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post(reverse("matchmaking:calendar-feed-revoke"))
    assert Client().get(second).status_code == 404
    assert not CalendarFeedToken.objects.filter(user=user).exists()
    assert reverse("matchmaking:calendar-feed-revoke") not in client.get(reverse("matchmaking:account")).content.decode()


def test_an_unknown_address_or_a_deactivated_users_is_a_404(client, world):
    user = world["supplier_member"]
    url = _issue(client, user)
    assert Client().get(url.replace(".ics", "x.ics")).status_code == 404
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Client().get(url).status_code == 404


def test_someone_who_left_the_company_no_longer_reads_its_calendar(client, world):
    user = world["supplier_member"]
    url = _issue(client, user)
    CompanyMember.objects.filter(user=user).delete()
    views = read_everywhere(Client().get(url).content)
    assert all(events == [] for events in views.values())


def test_the_address_is_made_and_dropped_only_by_a_post_from_the_signed_in_user(client, world):
    assert client.post(reverse("matchmaking:calendar-feed-issue")).status_code == 302  # to the login page
    assert not CalendarFeedToken.objects.exists()
    client.force_login(world["supplier_member"])
    assert client.get(reverse("matchmaking:calendar-feed-issue")).status_code == 405


def test_the_address_is_long_and_random():
    tokens = {calendar_feed_issue(user=UserFactory()).token for _ in range(5)}
    assert len(tokens) == 5 and all(len(token) >= 43 for token in tokens)


def test_a_cancelled_tour_registration_stays_in_the_feed_as_cancelled(world):
    registration = world["registration"]
    registration_cancel(registration=registration)
    (tour,) = [e for e in agreed(user_calendar(world["supplier_member"]).content)
               if e.uid.startswith("tour-registration-")]
    assert tour.status == "CANCELLED"


def test_the_feed_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    supplier = world["supplier_member"]
    company = world["registration"].company
    for days in (6, 7, 8):
        interest = declaration(supplier=company, need=displayed_need(is_anonymous=True))
        meeting_propose(interest=interest, by=member(interest.need.buyer, f"buyer-{days}"), mode="video",
                        starts_at=slot(days=days))
        tour_register(tour=TourFactory(), company=company, attendees=1)
    with django_assert_max_num_queries(6):
        content = user_calendar(supplier).content
    assert len(agreed(content)) == 3 + 3 + 3


def test_a_user_without_a_company_gets_an_empty_calendar():
    assert all(events == [] for events in read_everywhere(user_calendar(UserFactory()).content).values())


def test_the_feed_is_in_the_language_its_owner_reads_mail_in(client, world):
    """The secret address carries no language prefix: a calendar app asks with none, so the
    feed follows the owner's stored preference (accounts.selectors.language_of)."""
    from accounts.services import language_set

    url = _issue(client, world["supplier_member"])
    persian = Calendar.from_ical(Client().get(url).content)
    language_set(user=world["supplier_member"], language="en")
    english = Calendar.from_ical(Client().get(url).content)
    meeting_uid = event_uid("meeting", world["confirmed"].pk)
    summary = {
        lang: next(str(e["summary"]) for e in cal.walk("VEVENT") if str(e["uid"]) == meeting_uid)
        for lang, cal in (("fa", persian), ("en", english))
    }
    assert summary["fa"] != summary["en"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in summary["fa"])
    assert not any("\u0600" <= ch <= "\u06ff" for ch in summary["en"]) or "Meeting" in summary["en"]
