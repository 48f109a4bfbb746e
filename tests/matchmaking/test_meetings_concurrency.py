import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from matchmaking.models import Meeting, MeetingSlotBooking
from matchmaking.services import meeting_propose
from tests.factories import (
    MeetingRoomFactory,
    SupplierFactory,
    declaration,
    parties,
    slot,
)
from tests.race import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(jobs):
    """Run every job at once, each on its own connection; return what each got: "ok" or the
    refusal's message in English. Any other error fails the test."""

    def in_english(job):
        with translation.override("en"):
            return job()

    outcomes = run_concurrently(*[(lambda job=job: in_english(job)) for job in jobs])
    unexpected = [o.error for o in outcomes if not o.ok and not isinstance(o.error, ValidationError)]
    if unexpected:
        raise unexpected[0]
    return ["ok" if o.ok else " ".join(o.error.messages) for o in outcomes]


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
