"""Companies' rules that a lower app's decisions must keep (core.dependents)."""

from companies.policies import ensure_may_become_staff
from exhibitions.models import staff_grant_checks


@staff_grant_checks.register
def staff_never_act_for_a_company(user, stored) -> None:
    ensure_may_become_staff(user)
