"""A registration's calendar file says where the company stands: confirmed seats, a place on
the waiting list (tentative), or a cancellation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from companies.selectors import company_for_user
from tests.calendar_clients import agreed
from tests.factories import SupplierFactory, TourFactory
from tours.ics import tour_registration_calendar
from tours.models import TourRegistration
from tours.services import registration_cancel, tour_cancel, tour_register, tour_update

pytestmark = pytest.mark.django_db


def _event(content: bytes):
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return event


@pytest.fixture
def full_tour():
    """A one-seat tour: the first company holds the seat, the second waits."""
    tour = TourFactory(capacity=1)
    holder = tour_register(tour=tour, company=SupplierFactory(), attendees=1)
    return tour, holder


def test_a_waitlisted_registrations_file_is_tentative_and_says_it_waits(full_tour):
    tour, _ = full_tour
    waiting = tour_register(tour=tour, company=SupplierFactory(), attendees=1)
    with translation.override("en"):
        event = _event(tour_registration_calendar(waiting).content)
    assert str(event["status"]) == "TENTATIVE"
    assert "waiting list" in str(event["description"])


def test_a_confirmed_registrations_file_is_confirmed(full_tour):
    _, holder = full_tour
    with translation.override("en"):
        event = _event(tour_registration_calendar(holder).content)
    assert str(event["status"]) == "CONFIRMED"
    assert "waiting list" not in str(event["description"])


def test_a_cancelled_registrations_file_is_cancelled(full_tour):
    _, holder = full_tour
    registration_cancel(registration=holder)
    holder.refresh_from_db()
    assert str(_event(tour_registration_calendar(holder).content)["status"]) == "CANCELLED"


def test_a_cancelled_tours_file_is_cancelled_for_every_registration(full_tour):
    tour, holder = full_tour
    waiting = tour_register(tour=tour, company=SupplierFactory(), attendees=1)
    tour_cancel(tour=tour, reason="holiday")
    for registration in (holder, waiting):
        registration.refresh_from_db()
        assert str(_event(tour_registration_calendar(registration).content)["status"]) == "CANCELLED"


def test_the_waitlisted_companys_download_is_tentative(client, supplier_user, full_tour):
    tour, _ = full_tour
    tour_register(tour=tour, company=company_for_user(supplier_user), attendees=1)
    client.force_login(supplier_user)
    response = client.get(reverse("tours:registration-ics", args=[tour.pk]))
    assert response.status_code == 200
    assert str(_event(response.content)["status"]) == "TENTATIVE"


def test_a_company_that_cancelled_downloads_a_file_that_cancels_the_event(client, supplier_user, full_tour):
    tour, holder = full_tour
    registration_cancel(registration=holder)
    mine = tour_register(tour=tour, company=company_for_user(supplier_user), attendees=1)
    registration_cancel(registration=mine)
    client.force_login(supplier_user)
    response = client.get(reverse("tours:registration-ics", args=[tour.pk]))
    assert response.status_code == 200
    assert str(_event(response.content)["status"]) == "CANCELLED"


# --- issue 12: every calendar client updates the entry -----------------------------------------
def test_one_attendee_is_one_attendee_not_one_attendees():
    registration = tour_register(tour=TourFactory(), company=SupplierFactory(), attendees=1)
    with translation.override("en"):
        description = str(_event(tour_registration_calendar(registration).content)["description"])
    assert "1 attendee " in description or "1 attendee." in description or "1 attendee (" in description
    assert "1 attendees" not in description


def test_a_cancelled_tours_file_never_calls_the_registration_confirmed(full_tour):
    tour, holder = full_tour
    tour_cancel(tour=tour, reason="holiday")
    holder.refresh_from_db()
    with translation.override("en"):
        event = _event(tour_registration_calendar(holder).content)
    assert str(event["status"]) == "CANCELLED"
    assert "Confirmed" not in str(event["description"])
    assert "cancelled this tour" in str(event["description"])


def test_the_sequence_grows_with_every_change_even_within_one_second(full_tour, national_staff, monkeypatch):
    """A change, a tour update and a cancellation in the same second each outrank the last."""
    tour, holder = full_tour
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)

    def sequence() -> int:
        registration = TourRegistration.objects.select_related("tour__exhibition", "company").get(pk=holder.pk)
        return agreed(tour_registration_calendar(registration).content)[0].sequence

    sequences = [sequence()]
    tour_register(tour=tour, company=holder.company, attendees=1, attendee_names="Sara Ahmadi")
    sequences.append(sequence())
    tour_update(tour=tour, by=national_staff, meeting_point="North gate")
    sequences.append(sequence())
    registration_cancel(registration=holder)
    sequences.append(sequence())
    assert sequences == sorted(set(sequences))


def test_a_tour_change_raises_the_sequence_of_each_registrations_file(full_tour, national_staff):
    tour, holder = full_tour
    before = agreed(tour_registration_calendar(holder).content)[0]
    tour_update(tour=tour, by=national_staff, starts_at=tour.starts_at + datetime.timedelta(hours=1),
                ends_at=tour.ends_at + datetime.timedelta(hours=1))
    holder.refresh_from_db()
    after = agreed(tour_registration_calendar(holder).content)[0]
    assert after.uid == before.uid
    assert after.sequence > before.sequence
    assert after.starts_at == before.starts_at + datetime.timedelta(hours=1)


def test_the_file_links_the_tour_page_and_rings_an_hour_before(full_tour):
    tour, holder = full_tour
    (seen,) = agreed(tour_registration_calendar(holder).content)
    assert seen.url.endswith(reverse("tours:detail", args=[tour.pk]))
    assert seen.alarms == 1


def test_the_download_is_published_and_still_served_once_cancelled(client, supplier_user):
    tour = TourFactory()
    mine = tour_register(tour=tour, company=company_for_user(supplier_user), attendees=2)
    client.force_login(supplier_user)
    url = reverse("tours:registration-ics", args=[tour.pk])
    response = client.get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    (booked,) = agreed(response.content)
    assert (booked.method, booked.status) == ("PUBLISH", "CONFIRMED")
    registration_cancel(registration=mine)
    response = client.get(url)
    assert response.status_code == 200
    (withdrawn,) = agreed(response.content)
    assert (withdrawn.method, withdrawn.status, withdrawn.uid) == ("PUBLISH", "CANCELLED", booked.uid)
    assert withdrawn.sequence > booked.sequence


def test_another_company_cannot_download_the_registration(client, full_tour):
    tour, _ = full_tour
    from tests.factories import member

    client.force_login(member(SupplierFactory(), "stranger"))
    assert client.get(reverse("tours:registration-ics", args=[tour.pk])).status_code == 404
