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


def member_emails(company_ids) -> dict[int, list[str]]:
    """Where to write to each company: its approved members' addresses, then its own."""
    out: dict[int, list[str]] = {pk: [] for pk in company_ids}
    rows = CompanyMember.objects.filter(company_id__in=company_ids, is_approved=True, user__is_active=True).values_list(
        "company_id", "user__email"
    )
    for company_id, email in rows:
        if email and email not in out[company_id]:
            out[company_id].append(email)
    for company_id, email in Company.objects.filter(pk__in=company_ids).values_list("id", "email"):
        if email and email not in out[company_id]:
            out[company_id].append(email)
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
