import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from matchmaking.models import Meeting, MeetingSlotBooking
from matchmaking.services import meeting_propose
from tests.factories import MeetingRoomFactory, SupplierFactory
from tests.matchmaking.mm_helpers import declaration, parties, slot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(jobs):
    """Run every job at once, each on its own connection; return what each got."""
    barrier = threading.Barrier(len(jobs))
    results = []

    def run(job):
        try:
            barrier.wait()
            with translation.override("en"):
                job()
            results.append("ok")
        except ValidationError as error:
            results.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_many_buyers_proposing_the_same_supplier_and_slot_at_once_only_one_wins():
    """Eight buyers, each on its own connection, propose a meeting with one supplier in the
    same slot: the overlap guard on bookings lets exactly one commit; the others get a message."""
    assert connection.vendor == "postgresql"
    supplier = SupplierFactory()
    interests = [declaration(supplier=supplier) for _ in range(8)]
    buyers = [parties(interest)[0] for interest in interests]
    when = slot()

    results = _race([
        (lambda i=i, b=b: meeting_propose(interest=i, by=b, mode="video", starts_at=when))
        for i, b in zip(interests, buyers)
    ])

    assert results.count("ok") == 1
    assert all("already has a meeting at this time" in r for r in results if r != "ok")
    assert Meeting.objects.count() == 1
    assert MeetingSlotBooking.objects.filter(company=supplier, starts_at=when).count() == 1


def test_many_pairs_racing_for_one_room_only_one_gets_it():
    first = declaration()
    room = MeetingRoomFactory(exhibition=first.need.exhibition)
    interests = [first] + [declaration() for _ in range(5)]
    buyers = [parties(interest)[0] for interest in interests]
    when = slot(hour=11)

    results = _race([
        (lambda i=i, b=b: meeting_propose(interest=i, by=b, mode="in_person", starts_at=when, room=room))
        for i, b in zip(interests, buyers)
    ])

    assert results.count("ok") == 1
    assert all("room" in r for r in results if r != "ok")
    assert MeetingSlotBooking.objects.filter(room=room).count() == 1
