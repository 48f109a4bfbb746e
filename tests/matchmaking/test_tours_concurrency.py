"""Racing registrations on real PostgreSQL: separate connections, one tour of 10 seats."""

import threading

import pytest
from django.db import connection, connections

from tests.factories import SupplierFactory, TourFactory
from tours.models import TourRegistration
from tours.services import registration_cancel, tour_register

RACERS = 60


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixty_simultaneous_registrations_for_ten_seats_confirm_exactly_ten():
    tour = TourFactory(capacity=10)
    companies = [SupplierFactory() for _ in range(RACERS)]
    start = threading.Barrier(RACERS)
    errors, backends = [], set()

    def race(company):
        try:
            with connection.cursor() as cursor:  # a connection of this thread's own
                cursor.execute("SELECT pg_backend_pid()")
                backends.add(cursor.fetchone()[0])
            start.wait(timeout=30)
            tour_register(tour=tour, company=company, attendees=1)
        except Exception as exc:  # any error is a failure of the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(c,)) for c in companies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

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
    start = threading.Barrier(len(holders) + len(newcomers))
    errors = []

    def cancel(reg):
        try:
            start.wait(timeout=30)
            registration_cancel(registration=reg)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def join(company):
        try:
            start.wait(timeout=30)
            tour_register(tour=tour, company=company, attendees=1 + company.pk % 3)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in holders]
    threads += [threading.Thread(target=join, args=(c,)) for c in newcomers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    confirmed = sum(
        TourRegistration.objects.filter(tour=tour, status="confirmed").values_list("attendees", flat=True)
    )
    assert 8 <= confirmed <= 10  # full (up to groups that do not fit) and never over
