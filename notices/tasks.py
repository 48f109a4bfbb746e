"""SMS, sent by the background worker after commit (notices.services.deliver enqueues it)."""

from core.tasks import task
from notices.sms import send_text


@task()
def send_sms(phone: str, text: str) -> int:
    """Send one SMS through settings.SMS_BACKEND; a provider's refusal raises, so the task
    is recorded as failed."""
    return send_text(phone, text)
