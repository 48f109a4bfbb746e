"""Account mail, sent by the background worker after commit."""

from accounts import notifications
from core.mail import send_letter
from core.tasks import task


@task()
def send_activation_email(user_id: int, language: str) -> int:
    """The sign-up confirmation link, in the language the user signed up in."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_id)
    if user.is_active:
        return 0
    return send_letter(notifications.activation_letter(user, language))
