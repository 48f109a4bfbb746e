import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from icalendar import Calendar

from exhibitions.models import StaffProvince
from matchmaking.models import Interest, Meeting, MeetingSlotBooking
from matchmaking.services import (
    meeting_cancel,
    meeting_counter,
    meeting_expire_proposals,
    meeting_propose,
    meeting_respond,
)
from needs.models import NeedStatus
from tests.factories import (
    ExhibitionFactory,
    MeetingRoomFactory,
    SupplierFactory,
    UserFactory,
    declaration,
    member,
    parties,
    province,
    slot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]



@pytest.fixture
def talks():
    interest = declaration()
    buyer, supplier = parties(interest)
    return interest, buyer, supplier


def test_a_video_proposal_books_both_companies_and_gets_a_generated_link(talks, settings):
    settings.VIDEO_MEETING_URL_TEMPLATE = "https://video.example/{room}"
    interest, buyer, _ = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(), slots=2)
    assert meeting.video_url.startswith("https://video.example/isipo-")
    assert meeting.proposer_side == "buyer" and meeting.status == "proposed"
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=60)
    assert list(MeetingSlotBooking.objects.filter(meeting=meeting).values_list("starts_at", "ends_at").distinct()) == [
        (meeting.starts_at, meeting.ends_at)
    ]  # one row per company, holding the whole hour


def test_an_in_person_meeting_books_the_room_of_the_needs_province(talks):
    interest, buyer, _ = talks
    room = MeetingRoomFactory(exhibition=interest.need.exhibition)
    meeting = meeting_propose(interest=interest, by=buyer, mode="in_person", starts_at=slot(), room=room)
    assert MeetingSlotBooking.objects.filter(meeting=meeting, room=room).count() == 1
    far_room = MeetingRoomFactory(exhibition=ExhibitionFactory(province=province("tehran")))
    with pytest.raises(ValidationError, match="province"):
        meeting_propose(interest=interest, by=buyer, mode="in_person", starts_at=slot(hour=11), room=far_room)


@pytest.mark.parametrize("when", [
    lambda: slot(minute=10),                     # off the 30-minute grid
    lambda: slot(hour=7),                        # before opening
    lambda: slot(hour=16),                       # at closing
    lambda: timezone.now() - datetime.timedelta(days=1),
])
def test_times_off_the_grid_or_in_the_past_are_refused(talks, when):
    interest, buyer, _ = talks
    with pytest.raises(ValidationError):
        meeting_propose(interest=interest, by=buyer, mode="video", starts_at=when())
    assert not Meeting.objects.exists()


def test_fridays_are_refused(talks):
    interest, buyer, _ = talks
    day = datetime.date.today() + datetime.timedelta(days=2)
    while day.weekday() != 4:
        day += datetime.timedelta(days=1)
    friday = datetime.datetime.combine(day, datetime.time(10), timezone.get_current_timezone())
    with pytest.raises(ValidationError, match="Friday"):
        meeting_propose(interest=interest, by=buyer, mode="video", starts_at=friday)


def test_only_shortlisted_declarations_get_meetings():
    interest = declaration(status=Interest.Status.DECLARED)
    buyer, _ = parties(interest)
    with pytest.raises(ValidationError, match="shortlisted"):
        meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())


def test_a_company_cannot_be_in_two_meetings_in_one_slot(talks):
    interest, buyer, _ = talks
    meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    # The same supplier, on another buyer's need, at an overlapping time.
    other = declaration(supplier=interest.supplier)
    other_buyer, _ = parties(other)
    with pytest.raises(ValidationError, match="supplier .* already has a meeting"):
        meeting_propose(interest=other, by=other_buyer, mode="video", starts_at=slot(), slots=1)
    with pytest.raises(ValidationError):
        meeting_propose(interest=other, by=other_buyer, mode="video", starts_at=slot(hour=9, minute=30), slots=2)
    assert Meeting.objects.count() == 1


def test_a_room_cannot_be_booked_twice(talks):
    interest, buyer, _ = talks
    room = MeetingRoomFactory(exhibition=interest.need.exhibition)
    meeting_propose(interest=interest, by=buyer, mode="in_person", starts_at=slot(), room=room)
    other = declaration()  # another buyer and supplier in Qom, free at that time
    other_buyer, _ = parties(other)
    with pytest.raises(ValidationError, match="room"):
        meeting_propose(interest=other, by=other_buyer, mode="in_person", starts_at=slot(), room=room)
    assert Meeting.objects.count() == 1


def test_accepting_confirms_moves_the_need_to_in_talks_and_mails_an_ics(talks, django_capture_on_commit_callbacks):
    interest, buyer, supplier = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    with pytest.raises(PermissionDenied):
        meeting_respond(meeting=meeting, by=buyer, accept=True)  # the proposer does not answer its own proposal
    with django_capture_on_commit_callbacks(execute=True):
        meeting_respond(meeting=meeting, by=supplier, accept=True)
    meeting.refresh_from_db()
    assert meeting.status == "confirmed"
    interest.need.refresh_from_db()
    assert interest.need.status == NeedStatus.IN_TALKS
    # One confirmation per person, each with its own calendar file.
    assert sorted(m.to for m in mail.outbox) == sorted([[buyer.email], [supplier.email]])
    assert all(m.attachments[0][0] == "meeting.ics" for m in mail.outbox)


def test_declining_frees_the_slot(talks):
    interest, buyer, supplier = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    meeting_respond(meeting=meeting, by=supplier, accept=False, note="این ساعت نمی‌توانیم")
    assert not MeetingSlotBooking.objects.exists()
    again = meeting_propose(interest=interest, by=supplier, mode="video", starts_at=slot())
    assert again.status == "proposed" and again.proposer_side == "supplier"


def test_a_counter_proposal_replaces_the_proposal_or_leaves_it_standing(talks):
    interest, buyer, supplier = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    blocker = declaration(supplier=interest.supplier)
    blocker_buyer, _ = parties(blocker)
    meeting_propose(interest=blocker, by=blocker_buyer, mode="video", starts_at=slot(hour=12))
    with pytest.raises(ValidationError):
        meeting_counter(meeting=meeting, by=supplier, starts_at=slot(hour=12), mode="video")
    meeting.refresh_from_db()
    assert meeting.status == "proposed"  # the failed counter-proposal rolled back whole
    new = meeting_counter(meeting=meeting, by=supplier, starts_at=slot(hour=13), mode="video")
    meeting.refresh_from_db()
    assert meeting.status == "declined" and new.replaces == meeting and new.proposer_side == "supplier"


def test_an_expired_proposal_frees_its_slot_when_the_slot_is_asked_for(talks):
    interest, buyer, supplier = talks
    stale = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    Meeting.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    other = declaration(supplier=interest.supplier)
    other_buyer, _ = parties(other)
    fresh = meeting_propose(interest=other, by=other_buyer, mode="video", starts_at=slot())
    stale.refresh_from_db()
    assert stale.status == "expired" and fresh.status == "proposed"
    with pytest.raises(ValidationError, match="no longer|answered|lapsed"):
        meeting_respond(meeting=stale, by=supplier, accept=True)


def test_answering_after_the_deadline_expires_the_proposal(talks):
    interest, buyer, supplier = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    Meeting.objects.filter(pk=meeting.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        meeting_respond(meeting=meeting, by=supplier, accept=True)
    meeting.refresh_from_db()
    assert meeting.status == "expired" and not meeting.bookings.exists()


def test_the_expiry_command_frees_unanswered_proposals(talks):
    interest, buyer, _ = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    assert meeting_expire_proposals() == 0
    Meeting.objects.filter(pk=meeting.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("expire_meeting_proposals")
    meeting.refresh_from_db()
    assert meeting.status == "expired" and not MeetingSlotBooking.objects.exists()


def test_cancelling_frees_the_slot_and_tells_both_sides(talks, django_capture_on_commit_callbacks):
    interest, buyer, supplier = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    meeting_respond(meeting=meeting, by=supplier, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, by=supplier, reason="بیماری")
    assert not MeetingSlotBooking.objects.exists()
    assert sorted(m.to for m in mail.outbox) == sorted([[buyer.email], [supplier.email]])


def test_the_reminder_is_claimed_once(talks):
    interest, buyer, supplier = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(days=3))
    meeting_respond(meeting=meeting, by=supplier, accept=True)
    assert not Meeting.objects.claim_reminder(meeting.pk, timezone.now())  # three days ahead: not due
    later = meeting.starts_at - datetime.timedelta(hours=20)
    assert Meeting.objects.claim_reminder(meeting.pk, later)
    assert not Meeting.objects.claim_reminder(meeting.pk, later)


def test_the_ics_carries_tehran_time_the_portal_as_organiser_and_the_link(client, talks, settings):
    interest, buyer, supplier = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(hour=10))
    meeting_respond(meeting=meeting, by=supplier, accept=True)
    client.force_login(supplier)
    response = client.get(f"/account/meetings/{meeting.pk}/meeting.ics")
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "DTSTART;TZID=Asia/Tehran:" in text and "BEGIN:VTIMEZONE" in text and "TZID:Asia/Tehran" in text
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["dtstart"].dt == meeting.starts_at
    assert str(event["organizer"]) == f"mailto:{settings.DEFAULT_FROM_EMAIL}"
    assert "attendee" not in event  # a download is a published copy (RFC 5546), addressed to no one
    assert str(Calendar.from_ical(response.content)["method"]) == "PUBLISH"
    assert meeting.video_url in text and event["status"] == "CONFIRMED"


def test_nobody_outside_a_meeting_sees_its_video_link(client, talks):
    interest, buyer, supplier = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    client.force_login(supplier)
    assert meeting.video_url in client.get(f"/account/meetings/{meeting.pk}/").content.decode()

    client.force_login(member(SupplierFactory(), "outsider"))
    assert client.get(f"/account/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/account/meetings/{meeting.pk}/meeting.ics").status_code == 404

    staff = UserFactory(username="qom-staff", is_staff=True)
    StaffProvince.objects.create(user=staff, province=province("qom"))
    client.force_login(staff)
    page = client.get(f"/account/meetings/{meeting.pk}/")
    assert page.status_code == 200 and meeting.video_url not in page.content.decode()
    assert client.get(f"/account/meetings/{meeting.pk}/meeting.ics").status_code == 404

    client.logout()
    assert meeting.video_url not in client.get(f"/account/meetings/{meeting.pk}/").content.decode()


def test_the_site_flow_propose_and_accept_through_the_pages(client, talks):
    interest, buyer, supplier = talks
    day = slot().date()
    client.force_login(buyer)
    response = client.post(
        f"/account/declarations/{interest.pk}/meeting/",
        {"mode": "video", "day": day.isoformat(), "time": "10:30", "slots": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    client.force_login(supplier)
    client.post(f"/account/meetings/{meeting.pk}/respond/", {"action": "accept"})
    meeting.refresh_from_db()
    assert meeting.status == "confirmed"
    assert timezone.localtime(meeting.starts_at).time() == datetime.time(10, 30)


def test_the_clash_is_explained_in_persian(talks):
    interest, buyer, _ = talks
    meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    other = declaration(supplier=interest.supplier)
    other_buyer, _ = parties(other)
    with translation.override("fa"), pytest.raises(ValidationError) as error:
        meeting_propose(interest=other, by=other_buyer, mode="video", starts_at=slot())
    assert "در این زمان جلسه دیگری دارد" in error.value.messages[0]


def test_an_answer_typed_on_an_arabic_keyboard_is_stored_with_persian_letters(talks):
    interest, buyer, supplier = talks
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    meeting_respond(meeting=meeting, by=supplier, accept=False, note="  اين ساعت نمي‌توانيم كار كنيم ")
    meeting.refresh_from_db()
    assert meeting.response_note == "این ساعت نمی‌توانیم کار کنیم"
