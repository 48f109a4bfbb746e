"""Background tasks: notification mail and the meeting reminder. Thin: they load the
object and send what matchmaking.notifications composes; proposals expire through the
`expire_meeting_proposals` command.

Services enqueue them with transaction.on_commit, so nothing is sent for a change that
rolled back and no mail server slows a request. `python manage.py db_worker` runs them
with the database backend (TASKS_IMMEDIATE=1 runs them inline)."""

from django.utils import timezone

from core.tasks import task
from matchmaking import notifications
from matchmaking.models import Interest, Meeting
from notices.services import deliver


@task()
def notify_interest(interest_id: int, event: str) -> int:
    """Mail about a readiness declaration (who hears what: matchmaking.notifications)."""
    interest = Interest.objects.select_related("need__buyer", "need__province", "supplier").get(pk=interest_id)
    return deliver(notifications.interest_letters(interest, event))


@task()
def notify_meeting(meeting_id: int, event: str) -> int:
    """Mail about a meeting: proposed, confirmed, declined, cancelled, expired, or the
    reminder a day before; one letter per person (matchmaking.notifications)."""
    meeting = Meeting.objects.select_related(
        "interest__need__province", "interest__need__buyer", "buyer", "supplier", "room__exhibition"
    ).get(pk=meeting_id)
    return deliver(notifications.meeting_letters(meeting, event))


@task()
def send_meeting_reminder(meeting_id: int) -> int:
    """The reminder a day before a confirmed meeting; sent at most once."""
    if not Meeting.objects.claim_reminder(meeting_id, timezone.now()):
        return 0
    return notify_meeting.call(meeting_id, "reminder")


@task()
def notify_invitation(invitation_id: int) -> int:
    """An invitation to declare, told to the supplier's people (matchmaking.notifications)."""
    from matchmaking.models import Invitation

    invitation = Invitation.objects.select_related("need__buyer", "need__province", "supplier").get(pk=invitation_id)
    return deliver(notifications.invitation_letters(invitation))
