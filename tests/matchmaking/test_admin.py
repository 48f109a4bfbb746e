"""The admin shows meetings, their bookings, outcomes and declarations read-only to every
staff member, national superusers included: these records change only through the
matchmaking services (slot bookings, the need's lifecycle, notifications). Staff cancel a
meeting with an admin action that calls meeting_cancel."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from matchmaking.models import Interest, Meeting, MeetingSlotBooking, Outcome
from matchmaking.services import meeting_propose
from tests.factories import declaration, parties, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    interest = declaration()
    buyer, _ = parties(interest)
    return meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(hour=12))


def _url(model, view, *args):
    return reverse(f"admin:matchmaking_{model._meta.model_name}_{view}", args=args)


def test_a_national_superuser_cannot_move_a_meeting_in_the_admin(superuser_client, meeting):
    later = meeting.starts_at + datetime.timedelta(hours=2)
    page = superuser_client.get(_url(Meeting, "change", meeting.pk))

    response = superuser_client.post(_url(Meeting, "change", meeting.pk), {
        "starts_at_0": later.date().isoformat(), "starts_at_1": later.strftime("%H:%M:%S"),
        "ends_at_0": later.date().isoformat(), "ends_at_1": "23:59:00", "status": "confirmed",
    })

    assert page.status_code == 200 and 'name="starts_at_0"' not in page.content.decode()
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.starts_at == slot(hour=12) and meeting.status == "proposed"


@pytest.mark.parametrize("model", [Meeting, MeetingSlotBooking, Outcome, Interest])
def test_nobody_adds_or_deletes_matchmaking_records_in_the_admin(superuser_client, meeting, model):
    assert superuser_client.get(_url(model, "add")).status_code == 403
    record = {Meeting: meeting, MeetingSlotBooking: meeting.bookings.first(), Interest: meeting.interest}.get(model)
    if record is not None:
        assert superuser_client.get(_url(model, "delete", record.pk)).status_code == 403


def test_staff_cancel_a_meeting_with_the_admin_action_which_frees_its_time(superuser_client, meeting):
    with translation.override("en"):
        response = superuser_client.post(
            _url(Meeting, "changelist"), {"action": "cancel_meetings", "_selected_action": [meeting.pk]}
        )

    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and not meeting.bookings.exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 meeting cancelled."]
