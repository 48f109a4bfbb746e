"""Racing registrations on real PostgreSQL: separate connections, one tour of 10 seats."""

import pytest
from django.db import connection

from tests.factories import SupplierFactory, TourFactory
from tests.race import run_concurrently
from tours.models import TourRegistration
from tours.services import registration_cancel, tour_register

RACERS = 60


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixty_simultaneous_registrations_for_ten_seats_confirm_exactly_ten():
    tour = TourFactory(capacity=10)
    companies = [SupplierFactory() for _ in range(RACERS)]
    backends = set()

    def race(company):
        with connection.cursor() as cursor:  # a connection of this thread's own
            cursor.execute("SELECT pg_backend_pid()")
            backends.add(cursor.fetchone()[0])
        tour_register(tour=tour, company=company, attendees=1)

    outcomes = run_concurrently(*[(lambda c=c: race(c)) for c in companies])
    errors = [repr(o.error) for o in outcomes if not o.ok]  # any error is a failure of the test

    assert errors == []
    assert len(backends) == RACERS  # every registration came over its own connection
    statuses = list(TourRegistration.objects.filter(tour=tour).values_list("status", flat=True))
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == RACERS - 10
    # The waiting list keeps the order in which the lock was won.
    waiting = list(TourRegistration.objects.filter(tour=tour, status="waitlisted").order_by("created_at", "id"))
    assert [w.created_at for w in waiting] == sorted(w.created_at for w in waiting)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cancellations_racing_registrations_never_overbook():
    tour = TourFactory(capacity=10)
    holders = [tour_register(tour=tour, company=SupplierFactory(), attendees=2) for _ in range(5)]
    newcomers = [SupplierFactory() for _ in range(30)]

    outcomes = run_concurrently(
        *[(lambda r=r: registration_cancel(registration=r)) for r in holders],
        *[(lambda c=c: tour_register(tour=tour, company=c, attendees=1 + c.pk % 3)) for c in newcomers],
    )
    errors = [repr(o.error) for o in outcomes if not o.ok]
    assert errors == []
    confirmed = sum(
        TourRegistration.objects.filter(tour=tour, status="confirmed").values_list("attendees", flat=True)
    )
    assert 8 <= confirmed <= 10  # full (up to groups that do not fit) and never over
