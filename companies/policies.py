"""Who may act for a company, and who may act on one: the one home of these rules.

The `ensure_*` functions raise ValidationError with the message the user reads; services
call them before they write. Views and templates ask the predicates to decide what to
offer, and show the service's (or the `ensure_*` function's) message when it refuses: no
view repeats a message of its own."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from companies.models import Company, CompanyMember
from exhibitions.selectors import staff_serves


# --- acting for a company ----------------------------------------------------------------------
def company_may_act(company: Company | None) -> bool:
    """Whether a company may declare readiness, propose or answer meetings and record
    outcomes: staff of its province have verified it."""
    return company is not None and company.is_verified


def ensure_company_may_act(company: Company | None) -> None:
    if company is None:
        raise ValidationError(_("Your account does not act for a company yet."), code="no_company")
    if not company.is_verified:
        raise ValidationError(
            _("Your company has not been verified by the provincial staff yet; it cannot act until it is."),
            code="unverified",
        )


def may_supply(company: Company | None) -> bool:
    """Whether a company may act as a supplier (declare readiness, register for tours):
    a verified company registered as a domestic supplier."""
    return company_may_act(company) and company.is_supplier


def ensure_may_supply(company: Company | None) -> None:
    ensure_company_may_act(company)
    if not company.is_supplier:
        raise ValidationError(
            _("Only companies registered as domestic suppliers can do this."), code="not_supplier"
        )


# --- acting on a company -----------------------------------------------------------------------
def ensure_may_become_member(user) -> None:
    """Staff act as staff, never as a company's member: a staff account can neither
    register a company nor ask to join one (nor be approved into one) on the site."""
    if user.is_staff:
        raise ValidationError(
            _("Staff accounts act as staff and cannot act for a company. Use a separate account."),
            code="staff",
        )


def ensure_acts_for_no_company(user) -> None:
    """One account acts for one company: a user who acts for one, or has asked to join one,
    can neither register another nor ask to join another (nor can a staff account). The
    database holds the same rule (one CompanyMember row per user); `has_a_company` words
    its refusal when two requests race past this check."""
    ensure_may_become_member(user)
    if CompanyMember.objects.filter(user=user).exists():
        raise has_a_company()


def has_a_company() -> ValidationError:
    return ValidationError(
        _("Your account already acts for a company or has a pending request."), code="has_company"
    )


def ensure_may_become_staff(user) -> None:
    """The other side of "staff never act as members": an account that acts for a company,
    or has asked to, is not made staff; staff work needs an account of its own."""
    if CompanyMember.objects.filter(user=user).exists():
        raise ValidationError(
            _(
                "This account acts for a company or has asked to join one, and staff never act for a "
                "company. Make the staff user with a separate account."
            ),
            code="member",
        )


def may_manage_members(user, company: Company) -> bool:
    """The company's own approved owners, and staff who serve its province, approve or
    turn down requests to act for it; nobody else."""
    if staff_serves(user, company.province_id):
        return True
    return user.is_authenticated and CompanyMember.objects.filter(
        company=company, user=user, role=CompanyMember.Role.OWNER, is_approved=True
    ).exists()


def ensure_may_manage_members(user, company: Company) -> None:
    if not may_manage_members(user, company):
        raise ValidationError(
            _("Only an owner of the company or staff of its province can approve or turn down members."),
            code="not_manager",
        )


def may_verify(user, company: Company) -> bool:
    """Staff who serve the company's province confirm (or withdraw) that it is who it says."""
    return staff_serves(user, company.province_id)


def ensure_may_verify(user, company: Company) -> None:
    if not may_verify(user, company):
        raise ValidationError(
            _("Only staff of the company's province can verify it or withdraw its verification."), code="not_staff"
        )


def may_request_verification(user, company: Company) -> bool:
    """The company's own approved members edit a refused company and ask staff again."""
    return user.is_authenticated and CompanyMember.objects.filter(company=company, user=user, is_approved=True).exists()


def ensure_may_request_verification(user, company: Company) -> None:
    if not may_request_verification(user, company):
        raise ValidationError(
            _("Only the company's approved members can ask for its verification again."), code="not_member"
        )


def ensure_may_edit_profile(user, company: Company) -> None:
    """The company's approved members (companies.policies.may_request_verification: an
    approved membership) on the site, and staff who serve its province (companies.policies
    .may_manage_members' staff half, exhibitions.selectors.staff_serves) in the admin."""
    if staff_serves(user, company.province_id) or (not user.is_staff and may_request_verification(user, company)):
        return
    raise ValidationError(
        _("Only the company's approved members or staff of its province can edit its profile."), code="not_member"
    )
