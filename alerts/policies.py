"""Who may keep saved searches: a supplier, i.e. the member of a company that may supply
(companies.policies); staff act as staff, never as a company."""

from companies.policies import ensure_may_become_member, ensure_may_supply, may_supply
from companies.selectors import company_for_user


def ensure_may_save_searches(user) -> None:
    """Raises ValidationError with the sentence the user reads (the companies' own)."""
    ensure_may_become_member(user)  # staff: "Staff accounts act as staff ..."
    ensure_may_supply(company_for_user(user))


def may_receive_digest(user, company) -> bool:
    """A digest goes to an active, non-staff account whose company may (still) supply."""
    return user.is_active and not user.is_staff and may_supply(company)
