"""Tour mail, sent by the background worker (``python manage.py db_worker``) after commit."""

from django_tasks import task

from core.mail import send_letters
from matchmaking import notifications
from matchmaking.models import TourRegistration


@task()
def notify_tour_registration(registration_id: int, event: str) -> int:
    """Mail the company's people about one registration, one letter each (composed in
    matchmaking.notifications); returns the number of messages sent."""
    registration = (
        TourRegistration.objects.select_related("tour__exhibition", "company", "registered_by")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return 0
    return send_letters(notifications.tour_registration_letters(registration, event))


@task()
def send_tour_reminders() -> int:
    """Queue tomorrow's tour reminders (run it often; each registration is reminded once)."""
    from matchmaking.services.tours import tour_reminders_send

    return tour_reminders_send()
