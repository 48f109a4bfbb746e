import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from companies.models import Company, CompanyMember
from core.text import normalize_text
from exhibitions.selectors import scope_to_staff


SEARCH_WORDS = 8  # words of a search that are used; the rest are ignored


def matching_companies(queryset: QuerySet, text: str, *, path: str = "") -> QuerySet:
    """The rows of `queryset` whose company has every word of `text` (Persian-normalised:
    ي/ك, digits, ZWNJ) in its name, national ID or capabilities (Company.search_text). `path`
    leads to the company ("company__" from a tour registration, "" on companies)."""
    for word in [w for w in normalize_text(text).split(" ") if w][:SEARCH_WORDS]:
        queryset = queryset.filter(**{f"{path}search_text__contains": word})
    return queryset


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


def verification_queue(*, user) -> QuerySet[Company]:
    """The companies waiting for `user` (staff) to verify or refuse them: those of the
    provinces they serve (all for national staff), oldest request first, with what the queue
    shows (province, town, members waiting for approval) in one query for any page."""
    return (
        scope_to_staff(Company.objects.awaiting_verification(), user, "province")
        .select_related("province", "town")
        .annotate(members_waiting=Count("members", filter=Q(members__is_approved=False)))
        .order_by(F("verification_requested_at").asc(nulls_first=True), "id")
    )


def days_waiting(company: Company, *, now: datetime.datetime) -> int:
    """Whole days since the company asked (registered, or asked again after a refusal)."""
    since = company.verification_requested_at or company.created_at
    return max((now - since).days, 0)


def companies_waiting_count(*, user) -> int:
    """How many companies wait in `user`'s verification queue (one query)."""
    return scope_to_staff(Company.objects.awaiting_verification(), user, "province").count()


def public_supplier(pk) -> Company:
    """A verified domestic supplier as the public sees it (its page, /api/companies/<id>/),
    with its sectors, products and their HS codes, and certificates: a fixed number of
    queries. Company.DoesNotExist for any other company."""
    from django.db.models import Prefetch

    from companies.models import Product

    return (
        Company.objects.verified().suppliers()
        .select_related("province", "town")
        .prefetch_related("sectors", Prefetch("products", Product.objects.prefetch_related("hs_codes")), "certificates")
        .get(pk=pk)
    )
