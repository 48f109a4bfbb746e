"""Thin tasks: load, then deliver what conversations.notifications composes."""

from conversations import notifications
from conversations.models import Message
from core.tasks import task
from notices.services import deliver


@task()
def notify_message(message_id: int) -> int:
    """Tell the other side about a new message (nothing if it was withdrawn or hidden first)."""
    message = (
        Message.objects.select_related("author", "interest__need__buyer", "interest__need__province",
                                       "interest__supplier")
        .prefetch_related("attachments")
        .get(pk=message_id)
    )
    return deliver(notifications.message_letters(message))
