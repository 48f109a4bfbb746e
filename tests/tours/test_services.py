"""Tour rules: seats, waiting list, promotion order, deadline, the hall's capacity."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import (
    ExhibitionFactory,
    SupplierFactory,
    TourFactory,
    UserFactory,
    next_week_at,
    province,
)
from tours.models import Tour, TourRegistration
from tours.services import (
    attendance_mark,
    registration_cancel,
    tour_cancel,
    tour_create,
    tour_register,
    tour_reminders_send,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"



def supplier(email=None):
    return SupplierFactory(email=email or "")


def register(tour, company, n=1, names=""):
    return tour_register(tour=tour, company=company, attendees=n, attendee_names=names)


def status(reg):
    reg.refresh_from_db()
    return reg.status


def test_registrations_are_confirmed_while_seats_remain_then_waitlisted():
    tour = TourFactory(capacity=5)
    first = register(tour, supplier(), 3)
    second = register(tour, supplier(), 2)
    third = register(tour, supplier(), 1)
    assert [first.status, second.status, third.status] == [CONFIRMED, CONFIRMED, WAITLISTED]


def test_a_group_that_does_not_fit_the_seats_left_waits():
    tour = TourFactory(capacity=5)
    register(tour, supplier(), 4)
    assert register(tour, supplier(), 2).status == WAITLISTED
    assert register(tour, supplier(), 1).status == CONFIRMED


def test_cancelling_promotes_the_first_waitlisted_registrations_that_fit_in_order():
    tour = TourFactory(capacity=4)
    big = register(tour, supplier(), 4)
    w1 = register(tour, supplier(), 3)
    w2 = register(tour, supplier(), 2)
    w3 = register(tour, supplier(), 1)
    assert [w1.status, w2.status, w3.status] == [WAITLISTED] * 3
    promoted = registration_cancel(registration=big)
    # 4 seats free: the first in the queue (3) fits, then the 2-group does not, the 1-group does.
    assert [r.pk for r in promoted] == [w1.pk, w3.pk]
    assert [status(w1), status(w2), status(w3)] == [CONFIRMED, WAITLISTED, CONFIRMED]


def test_promotion_follows_the_order_of_registration_not_of_size():
    tour = TourFactory(capacity=2)
    holder = register(tour, supplier(), 2)
    early = register(tour, supplier(), 1)
    late = register(tour, supplier(), 1)
    register(tour, holder.company, 1)  # shrink the confirmed group: one seat frees
    assert [status(early), status(late)] == [CONFIRMED, WAITLISTED]


def test_promoted_companies_are_emailed_with_a_calendar_file(django_capture_on_commit_callbacks):
    tour = TourFactory(capacity=1)
    holder = register(tour, supplier("a@example.com"), 1)
    waiting = register(tour, supplier("b@example.com"), 1)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=holder)
    to_waiting = [m for m in mail.outbox if m.to == ["b@example.com"]]
    assert status(waiting) == CONFIRMED
    assert len(to_waiting) == 1
    assert to_waiting[0].attachments and to_waiting[0].attachments[0][0] == "tour.ics"


def test_registration_closes_at_the_deadline():
    tour = TourFactory()
    Tour.objects.filter(pk=tour.pk).update(registration_deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="closed"):
        register(tour, supplier())
    assert not TourRegistration.objects.exists()


def test_one_registration_per_company_which_can_be_edited():
    tour = TourFactory(capacity=10)
    company = supplier()
    first = register(tour, company, 2, "علی رضایی")
    again = register(tour, company, 3, "علی رضایی\nمریم احمدی\nحسن کریمی")
    assert first.pk == again.pk
    assert TourRegistration.objects.filter(tour=tour).count() == 1
    assert again.attendees == 3


def test_growing_a_confirmed_registration_beyond_the_free_seats_keeps_it_unchanged():
    tour = TourFactory(capacity=5)
    company = supplier()
    register(tour, company, 2)
    register(tour, supplier(), 3)
    with pytest.raises(ValidationError, match="stays as it was"):
        register(tour, company, 3)
    reg = TourRegistration.objects.get(tour=tour, company=company)
    assert (reg.status, reg.attendees) == (CONFIRMED, 2)


def test_only_verified_suppliers_register():
    tour = TourFactory()
    with pytest.raises(ValidationError):
        register(tour, SupplierFactory(is_verified=False))
    with pytest.raises(ValidationError):
        from tests.factories import CompanyFactory

        register(tour, CompanyFactory())  # a buyer only


def test_reregistering_after_cancelling_joins_the_back_of_the_queue():
    tour = TourFactory(capacity=1)
    a = register(tour, supplier())
    b = register(tour, supplier())
    registration_cancel(registration=a)  # b promoted
    again = register(tour, a.company)
    c = register(tour, supplier())
    assert (status(b), again.status, c.status) == (CONFIRMED, WAITLISTED, WAITLISTED)
    registration_cancel(registration=b)
    assert (status(again), status(c)) == (CONFIRMED, WAITLISTED)


def test_the_database_refuses_confirmed_seats_beyond_capacity_even_without_the_service():
    tour = TourFactory(capacity=2)
    TourRegistration.objects.create(tour=tour, company=supplier(), attendees=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        TourRegistration.objects.create(tour=tour, company=supplier(), attendees=1)
    TourRegistration.objects.create(tour=tour, company=supplier(), attendees=1, status=WAITLISTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tour.objects.filter(pk=tour.pk).update(capacity=1)


# --- creating tours -------------------------------------------------------------------------
def create(organiser, exhibition, start, end, capacity, weeks=1):
    return tour_create(
        exhibition=exhibition, organiser=organiser, title="تور", starts_at=start, ends_at=end, capacity=capacity,
        meeting_point="ورودی", registration_deadline=start - datetime.timedelta(hours=24), weeks=weeks,
    )


def test_overlapping_tours_never_exceed_the_exhibitions_visitor_capacity(organiser_user):
    hall = ExhibitionFactory(visitor_capacity=30)
    create(organiser_user, hall, next_week_at(9), next_week_at(11), 20)
    with pytest.raises(ValidationError, match="only 10 seats are free"):
        create(organiser_user, hall, next_week_at(10), next_week_at(12), 11)
    create(organiser_user, hall, next_week_at(10), next_week_at(12), 10)
    # 11:00-13:00 overlaps only the 10-seat tour once the first has left at 11:00.
    create(organiser_user, hall, next_week_at(11), next_week_at(13), 20)
    assert Tour.objects.filter(exhibition=hall).count() == 3


def test_the_peak_counts_tours_starting_inside_the_new_one(organiser_user):
    hall = ExhibitionFactory(visitor_capacity=30)
    create(organiser_user, hall, next_week_at(11), next_week_at(13), 25)
    with pytest.raises(ValidationError):
        create(organiser_user, hall, next_week_at(9), next_week_at(12), 10)


def test_cancelled_tours_free_the_hall(organiser_user):
    hall = ExhibitionFactory(visitor_capacity=20)
    [first] = create(organiser_user, hall, next_week_at(9), next_week_at(11), 20)
    tour_cancel(tour=first)
    create(organiser_user, hall, next_week_at(9), next_week_at(11), 20)


def test_tours_stay_within_opening_hours_and_open_exhibitions(organiser_user):
    hall = ExhibitionFactory(opens_at=datetime.time(8), closes_at=datetime.time(16))
    with pytest.raises(ValidationError, match="opening hours"):
        create(organiser_user, hall, next_week_at(15), next_week_at(17), 10)
    equipping = ExhibitionFactory(status="equipping", opened_on=None)
    with pytest.raises(ValidationError, match="open exhibition"):
        create(organiser_user, equipping, next_week_at(9), next_week_at(11), 10)


def test_a_weekly_series_is_created_in_one_step_or_not_at_all(organiser_user):
    hall = ExhibitionFactory(visitor_capacity=30, province=province("qom"))
    tours = create(organiser_user, hall, next_week_at(10), next_week_at(12), 15, weeks=4)
    assert len(tours) == 4
    assert {t.series for t in tours} == {tours[0].series} and tours[0].series is not None
    local = [timezone.localtime(t.starts_at) for t in tours]
    assert [(b.date() - a.date()).days for a, b in zip(local, local[1:])] == [7, 7, 7]
    assert {lt.hour for lt in local} == {10}
    # The third week is already full: no tour of the new series is created.
    with pytest.raises(ValidationError):
        create(organiser_user, hall, next_week_at(10) + datetime.timedelta(weeks=2), next_week_at(12)
               + datetime.timedelta(weeks=2), 20)
    before = Tour.objects.count()
    with pytest.raises(ValidationError):
        create(organiser_user, hall, next_week_at(11) - datetime.timedelta(weeks=1), next_week_at(13)
               - datetime.timedelta(weeks=1), 20, weeks=4)
    assert Tour.objects.count() == before


def test_only_organisers_create_tours():
    with pytest.raises(ValidationError):
        create(UserFactory(), ExhibitionFactory(), next_week_at(9), next_week_at(11), 10)


# --- cancelling a tour, attendance, reminders -------------------------------------------------
def test_cancelling_a_tour_notifies_every_registered_company(django_capture_on_commit_callbacks):
    tour = TourFactory(capacity=1)
    register(tour, supplier("one@example.com"))
    register(tour, supplier("two@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        tour_cancel(tour=tour, reason="تعطیلی رسمی")
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.com", "two@example.com"]
    assert all("تعطیلی رسمی" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError):
        register(tour, supplier())


def test_attendance_is_marked_on_the_day_and_the_tour_counts_as_held():
    tour = TourFactory(capacity=5)
    reg = register(tour, supplier(), 3)
    with pytest.raises(ValidationError, match="day of the tour"):
        attendance_mark(registration=reg, attended=2)
    Tour.objects.filter(pk=tour.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5), ends_at=timezone.now() + datetime.timedelta(hours=1),
        registration_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError):
        attendance_mark(registration=reg, attended=4)
    attendance_mark(registration=reg, attended=2)
    reg.refresh_from_db()
    tour.refresh_from_db()
    assert (reg.attended, tour.status) == (2, Tour.Status.HELD)


def test_reminders_go_once_to_confirmed_registrations_of_tomorrows_tours(django_capture_on_commit_callbacks):
    soon = timezone.now() + datetime.timedelta(hours=20)
    tour = TourFactory(capacity=1, starts_at=soon, ends_at=soon + datetime.timedelta(hours=1),
                       registration_deadline=soon - datetime.timedelta(hours=1))
    register(tour, supplier("c@example.com"))
    register(tour, supplier("w@example.com"))  # waitlisted: no reminder
    TourFactory()  # next week: not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert tour_reminders_send() == 1
        assert tour_reminders_send() == 0
    assert [m.to for m in mail.outbox] == [["c@example.com"]]
