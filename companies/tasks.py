"""Background tasks for companies: thin, they load the row and send what notifications.py
composes. Services enqueue them with transaction.on_commit."""

from companies.models import Company
from companies.notifications import company_refused_letters, company_unverified_letters, company_verified_letters
from core.tasks import task
from notices.services import deliver


@task()
def notify_company_verified(company_id: int) -> int:
    """Tell each approved member that their company is verified (if it still is)."""
    company = Company.objects.filter(pk=company_id, is_verified=True).first()
    if company is None:
        return 0
    return deliver(company_verified_letters(company))


@task()
def notify_company_unverified(company_id: int, reason: str = "") -> int:
    """Tell each approved member that their company's verification was withdrawn, and why
    (if it still is withdrawn)."""
    company = Company.objects.filter(pk=company_id, is_verified=False).first()
    if company is None:
        return 0
    return deliver(company_unverified_letters(company, reason=reason))


@task()
def notify_company_refused(company_id: int) -> int:
    """Tell each approved member that staff refused to verify their company, and why (if it
    is still refused: its members may have asked again, or staff verified it, meanwhile)."""
    company = Company.objects.filter(pk=company_id, is_verified=False, refused_at__isnull=False).first()
    if company is None:
        return 0
    return deliver(company_refused_letters(company))
