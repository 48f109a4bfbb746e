"""The only way matchmaking state changes: the site, the admin and commands call these.

One module per part: interests, invitations, meetings, outcomes."""

from matchmaking.services.interests import (
    interest_decide,
    interest_declare,
    interest_withdraw,
)
from matchmaking.services.invitations import invitation_send
from matchmaking.services.meetings import (
    meeting_cancel,
    meeting_counter,
    meeting_expire_proposals,
    meeting_propose,
    meeting_respond,
    slot_starts,
)
from matchmaking.services.outcomes import outcome_record

__all__ = [
    "interest_decide",
    "interest_declare",
    "interest_withdraw",
    "invitation_send",
    "meeting_cancel",
    "meeting_counter",
    "meeting_expire_proposals",
    "meeting_propose",
    "meeting_respond",
    "outcome_record",
    "slot_starts",
]
