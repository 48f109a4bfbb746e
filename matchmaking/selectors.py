"""Reads for matchmaking: who may see what, the account pages, suggestions, slot grids and
the figures the statistics add. Each page's rows come from here, with their relations
loaded, so a page runs a fixed number of queries."""

import datetime
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Abs
from django.utils import timezone

from companies.models import Company, CompanyMember
from companies.policies import may_supply
from core.collation import persian
from core.formats import jalali_month, next_jalali_month
from core.text import normalize_text
from exhibitions.models import Exhibition, MeetingRoom
from exhibitions.selectors import scope_to_staff
from matchmaking.models import ExchangeRate, Interest, Meeting, Outcome
from needs.models import Need, NeedStatus
from tours.models import TourRegistration

# Needs that still take readiness declarations: the sample is on its shelf and no contract
# has been signed yet.
DECLARABLE_STATUSES = (NeedStatus.ON_DISPLAY, NeedStatus.IN_TALKS)


# --- who may act ----------------------------------------------------------------------
# Staff and their provinces: exhibitions.selectors; companies that may act: companies.policies.


# --- single objects -------------------------------------------------------------------
def interest_with_related(pk: int) -> Interest:
    return Interest.objects.select_related(
        "need__buyer", "need__province", "need__sector", "need__exhibition", "need__shelf", "supplier__province"
    ).get(pk=pk)


def meeting_with_related(pk: int) -> Meeting:
    return Meeting.objects.select_related(
        "interest__need__province", "interest__need__exhibition", "interest__need__buyer", "interest__need__sector",
        "buyer", "supplier", "room__exhibition__town", "proposed_by", "outcome",
    ).get(pk=pk)


def _meeting_rows():
    return Meeting.objects.select_related(
        "interest__need__province", "buyer", "supplier", "room__exhibition", "outcome"
    )


def interests_for_need(need: Need):
    """Every declaration on a need, for its buyer or the staff who mediate (one query)."""
    return (
        need.interests.select_related("supplier__province")
        .annotate(active_meetings=Count("meetings", filter=Q(meetings__status__in=Meeting.ACTIVE_STATUSES)))
        .order_by("status", "-created_at")
    )


def meetings_for_interest(interest: Interest):
    return _meeting_rows().filter(interest=interest).order_by("-starts_at")


# --- the account dashboard ------------------------------------------------------------
def account_overview(*, user, company: Company | None) -> dict:
    """What /account/ shows: for a company its needs, declarations, meetings, tour
    registrations and suggestions; for staff the declarations waiting in their provinces.
    A fixed number of queries whatever the counts."""
    data: dict = {"company": company}
    if company is not None:
        data["needs"] = list(
            company.needs.exclude(status=NeedStatus.WITHDRAWN)
            .select_related("sector", "province")
            .annotate(
                declaration_count=Count("interests", filter=~Q(interests__status=Interest.Status.WITHDRAWN)),
                waiting_count=Count("interests", filter=Q(interests__status=Interest.Status.DECLARED)),
            )
            .order_by("-annual_fx_usd")[:50]
        ) if company.is_buyer else []
        data["declarations"] = list(
            Interest.objects.filter(supplier=company)
            .select_related("need__province", "need__sector", "need__buyer")
            .order_by("-updated_at")[:50]
        )
        data["incoming"] = list(
            Interest.objects.filter(need__buyer=company)
            .exclude(status=Interest.Status.WITHDRAWN)
            .select_related("need", "supplier__province")
            .order_by("status", "-created_at")[:50]
        ) if company.is_buyer else []
        data["meetings"] = list(
            _meeting_rows().filter(Q(buyer=company) | Q(supplier=company)).order_by("-starts_at")[:50]
        )
        data["tour_registrations"] = list(
            TourRegistration.objects.filter(company=company)
            .exclude(status=TourRegistration.Status.CANCELLED)
            .select_related("tour__exhibition")
            .order_by("-tour__starts_at")[:20]
        )
        data["suggested_needs"] = needs_for_supplier(company) if may_supply(company) else []
        data["pending_members"] = list(
            CompanyMember.objects.filter(company=company, is_approved=False).select_related("user")
        )
    if user.is_staff:
        waiting = scope_to_staff(Interest.objects.filter(status=Interest.Status.DECLARED), user, "need__province")
        data["staff_queue"] = list(
            waiting.select_related("need__province", "need__buyer", "supplier").order_by("-need__is_anonymous", "created_at")[:50]
        )
    return data


# --- suggestions ----------------------------------------------------------------------
def _keywords(text: str, *, limit: int) -> list[str]:
    """The longest distinct words of a text, normalised; short words match too much."""
    words = sorted({w for w in normalize_text(text).split() if len(w) >= 3 and not w.isdigit()}, key=len, reverse=True)
    return words[:limit]


def _distance(prefix: str, province) -> Abs:
    """Tile-map distance between provinces (the /stats/ map is roughly geographic), so
    neighbours rank before the far side of the country."""
    return Abs(F(f"{prefix}map_col") - Value(province.map_col)) + Abs(F(f"{prefix}map_row") - Value(province.map_row))


def _score(conditions: list[tuple[Q, int]]):
    from django.db.models import Case, When

    total = Value(0, output_field=IntegerField())
    for condition, weight in conditions:
        total = total + Case(When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField())
    return total


def suppliers_for_need(need: Need, *, limit: int = 10) -> list[Company]:
    """Verified suppliers ranked for a need, best first, in one query: same sector,
    experience with the same HS heading, the need's words in their capabilities, then the
    nearest province. Suppliers that already declared are left out."""
    heading = need.hs_code[:4]
    keywords = _keywords(f"{need.title} {need.title_en}", limit=4)
    same_heading = Interest.objects.filter(supplier=OuterRef("pk"), need__hs_code__startswith=heading)
    words = Q()
    for word in keywords:
        words |= Q(search_text__contains=word)
    conditions = [
        (Q(sectors=need.sector_id), 4),
        (Q(Exists(same_heading)) | Q(search_text__contains=heading), 3),
        *[(Q(search_text__contains=word), 1) for word in keywords],
    ]
    candidates = (
        Company.objects.verified().suppliers()
        .exclude(pk=need.buyer_id)
        .exclude(interests__need=need)
        .filter(Q(sectors=need.sector_id) | Q(search_text__contains=heading) | words)
        .distinct()
    )
    return list(
        Company.objects.filter(pk__in=candidates.values("pk"))
        .select_related("province")
        .annotate(score=_score(conditions), distance=_distance("province__", need.province))
        .order_by("-score", "distance", persian("name_fa"))[:limit]
    )


def needs_for_supplier(company: Company, *, limit: int = 8) -> list[Need]:
    """Needs on display that fit a supplier best, in two queries: its sectors, HS headings it
    declared for before, its capabilities' words in the need, then the nearest province and
    the larger FX. Needs it already declared for are left out."""
    sector_ids = list(company.sectors.values_list("pk", flat=True))
    keywords = _keywords(company.capabilities, limit=5)
    headings = Interest.objects.filter(supplier=company).values("need__hs_code")
    words = Q()
    for word in keywords:
        words |= Q(search_text__contains=word)
    conditions = [
        (Q(sector_id__in=sector_ids), 4),
        *[(Q(search_text__contains=word), 1) for word in keywords],
    ]
    candidates = Need.objects.public().filter(status__in=DECLARABLE_STATUSES).exclude(buyer=company)
    candidates = candidates.exclude(Exists(Interest.objects.filter(need=OuterRef("pk"), supplier=company)))
    if not sector_ids and not keywords:
        return []
    candidates = candidates.filter(Q(sector_id__in=sector_ids) | words)
    return list(
        candidates.select_related("sector", "province", "buyer")
        .annotate(
            score=_score(conditions) + _score([(Q(hs_code__in=headings), 2)]),
            distance=_distance("province__", company.province),
        )
        .order_by("-score", "distance", "-annual_fx_usd")[:limit]
    )


# --- the slot grid --------------------------------------------------------------------
def slot_minutes() -> int:
    return settings.MEETING_SLOT_MINUTES


def slot_times(need: Need) -> list[datetime.time]:
    """The start times of the grid on one day: every slot inside the opening hours of the
    need's exhibition (08:00 to 16:00 when it has none).

    The grid is anchored at midnight, not at the opening hour, so the grids of all
    exhibitions are in step (one opening at 08:15 starts its slots at 08:30). The database
    refuses overlapping meetings whatever the grid (MeetingSlotBooking); this keeps the
    picker from offering times that could only clash."""
    opens, closes = datetime.time(8, 0), datetime.time(16, 0)
    if need.exhibition_id:
        opens, closes = need.exhibition.opens_at, need.exhibition.closes_at
    step = slot_minutes()
    first = -(-(opens.hour * 60 + opens.minute) // step) * step  # the first grid time at or after opening
    last_end = closes.hour * 60 + closes.minute
    return [datetime.time(m // 60, m % 60) for m in range(first, last_end - step + 1, step)]


def bookable_days(*, days: int = 21) -> list[datetime.date]:
    """The days meetings can be proposed on: from tomorrow, skipping Fridays (the weekend)."""
    today = timezone.localdate()
    out = []
    day = today + datetime.timedelta(days=1)
    while len(out) < days:
        if day.weekday() != 4:
            out.append(day)
        day += datetime.timedelta(days=1)
    return out


def rooms_for_need(need: Need):
    """Meeting rooms of the open exhibitions in the need's province."""
    return MeetingRoom.objects.filter(
        exhibition__in=Exhibition.objects.open().filter(province_id=need.province_id)
    ).select_related("exhibition")


# --- the statistics -------------------------------------------------------------------
def with_matchmaking_figures(figures: dict) -> dict:
    """Add the FX saved (fx_saved(), one query) to needs.selectors.programme_figures():
    "fx_saved" with its totals and months ({"month": Jalali "YYYY-MM", "usd"}), the signed
    contracts and their value under "matchmaking", and `fx_saved_usd` on every province and
    sector row (whose "pk" is dropped here: the rows are published by slug)."""
    saved = fx_saved()
    figures.setdefault("matchmaking", {}).update(
        contracts_signed=saved["contracts"], contract_value_rials=saved["contract_value_rials"],
    )
    figures["fx_saved"] = {
        key: saved[key]
        for key in ("total_usd", "contracts", "contract_value_rials", "contract_value_usd", "contracts_without_rate")
    } | {"by_month": [{"month": month, "usd": usd} for month, usd in saved["by_month"]]}
    for rows, by_pk in ((figures.get("by_province", []), saved["by_province"]),
                        (figures.get("by_sector", []), saved["by_sector"])):
        for row in rows:
            row["fx_saved_usd"] = by_pk.get(row.pop("pk", None), Decimal(0))
    return figures


# --- FX saved -------------------------------------------------------------------------
CENT = Decimal("0.01")


def fx_saved(
    *, since: datetime.date | None = None, until: datetime.date | None = None, province_ids=None
) -> dict:
    """FX saved: the annual FX (Need.annual_fx_usd) of the needs that signed contracts
    cover, with the contracts' value in rials and in US dollars. The one home of the figure
    (/stats/, /api/stats/ and the funnel report call it).

    - A need counts once, on its earliest signing date: it is in a window [since, until]
      (both inclusive, either open) when its first signed contract is, so the FX of
      consecutive windows adds up to the FX of their union and a second contract on a need
      saves nothing more.
    - Every contract signed in the window counts in "contracts" and "contract_value_rials",
      and is converted at its own signing date's rate (the latest ExchangeRate effective on
      or before it); one signed before the first rate is left out of "contract_value_usd"
      and counted in "contracts_without_rate".
    - province_ids limits everything to the needs of those provinces (None: all).

    Returns {"total_usd", "contracts", "contract_value_rials", "contract_value_usd",
    "contracts_without_rate", "by_province" {province id: USD}, "by_sector" {sector id: USD},
    "by_month" [(Jalali "YYYY-MM", USD) in time order, months between without FX as 0]}.

    One query whatever the data size: the signed contracts grouped by province, sector,
    signing day and rate (at most one row per contract, and far fewer), folded here."""
    signed = Outcome.objects.filter(result=Outcome.Result.CONTRACT_SIGNED)
    contracts = signed
    if since is not None:
        contracts = contracts.filter(signed_on__gte=since)
    if until is not None:
        contracts = contracts.filter(signed_on__lte=until)
    if province_ids is not None:
        contracts = contracts.filter(meeting__interest__need__province_id__in=list(province_ids))
    # The contract that first covered its need (ties on one day broken by the earlier row):
    # only it carries the need's FX.
    earlier_on_same_need = signed.filter(
        meeting__interest__need_id=OuterRef("meeting__interest__need_id"),
    ).filter(Q(signed_on__lt=OuterRef("signed_on")) | Q(signed_on=OuterRef("signed_on"), pk__lt=OuterRef("pk")))
    rate = ExchangeRate.objects.filter(effective_on__lte=OuterRef("signed_on")).order_by("-effective_on")
    rows = (
        contracts.order_by()
        .values(
            "signed_on",
            province=F("meeting__interest__need__province_id"),
            sector=F("meeting__interest__need__sector_id"),
            rate=Subquery(rate.values("rials_per_usd")[:1]),
        )
        .annotate(
            count=Count("pk"),
            rials=Sum("contract_value_rials"),
            fx=Sum("meeting__interest__need__annual_fx_usd", filter=~Exists(earlier_on_same_need)),
        )
    )
    figures = {
        "total_usd": Decimal(0), "contracts": 0, "contract_value_rials": 0, "contract_value_usd": Decimal(0),
        "contracts_without_rate": 0, "by_province": {}, "by_sector": {}, "by_month": [],
    }
    usd = Fraction(0)
    by_month: dict[str, Decimal] = {}
    for row in rows:
        figures["contracts"] += row["count"]
        figures["contract_value_rials"] += row["rials"] or 0
        if row["rate"] is None:
            figures["contracts_without_rate"] += row["count"]
        else:
            usd += Fraction(row["rials"] or 0, row["rate"])
        if not row["fx"]:
            continue
        fx = Decimal(row["fx"])
        figures["total_usd"] += fx
        figures["by_province"][row["province"]] = figures["by_province"].get(row["province"], Decimal(0)) + fx
        figures["by_sector"][row["sector"]] = figures["by_sector"].get(row["sector"], Decimal(0)) + fx
        month = jalali_month(row["signed_on"])
        by_month[month] = by_month.get(month, Decimal(0)) + fx
    figures["contract_value_usd"] = (Decimal(usd.numerator) / Decimal(usd.denominator)).quantize(CENT)
    if by_month:
        month, last = min(by_month), max(by_month)
        while month <= last:
            figures["by_month"].append((month, by_month.get(month, Decimal(0))))
            month = next_jalali_month(month)
    return figures
