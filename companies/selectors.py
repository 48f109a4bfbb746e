from dataclasses import dataclass

from companies.models import Company, CompanyMember


def company_for_user(user) -> Company | None:
    """The company a signed-in user acts for (an approved membership), or None."""
    if not user.is_authenticated:
        return None
    membership = (
        CompanyMember.objects.filter(user=user, is_approved=True).select_related("company").order_by("id").first()
    )
    return membership.company if membership else None


def membership_for_user(user) -> CompanyMember | None:
    """The user's membership, approved or still pending, with its company (one query)."""
    if not user.is_authenticated:
        return None
    return (
        CompanyMember.objects.filter(user=user)
        .select_related("company", "company__province")
        .order_by("-is_approved", "id")
        .first()
    )


def pending_members(company: Company):
    """Join requests waiting for an owner of `company`."""
    return CompanyMember.objects.filter(company=company, is_approved=False).select_related("user").order_by("created_at")


@dataclass(frozen=True)
class Mailbox:
    """An address that hears for a company, and whose it is: `user` is the member it belongs
    to, or None for the company's own address (which reads only what the public may)."""

    email: str
    user: object | None


def company_mailboxes(company_ids) -> dict[int, list[Mailbox]]:
    """Who at each company gets its mail: the approved members whose accounts are active and
    have an address (oldest membership first), then the company's own address; each address
    once per company, whatever its case. Two queries for any number of companies."""
    out: dict[int, list[Mailbox]] = {pk: [] for pk in company_ids}
    seen: dict[int, set[str]] = {pk: set() for pk in company_ids}

    def add(company_id: int, email: str, user) -> None:
        email = (email or "").strip()
        if email and email.lower() not in seen[company_id]:
            seen[company_id].add(email.lower())
            out[company_id].append(Mailbox(email, user))

    members = CompanyMember.objects.filter(company_id__in=out, is_approved=True, user__is_active=True)
    for membership in members.select_related("user").order_by("id"):
        add(membership.company_id, membership.user.email, membership.user)
    for company_id, email in Company.objects.filter(pk__in=out).values_list("id", "email"):
        add(company_id, email, None)
    return out


def approved_company_ids(user) -> frozenset[int]:
    """The companies `user` acts for (approved memberships); cached on the user object for
    the request, so labelling a list of rows for one viewer costs one query."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_approved_company_ids", None)
    if cached is None:
        cached = frozenset(CompanyMember.objects.filter(user=user, is_approved=True).values_list("company_id", flat=True))
        user._approved_company_ids = cached
    return cached
