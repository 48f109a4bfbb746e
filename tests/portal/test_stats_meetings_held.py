"""/stats/ counts a B2B meeting as held only once it has taken place: confirmed, and its
end passed. An accepted meeting set for next week is not held yet."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from matchmaking.services import meeting_cancel, meeting_propose, meeting_respond
from tests.factories import declaration, parties, slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_figures():
    cache.clear()
    yield
    cache.clear()


def _confirmed(**when):
    interest = declaration()
    buyer, supplier = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(**when))
    meeting_respond(meeting=meeting, by=supplier, accept=True)
    meeting.refresh_from_db()
    return meeting, buyer


def _held(client) -> int:
    cache.clear()
    return client.get("/api/stats/").json()["matchmaking"]["meetings"]


def test_an_accepted_meeting_next_week_is_not_yet_a_meeting_held(client):
    _confirmed(days=7)

    assert _held(client) == 0


def test_a_confirmed_meeting_counts_as_held_once_its_end_has_passed(client, monkeypatch):
    meeting, _ = _confirmed(days=3, hour=10)  # 10:00-10:30
    real_now = timezone.now

    monkeypatch.setattr(timezone, "now", lambda: meeting.starts_at + datetime.timedelta(minutes=15))
    during = _held(client)
    monkeypatch.setattr(timezone, "now", lambda: meeting.ends_at + datetime.timedelta(minutes=1))
    after = _held(client)
    monkeypatch.setattr(timezone, "now", real_now)

    assert (during, after) == (0, 1)


def test_proposed_and_cancelled_meetings_are_never_held(client, monkeypatch):
    interest = declaration()
    buyer, _ = parties(interest)
    proposed = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(days=3, hour=10))
    cancelled, its_buyer = _confirmed(days=3, hour=11)
    meeting_cancel(meeting=cancelled, by=its_buyer)

    monkeypatch.setattr(timezone, "now", lambda: proposed.starts_at + datetime.timedelta(days=1))

    assert _held(client) == 0
