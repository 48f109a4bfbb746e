"""Tour mail, sent by the background worker (``python manage.py db_worker``) after commit."""

from core.mail import send_letters
from core.tasks import task
from tours import notifications
from tours.models import TourRegistration


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
    return send_letters(notifications.tour_registration_letters(registration, event))

