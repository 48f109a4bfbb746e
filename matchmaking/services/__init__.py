"""The only way matchmaking state changes: the site, the admin and commands call these.

One module per part (interests, meetings, outcomes; tours live in tours.py)."""

from matchmaking.services.interests import interest_decide, interest_declare, interest_withdraw
from matchmaking.services.meetings import (
    meeting_cancel,
    meeting_counter,
    meeting_expire_proposals,
    meeting_propose,
    meeting_respond,
    slot_starts,
)
from matchmaking.services.outcomes import outcome_record
from matchmaking.services.tours import (
    attendance_mark,
    registration_cancel,
    tour_cancel,
    tour_create,
    tour_mark_held,
    tour_register,
    tour_reminders_send,
)

__all__ = [
    "interest_decide",
    "interest_declare",
    "interest_withdraw",
    "meeting_cancel",
    "meeting_counter",
    "meeting_expire_proposals",
    "meeting_propose",
    "meeting_respond",
    "outcome_record",
    "slot_starts",
    "attendance_mark",
    "registration_cancel",
    "tour_cancel",
    "tour_create",
    "tour_mark_held",
    "tour_register",
    "tour_reminders_send",
]
