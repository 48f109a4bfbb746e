from companies.models import Company, CompanyMember


def company_for_user(user) -> Company | None:
    """The company a signed-in user acts for (an approved membership), or None."""
    if not user.is_authenticated:
        return None
    membership = (
        CompanyMember.objects.filter(user=user, is_approved=True).select_related("company").order_by("id").first()
    )
    return membership.company if membership else None
