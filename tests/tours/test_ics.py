"""A registration's calendar file says where the company stands: confirmed seats, a place on
the waiting list (tentative), or a cancellation."""

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from companies.selectors import company_for_user
from tests.factories import SupplierFactory, TourFactory
from tours.ics import tour_registration_calendar
from tours.services import registration_cancel, tour_cancel, tour_register

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
