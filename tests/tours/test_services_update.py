"""Changing a scheduled tour: the same rules as scheduling it, and the seats people hold."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    ExhibitionFactory,
    SupplierFactory,
    TourFactory,
    next_week_at,
    province,
)
from tours.models import Tour
from tours.services import tour_register, tour_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CONFIRMED, WAITLISTED = "confirmed", "waitlisted"



@pytest.fixture
def hall(db):
    return ExhibitionFactory(
        province=province("qom"), visitor_capacity=74, opens_at=datetime.time(8), closes_at=datetime.time(16)
    )


def refused(**kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        tour_update(**kwargs)
    return " ".join(error.value.messages)


def test_seats_cannot_drop_below_the_seats_already_confirmed(hall, national_staff):
    tour = TourFactory(exhibition=hall, capacity=10)
    tour_register(tour=tour, company=SupplierFactory(), attendees=6)
    assert "6 seats are already confirmed" in refused(tour=tour, by=national_staff, capacity=5)
    tour.refresh_from_db()
    assert tour.capacity == 10
    assert tour_update(tour=tour, by=national_staff, capacity=6).capacity == 6


def test_more_seats_confirm_the_waiting_list_in_order(hall, national_staff):
    tour = TourFactory(exhibition=hall, capacity=2)
    tour_register(tour=tour, company=SupplierFactory(), attendees=2)
    first = tour_register(tour=tour, company=SupplierFactory(), attendees=2)
    second = tour_register(tour=tour, company=SupplierFactory(), attendees=2)
    assert (first.status, second.status) == (WAITLISTED, WAITLISTED)
    tour_update(tour=tour, by=national_staff, capacity=5)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (CONFIRMED, WAITLISTED)


def test_a_changed_time_must_fit_the_opening_hours(hall, national_staff):
    tour = TourFactory(exhibition=hall)
    message = refused(tour=tour, by=national_staff, starts_at=next_week_at(22), ends_at=next_week_at(23))
    assert "opening hours, 08:00 to 16:00" in message
    tour.refresh_from_db()
    assert timezone.localtime(tour.starts_at).hour == 10


def test_the_hall_counts_the_tour_once_when_it_moves(hall, national_staff):
    tour = TourFactory(exhibition=hall, capacity=74)
    moved = tour_update(tour=tour, by=national_staff, starts_at=next_week_at(11), ends_at=next_week_at(13))
    assert timezone.localtime(moved.starts_at).hour == 11
    TourFactory(exhibition=hall, capacity=10, starts_at=next_week_at(14), ends_at=next_week_at(15))
    message = refused(tour=tour, by=national_staff, starts_at=next_week_at(13), ends_at=next_week_at(15))
    assert "only 64 seats are free" in message


def test_a_deadline_cannot_be_moved_into_the_past_nor_past_the_start(hall, national_staff):
    tour = TourFactory(exhibition=hall)
    past = timezone.now() - datetime.timedelta(hours=1)
    assert "already passed" in refused(tour=tour, by=national_staff, registration_deadline=past)
    late = tour.starts_at + datetime.timedelta(minutes=5)
    assert "before the tour starts" in refused(tour=tour, by=national_staff, registration_deadline=late)


def test_a_tour_that_started_or_was_cancelled_keeps_its_schedule(hall, national_staff):
    tour = TourFactory(exhibition=hall)
    Tour.objects.filter(pk=tour.pk).update(status=Tour.Status.CANCELLED)
    assert "scheduled" in refused(tour=tour, by=national_staff, capacity=12)
    started = TourFactory(exhibition=hall)
    Tour.objects.filter(pk=started.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        registration_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    assert "already started" in refused(tour=started, by=national_staff, capacity=12)
    # Its title, meeting point and description can still be corrected.
    assert tour_update(tour=started, by=national_staff, title="تور اصلاح‌شده").title == "تور اصلاح‌شده"


def test_qom_staff_can_neither_change_a_tehran_tour_nor_move_a_tour_to_tehran(qom_staff):
    tehran = ExhibitionFactory(province=province("tehran"))
    assert "your provinces" in refused(tour=TourFactory(exhibition=tehran), by=qom_staff, title="x")
    ours = TourFactory(exhibition=ExhibitionFactory(province=province("qom")))
    assert "your provinces" in refused(tour=ours, by=qom_staff, exhibition=tehran)
    ours.refresh_from_db()
    assert ours.exhibition.province.slug == "qom"


def test_unknown_fields_are_not_changed_through_the_service(hall, national_staff):
    tour = TourFactory(exhibition=hall)
    with pytest.raises(TypeError):
        tour_update(tour=tour, by=national_staff, status=Tour.Status.HELD)


def test_registration_is_open_until_the_deadline_of_a_scheduled_tour():
    tour = TourFactory.build(starts_at=next_week_at(10), registration_deadline=next_week_at(9))
    assert tour.registration_open(now=next_week_at(8))
    assert not tour.registration_open(now=next_week_at(9))
    tour.status = Tour.Status.CANCELLED
    assert not tour.registration_open(now=next_week_at(8))


@pytest.mark.postgres
@pytest.mark.parametrize("first", ["resize", "schedule"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_resizing_a_tour_while_another_is_scheduled_never_overfills_the_hall(first):
    """Whichever of the two writes takes the hall first, the other waits for it to commit
    and then sees it: 30 seats grown to 60 and a new 20-seat tour cannot both fit 74."""
    import threading
    import time

    from django.db import transaction
    from django.db.models import Sum

    from tests.factories import UserFactory
    from tests.race import run_concurrently
    from tours.services import organiser_grant, tour_create

    hall = ExhibitionFactory(visitor_capacity=74)
    organiser = UserFactory(username="racing-organiser")
    organiser_grant(user=organiser)
    resized = TourFactory(exhibition=hall, capacity=30, organiser=organiser)
    holding = threading.Event()

    writes = {
        "resize": lambda: tour_update(tour=resized, by=organiser, capacity=60),
        "schedule": lambda: tour_create(
            exhibition=hall, organiser=organiser, title="تور", starts_at=next_week_at(10), ends_at=next_week_at(12),
            capacity=20, meeting_point="ورودی", registration_deadline=next_week_at(9),
        ),
    }

    def run(name, hold):
        try:
            if hold:
                with transaction.atomic():
                    writes[name]()
                    holding.set()
                    time.sleep(1.5)  # the other write starts now, while this one is uncommitted
            else:
                holding.wait(timeout=30)
                writes[name]()
        except ValidationError:
            pass  # refused: the hall is full at that hour

    second = "schedule" if first == "resize" else "resize"
    outcomes = run_concurrently(lambda: run(first, True), lambda: run(second, False), timeout=60)
    errors = [repr(o.error) for o in outcomes if not o.ok]
    assert errors == []
    assert Tour.objects.filter(exhibition=hall).aggregate(seats=Sum("capacity"))["seats"] <= 74
