"""Writes on companies and their members: registration, join requests, verification.

Views, the admin and commands call these; none of them repeats the rules."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from companies.models import Company, CompanyMember
from companies.policies import (
    ensure_acts_for_no_company,
    ensure_may_become_member,
    ensure_may_manage_members,
    ensure_may_verify,
    has_a_company,
)
from companies.tasks import notify_company_unverified, notify_company_verified
from companies.validators import normalize_national_id


def _create_membership(**fields) -> CompanyMember:
    """Store a user's one membership. The database allows one per user: when a concurrent
    request stored one first, the user reads the policy's refusal, not an error page."""
    try:
        with transaction.atomic():
            return CompanyMember.objects.create(**fields)
    except IntegrityError:
        raise has_a_company() from None


@transaction.atomic
def company_register(*, user, company: Company, sectors=()) -> Company:
    """Register a new company with `user` as its approved owner.

    The company starts unverified: provincial staff verify it before it can act. The
    company and the membership are stored together or not at all."""
    ensure_acts_for_no_company(user)
    company.is_verified = False
    company.full_clean()
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError:
        # Two registrations of one national ID raced past full_clean's uniqueness check.
        raise ValidationError({"national_id": _("A company with this national ID is already registered.")})
    company.sectors.set(sectors)
    _create_membership(company=company, user=user, role=CompanyMember.Role.OWNER, is_approved=True)
    return company


@transaction.atomic
def company_join_request(*, user, national_id: str) -> CompanyMember:
    """Ask to act for an existing company, found by its national ID (any digits).

    The request waits until an owner of the company or staff approves it."""
    ensure_acts_for_no_company(user)
    company = Company.objects.filter(national_id=normalize_national_id(national_id)).first()
    if company is None:
        raise ValidationError(
            {"national_id": _("No company with this national ID is registered. Register it instead.")}
        )
    return _create_membership(company=company, user=user, role=CompanyMember.Role.MEMBER, is_approved=False)


@transaction.atomic
def company_member_approve(*, member: CompanyMember, by) -> CompanyMember:
    """An approved owner of the company, or staff of its province, lets a requesting user
    act for it. A staff account is never approved into a company; a user never has a
    second membership to approve (the database keeps one per user)."""
    ensure_may_manage_members(by, member.company)
    ensure_may_become_member(member.user)
    member.is_approved = True
    member.save(update_fields=["is_approved"])
    return member


@transaction.atomic
def company_member_reject(*, member: CompanyMember, by) -> None:
    """An approved owner, or staff of the company's province, turns down a pending join
    request; the user may ask again."""
    ensure_may_manage_members(by, member.company)
    if member.is_approved:
        raise ValidationError(_("This member is already approved."))
    member.delete()


@transaction.atomic
def company_verify(*, company: Company, by, verified: bool = True, reason: str = "") -> Company:
    """Staff of the company's province confirm (or withdraw) that it is who it says it is;
    only verified companies declare readiness, propose meetings or record outcomes.

    The row is locked, so two staff verifying at once change it (and mail its members)
    once. Each approved member is mailed after commit when the company is verified, and
    when its verification is withdrawn (with the staff member's `reason`, if given)."""
    ensure_may_verify(by, company)
    locked = Company.objects.select_for_update().get(pk=company.pk)
    if locked.is_verified != verified:
        locked.is_verified = verified
        locked.save(update_fields=["is_verified", "updated_at"])
        if verified:
            transaction.on_commit(lambda: notify_company_verified.enqueue(locked.pk))
        else:
            reason = (reason or "").strip()
            transaction.on_commit(lambda: notify_company_unverified.enqueue(locked.pk, reason))
    company.is_verified = locked.is_verified
    return locked
