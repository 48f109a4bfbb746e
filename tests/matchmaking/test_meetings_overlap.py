"""No company and no room is ever in two live meetings that overlap in time, whatever the
slot length or the exhibition's opening hour: the service explains the clash, and the
database refuses it on every other path."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from matchmaking.models import Meeting, MeetingSlotBooking
from matchmaking.services import meeting_cancel, meeting_propose
from tests.factories import (
    ExhibitionFactory,
    MeetingRoomFactory,
    ShelfFactory,
    declaration,
    displayed_need,
    parties,
    slot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]



def _need_at_exhibition_opening(opens_at: datetime.time):
    shelf = ShelfFactory(exhibition=ExhibitionFactory(opens_at=opens_at))
    return displayed_need(shelf=shelf)


def test_a_supplier_cannot_be_booked_across_exhibitions_that_open_out_of_step():
    first = declaration(need=_need_at_exhibition_opening(datetime.time(8, 0)))
    second = declaration(need=_need_at_exhibition_opening(datetime.time(8, 15)), supplier=first.supplier)
    first_buyer, _ = parties(first)
    second_buyer, _ = parties(second)
    meeting_propose(interest=first, by=first_buyer, mode="video", starts_at=slot(hour=12))

    with pytest.raises(ValidationError) as refused:
        meeting_propose(interest=second, by=second_buyer, mode="video", starts_at=slot(hour=12, minute=15))

    assert refused.value.messages
    assert Meeting.objects.filter(supplier=first.supplier).count() == 1


def test_a_new_slot_length_cannot_overlap_a_meeting_booked_on_the_old_grid(settings):
    first = declaration()
    second = declaration(supplier=first.supplier)
    first_buyer, _ = parties(first)
    second_buyer, _ = parties(second)
    meeting_propose(interest=first, by=first_buyer, mode="video", starts_at=slot(hour=12, minute=30))  # 12:30-13:00
    settings.MEETING_SLOT_MINUTES = 40

    with pytest.raises(ValidationError, match="already has a meeting at this time"):
        meeting_propose(interest=second, by=second_buyer, mode="video", starts_at=slot(hour=12))  # 12:00-12:40

    assert Meeting.objects.filter(supplier=first.supplier).count() == 1


def test_a_room_cannot_hold_two_overlapping_meetings_after_the_slot_length_changes(settings):
    first = declaration()
    room = MeetingRoomFactory(exhibition=first.need.exhibition)
    second = declaration(need=displayed_need(shelf=first.need.shelf))
    first_buyer, _ = parties(first)
    second_buyer, _ = parties(second)
    meeting_propose(interest=first, by=first_buyer, mode="in_person", room=room, starts_at=slot(hour=12, minute=30))
    settings.MEETING_SLOT_MINUTES = 40

    with pytest.raises(ValidationError, match="room .* is already booked"):
        meeting_propose(interest=second, by=second_buyer, mode="in_person", room=room, starts_at=slot(hour=12))  # 12:00-12:40


def test_a_cancelled_meeting_frees_its_time_for_an_overlapping_one(settings):
    first = declaration()
    second = declaration(supplier=first.supplier)
    first_buyer, _ = parties(first)
    second_buyer, _ = parties(second)
    meeting = meeting_propose(interest=first, by=first_buyer, mode="video", starts_at=slot(hour=12, minute=30))
    meeting_cancel(meeting=meeting, by=first_buyer)
    settings.MEETING_SLOT_MINUTES = 40

    again = meeting_propose(interest=second, by=second_buyer, mode="video", starts_at=slot(hour=12))  # 12:00-12:40

    assert again.status == "proposed"


def _overlapping_meeting_for(meeting: Meeting, *, status: str = "proposed") -> Meeting:
    other = declaration(supplier=meeting.supplier)
    starts = meeting.starts_at + datetime.timedelta(minutes=15)
    return Meeting(
        interest=other, buyer=other.need.buyer, supplier=meeting.supplier, mode="video",
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=30), status=status,
    )


def test_the_database_refuses_an_overlapping_meeting_written_without_the_service():
    interest = declaration()
    buyer, _ = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(hour=12))
    clash = _overlapping_meeting_for(meeting, status="confirmed")

    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()


def test_the_database_refuses_an_overlapping_booking_row_written_without_the_service():
    interest = declaration()
    buyer, _ = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(hour=12))
    quarter_past = meeting.starts_at + datetime.timedelta(minutes=15)

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSlotBooking.objects.create(
            meeting=meeting, company=meeting.supplier,
            starts_at=quarter_past, ends_at=quarter_past + datetime.timedelta(minutes=30),
        )


def test_the_database_refuses_moving_a_meeting_onto_another_without_the_service():
    interest = declaration()
    buyer, _ = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(hour=12))
    later = declaration(supplier=interest.supplier)
    later_buyer, _ = parties(later)
    moved = meeting_propose(interest=later, by=later_buyer, mode="video", starts_at=slot(hour=14))

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=moved.pk).update(
            starts_at=meeting.starts_at + datetime.timedelta(minutes=15),
            ends_at=meeting.ends_at + datetime.timedelta(minutes=15),
        )


def test_an_ended_live_meeting_does_not_block_a_declined_one_at_the_same_time():
    interest = declaration()
    buyer, _ = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(hour=12))

    _overlapping_meeting_for(meeting, status="declined").save()

    assert Meeting.objects.filter(supplier=meeting.supplier).count() == 2
