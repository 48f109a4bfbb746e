"""The tour services check who calls them, so no page, action or command can cancel,
close or check in a tour for someone who does not manage it (tours.policies)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories import (
    ExhibitionFactory,
    SupplierFactory,
    TourFactory,
    UserFactory,
    member,
    province,
)
from tours.models import Tour, TourRegistration
from tours.services import (
    attendance_mark,
    registration_cancel,
    tour_cancel,
    tour_mark_held,
    tour_register,
)


@pytest.fixture
def tehran_tour(db):
    return TourFactory(exhibition=ExhibitionFactory(province=province("tehran")))


def test_staff_of_another_province_cannot_cancel_a_tour(tehran_tour, qom_staff):
    with pytest.raises(PermissionDenied):
        tour_cancel(tour=tehran_tour, by=qom_staff, reason="x")
    assert Tour.objects.get(pk=tehran_tour.pk).status == Tour.Status.SCHEDULED


def test_staff_of_the_tours_province_cancel_it(tehran_tour, tehran_staff):
    tour_cancel(tour=tehran_tour, by=tehran_staff, reason="x")
    assert Tour.objects.get(pk=tehran_tour.pk).status == Tour.Status.CANCELLED


def test_an_organiser_cannot_close_another_organisers_tour(tehran_tour, organiser_user):
    tehran_tour.starts_at = timezone.now() - datetime.timedelta(hours=1)
    tehran_tour.registration_deadline = tehran_tour.starts_at - datetime.timedelta(days=1)
    tehran_tour.save()
    with pytest.raises(PermissionDenied):
        tour_mark_held(tour=tehran_tour, by=organiser_user)
    assert Tour.objects.get(pk=tehran_tour.pk).status == Tour.Status.SCHEDULED


def test_only_the_company_or_the_tours_manager_cancels_a_registration(tehran_tour, tehran_staff):
    company = SupplierFactory()
    registration = tour_register(tour=tehran_tour, company=company, attendees=2)
    stranger = member(SupplierFactory(), "someone-else")
    with pytest.raises(PermissionDenied):
        registration_cancel(registration=registration, by=stranger)
    assert TourRegistration.objects.get(pk=registration.pk).status == TourRegistration.Status.CONFIRMED
    registration_cancel(registration=registration, by=member(company, "their-own"))
    assert TourRegistration.objects.get(pk=registration.pk).status == TourRegistration.Status.CANCELLED


def test_a_visitor_is_checked_in_only_by_whoever_manages_the_tour(tehran_tour):
    registration = tour_register(tour=tehran_tour, company=SupplierFactory(), attendees=2)
    with pytest.raises(PermissionDenied):
        attendance_mark(registration=registration, attended=2, by=UserFactory())
    assert TourRegistration.objects.get(pk=registration.pk).attended is None
