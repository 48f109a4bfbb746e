"""The staff admin of tours and registrations keeps the site's rules: it schedules and changes
tours through the tour services (opening hours, the hall's capacity, the waiting list) and
never lets staff type a status."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import (
    ExhibitionFactory,
    SupplierFactory,
    TourFactory,
    next_week_at,
    province,
)
from tours.models import Tour
from tours.services import tour_register

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


@pytest.fixture
def hall(db):
    """Qom's exhibition: 74 visitors at a time, open 08:00 to 16:00."""
    return ExhibitionFactory(
        province=province("qom"), visitor_capacity=74, opens_at=datetime.time(8), closes_at=datetime.time(16)
    )


def admin_url(name, *args):
    with translation.override("en"):
        return reverse(f"admin:tours_{name}", args=args)


def _split(moment: datetime.datetime) -> tuple[str, str]:
    local = timezone.localtime(moment)
    return local.date().isoformat(), local.strftime("%H:%M")


def tour_form(hall, organiser, *, start_hour=10, hours=2, capacity=74, **overrides) -> dict:
    """What staff type into the tour's add or change page (with its empty registrations inline)."""
    starts = next_week_at(start_hour)
    data = {
        "exhibition": hall.pk, "organiser": organiser.pk, "organiser_name": "", "title": "تور بازدید",
        "capacity": capacity, "meeting_point": "ورودی اصلی", "language": "fa",
        "status": "scheduled",  # ignored: read-only (the old admin required it)
        "registrations-TOTAL_FORMS": 0, "registrations-INITIAL_FORMS": 0,
        "registrations-MIN_NUM_FORMS": 0, "registrations-MAX_NUM_FORMS": 1000,
    }
    for name, moment in [
        ("starts_at", starts), ("ends_at", starts + datetime.timedelta(hours=hours)),
        ("registration_deadline", starts - datetime.timedelta(days=1)),
    ]:
        data[f"{name}_0"], data[f"{name}_1"] = _split(moment)
    return {**data, **overrides}


def form_errors(response) -> str:
    assert response.status_code == 200, response.status_code  # the form again, not a redirect or a 500
    form = response.context["adminform"].form
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def test_a_second_full_tour_at_the_same_hour_is_refused_on_the_add_form(staff_client, qom_staff, hall):
    first = staff_client.post(admin_url("tour_add"), tour_form(hall, qom_staff))
    assert first.status_code == 302
    with translation.override("en"):
        second = staff_client.post(admin_url("tour_add"), tour_form(hall, qom_staff, title="تور دوم"))
    assert "the hall holds 74 visitors and only 0 seats are free" in form_errors(second)
    assert Tour.objects.count() == 1


def test_a_tour_after_closing_time_is_refused_on_the_add_form(staff_client, qom_staff, hall):
    with translation.override("en"):
        response = staff_client.post(admin_url("tour_add"), tour_form(hall, qom_staff, start_hour=22, hours=1))
    assert "within the exhibition's opening hours, 08:00 to 16:00" in form_errors(response)
    assert not Tour.objects.exists()


def test_a_tour_added_in_the_admin_is_scheduled_with_its_sectors(staff_client, qom_staff, hall):
    from tests.factories import sector

    data = tour_form(hall, qom_staff, capacity=30, sectors=[sector("metal").pk])
    assert staff_client.post(admin_url("tour_add"), data).status_code == 302
    tour = Tour.objects.get()
    assert (tour.status, tour.capacity, tour.organiser) == ("scheduled", 30, qom_staff)
    assert list(tour.sectors.values_list("slug", flat=True)) == ["metal"]


def test_moving_a_tour_to_the_evening_in_the_admin_is_refused(staff_client, qom_staff, hall):
    tour = TourFactory(exhibition=hall, organiser=qom_staff, capacity=20)
    with translation.override("en"):
        response = staff_client.post(
            admin_url("tour_change", tour.pk), tour_form(hall, qom_staff, start_hour=22, hours=1, capacity=20)
        )
    assert "opening hours" in form_errors(response)
    tour.refresh_from_db()
    assert timezone.localtime(tour.starts_at).hour == 10


def test_raising_seats_past_the_hall_in_the_admin_is_refused(staff_client, qom_staff, hall):
    TourFactory(exhibition=hall, capacity=50)
    tour = TourFactory(exhibition=hall, organiser=qom_staff, capacity=20)
    with translation.override("en"):
        response = staff_client.post(admin_url("tour_change", tour.pk), tour_form(hall, qom_staff, capacity=30))
    assert "only 24 seats are free" in form_errors(response)
    tour.refresh_from_db()
    assert tour.capacity == 20


def test_a_tour_keeps_its_own_seats_when_edited_in_a_full_hall(staff_client, qom_staff, hall):
    tour = TourFactory(exhibition=hall, organiser=qom_staff, capacity=74)
    response = staff_client.post(admin_url("tour_change", tour.pk), tour_form(hall, qom_staff, title="تور نو"))
    assert response.status_code == 302
    tour.refresh_from_db()
    assert tour.title == "تور نو"


def test_status_cannot_be_changed_in_the_tour_form(staff_client, qom_staff, hall):
    tour = TourFactory(exhibition=hall, organiser=qom_staff, capacity=20)
    data = tour_form(hall, qom_staff, capacity=20, status="cancelled", cancelled_at_0="", cancelled_at_1="")
    staff_client.post(admin_url("tour_change", tour.pk), data)
    tour.refresh_from_db()
    assert (tour.status, tour.cancelled_at) == ("scheduled", None)
    page = staff_client.get(admin_url("tour_change", tour.pk)).content.decode()
    assert 'name="status"' not in page


def _started_tour(hall) -> Tour:
    """A tour that began five minutes ago (set past the model's own checks)."""
    started = TourFactory(exhibition=hall)
    Tour.objects.filter(pk=started.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        registration_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    return started


def test_cancel_tour_action_cancels_through_the_service(staff_client, hall):
    tour = TourFactory(exhibition=hall)
    started = _started_tour(hall)
    staff_client.post(
        admin_url("tour_changelist"), {"action": "cancel_tours", ACTION_CHECKBOX_NAME: [tour.pk, started.pk]}
    )
    tour.refresh_from_db()
    started.refresh_from_db()
    assert tour.status == "cancelled" and tour.cancelled_at is not None
    assert started.status == "scheduled"  # a tour that has started cannot be cancelled


def test_mark_held_action_closes_only_tours_that_started(staff_client, hall):
    upcoming = TourFactory(exhibition=hall)
    started = _started_tour(hall)
    staff_client.post(
        admin_url("tour_changelist"), {"action": "mark_tours_held", ACTION_CHECKBOX_NAME: [upcoming.pk, started.pk]}
    )
    assert Tour.objects.get(pk=started.pk).status == "held"
    assert Tour.objects.get(pk=upcoming.pk).status == "scheduled"


# --- registrations ------------------------------------------------------------------------
@pytest.fixture
def full_tour(hall):
    """Two seats: one group of two confirmed, one of one waiting."""
    tour = TourFactory(exhibition=hall, capacity=2)
    confirmed = tour_register(tour=tour, company=SupplierFactory(), attendees=2)
    waiting = tour_register(tour=tour, company=SupplierFactory(), attendees=1)
    assert (confirmed.status, waiting.status) == (CONFIRMED, WAITLISTED)
    return tour, confirmed, waiting


def test_cancelling_a_registration_in_the_admin_promotes_the_waiting_list(staff_client, full_tour):
    tour, confirmed, waiting = full_tour
    response = staff_client.post(
        admin_url("tourregistration_changelist"),
        {"action": "cancel_registrations", ACTION_CHECKBOX_NAME: [confirmed.pk]},
    )
    assert response.status_code == 302
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert (confirmed.status, waiting.status) == (CANCELLED, CONFIRMED)


def test_registration_status_and_seats_cannot_be_typed_in_the_admin(staff_client, full_tour):
    tour, confirmed, waiting = full_tour
    staff_client.post(
        admin_url("tourregistration_change", confirmed.pk),
        {"tour": tour.pk, "company": confirmed.company_id, "attendees": 1, "status": CANCELLED},
    )
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.attendees) == (CONFIRMED, 2)
    page = staff_client.get(admin_url("tourregistration_change", confirmed.pk))
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    assert staff_client.get(admin_url("tourregistration_add")).status_code == 403


def test_the_tour_inline_cannot_change_a_registration(staff_client, qom_staff, full_tour):
    tour, confirmed, waiting = full_tour
    Tour.objects.filter(pk=tour.pk).update(organiser=qom_staff)
    data = tour_form(tour.exhibition, qom_staff, capacity=2)
    data.update({
        "registrations-TOTAL_FORMS": 2, "registrations-INITIAL_FORMS": 2,
        "registrations-0-id": confirmed.pk, "registrations-0-tour": tour.pk, "registrations-0-status": CANCELLED,
        "registrations-0-company": confirmed.company_id, "registrations-0-attendees": 1,
        "registrations-1-id": waiting.pk, "registrations-1-tour": tour.pk, "registrations-1-status": WAITLISTED,
        "registrations-1-company": waiting.company_id, "registrations-1-attendees": 1,
    })
    staff_client.post(admin_url("tour_change", tour.pk), data)
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert (confirmed.status, confirmed.attendees, waiting.status) == (CONFIRMED, 2, WAITLISTED)
