"""Writes on companies and their members: registration, join requests, verification.

Views, the admin and commands call these; none of them repeats the rules."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from companies.models import Company, CompanyMember
from companies.validators import normalize_national_id


def _ensure_no_company(user) -> None:
    if CompanyMember.objects.filter(user=user).exists():
        raise ValidationError(_("Your account already acts for a company or has a pending request."))


@transaction.atomic
def company_register(*, user, company: Company, sectors=()) -> Company:
    """Register a new company with `user` as its approved owner.

    The company starts unverified: provincial staff verify it before it can act. The
    company and the membership are stored together or not at all."""
    _ensure_no_company(user)
    company.is_verified = False
    company.full_clean()
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError:
        # Two registrations of one national ID raced past full_clean's uniqueness check.
        raise ValidationError({"national_id": _("A company with this national ID is already registered.")})
    company.sectors.set(sectors)
    CompanyMember.objects.create(company=company, user=user, role=CompanyMember.Role.OWNER, is_approved=True)
    return company


@transaction.atomic
def company_join_request(*, user, national_id: str) -> CompanyMember:
    """Ask to act for an existing company, found by its national ID (any digits).

    The request waits until an owner of the company or staff approves it."""
    _ensure_no_company(user)
    company = Company.objects.filter(national_id=normalize_national_id(national_id)).first()
    if company is None:
        raise ValidationError(
            {"national_id": _("No company with this national ID is registered. Register it instead.")}
        )
    return CompanyMember.objects.create(company=company, user=user, role=CompanyMember.Role.MEMBER, is_approved=False)


def _may_manage_members(company: Company, by) -> bool:
    if by.is_staff:
        return True
    return CompanyMember.objects.filter(
        company=company, user=by, role=CompanyMember.Role.OWNER, is_approved=True
    ).exists()


@transaction.atomic
def company_member_approve(*, member: CompanyMember, by) -> CompanyMember:
    """An owner of the company (or staff) lets a requesting user act for it."""
    if not _may_manage_members(member.company, by):
        raise ValidationError(_("Only an owner of the company or staff can approve members."))
    member.is_approved = True
    member.save(update_fields=["is_approved"])
    return member


@transaction.atomic
def company_member_reject(*, member: CompanyMember, by) -> None:
    """An owner (or staff) turns down a pending join request; the user may ask again."""
    if not _may_manage_members(member.company, by):
        raise ValidationError(_("Only an owner of the company or staff can approve members."))
    if member.is_approved:
        raise ValidationError(_("This member is already approved."))
    member.delete()


@transaction.atomic
def company_verify(*, company: Company, by, verified: bool = True) -> Company:
    """Staff confirm (or withdraw) that a company is who it says it is; only verified
    companies declare readiness, propose meetings or record outcomes."""
    if not by.is_staff:
        raise ValidationError(_("Only staff can verify companies."))
    company.is_verified = verified
    company.save(update_fields=["is_verified", "updated_at"])
    return company
