"""Tour mail, sent by the background worker (``python manage.py db_worker``) after commit."""

from core.tasks import task
from notices.services import deliver
from tours import notifications
from tours.models import TourMessage, TourRegistration


@task()
def notify_tour_registration(registration_id: int, event: str) -> int:
    """Mail the company's people about one registration, one letter each (composed in
    tours.notifications); returns the number of messages sent."""
    registration = (
        TourRegistration.objects.select_related("tour__exhibition", "company", "registered_by")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return 0
    return deliver(notifications.tour_registration_letters(registration, event))


@task()
def send_tour_message(message_id: int) -> int:
    """Mail an organiser's message to the registered companies' people, one letter each
    (tours.notifications); claimed first, so a task run twice sends it once."""
    if not TourMessage.objects.claim(message_id):
        return 0
    message = TourMessage.objects.select_related("tour__exhibition").get(pk=message_id)
    sent = deliver(notifications.tour_message_letters(message))
    TourMessage.objects.record_sent(message_id, sent)
    return sent
