"""Reads for matchmaking: who may see what, the account pages, suggestions, slot grids and
the figures the statistics add. Each page's rows come from here, with their relations
loaded, so a page runs a fixed number of queries."""

import datetime
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Abs, Coalesce, Least, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import Company, CompanyMember, ProductHsCode
from companies.policies import may_supply
from core.collation import persian
from core.formats import jalali_month, next_jalali_month
from core.text import normalize_text
from exhibitions.models import Exhibition, MeetingRoom
from exhibitions.selectors import scope_to_staff
from matchmaking.models import ExchangeRate, Interest, Invitation, Meeting, Outcome
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
        data["invitations"] = invitations_for_supplier(company) if company.is_supplier else []
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


# HS code hierarchy: (digits shared, weight). The longest shared prefix counts: the same
# subheading (6 digits) above the same heading (4) above the same chapter (2).
HS_LEVELS = ((6, 30), (4, 20), (2, 8))
SECTOR_WEIGHT = 12
SAME_PROVINCE_WEIGHT = 6
NEARBY_PROVINCE_WEIGHT = 3  # a neighbouring province on the tile map (distance 1 or 2)
NEARBY_DISTANCE = 2
CONTRACT_WEIGHT, CONTRACT_CAP = 5, 3  # per signed contract, counted up to the cap
SHORTLIST_WEIGHT, SHORTLIST_CAP = 2, 3  # per shortlisted declaration, up to the cap
WORD_WEIGHT = 1
MAX_PREFIXES = 60  # distinct HS prefixes of a supplier used per level (bounded SQL)
# A declaration that reached the shortlist (shortlisted_at is kept if it is declined later).
SHORTLISTED = Q(status=Interest.Status.SHORTLISTED) | Q(shortlisted_at__isnull=False)


def _hs_reason(level: int, prefix: str) -> str:
    if level == 6:
        return _("same HS subheading %(code)s") % {"code": prefix}
    if level == 4:
        return _("same HS heading %(code)s") % {"code": prefix}
    return _("same HS chapter %(code)s") % {"code": prefix}


def _place_reason(distance: int, same_province: bool) -> str | None:
    if same_province:
        return _("same province")
    if distance <= NEARBY_DISTANCE:
        return _("nearby province")
    return None


def _count_reasons(contracts: int, shortlisted: int) -> list[str]:
    reasons = []
    if contracts:
        reasons.append(ngettext("%(count)s contract signed before", "%(count)s contracts signed before", contracts)
                       % {"count": contracts})
    if shortlisted:
        reasons.append(ngettext("shortlisted %(count)s time before", "shortlisted %(count)s times before", shortlisted)
                       % {"count": shortlisted})
    return reasons


def _capped(expression, weight: int, cap: int):
    """weight x min(expression, cap), in SQL."""
    return Least(expression, Value(cap)) * Value(weight)


def suppliers_for_need(need: Need, *, limit: int = 10) -> list[Company]:
    """Verified suppliers ranked for a need, best first, in one query, each with `reasons`
    (short phrases in the active language) and `score`:

    - the HS code hierarchy between the need's code and the supplier's product codes and
      past declarations: the same subheading (6 digits) > heading (4) > chapter (2);
    - the need's sector among the supplier's; its words in the supplier's capabilities;
    - its province (the same, or a neighbour on the tile map), the nearest first;
    - past outcomes: contracts signed and declarations shortlisted raise it.

    A supplier qualifies by HS code, sector or capabilities (not by province alone). The
    need's buyer and suppliers that already declared are left out. Every signal is a
    correlated subquery on an indexed column, so the query is the same for 3 or 300
    suppliers."""
    code = need.hs_code
    levels = [(digits, weight, code[:digits]) for digits, weight in HS_LEVELS if len(code) >= digits]

    def product_at(prefix):
        return Exists(ProductHsCode.objects.filter(product__company=OuterRef("pk"), code__startswith=prefix))

    def declared_at(prefix):
        return Exists(Interest.objects.filter(supplier=OuterRef("pk"), need__hs_code__startswith=prefix)
                      .exclude(need=need))

    hs_level = Case(
        *[When(product_at(prefix) | declared_at(prefix), then=Value(digits)) for digits, _w, prefix in levels],
        default=Value(0), output_field=IntegerField(),
    )
    keywords = _keywords(f"{need.title} {need.title_en}", limit=4)
    words = Q()
    for word in keywords:
        words |= Q(search_text__contains=word)
    in_sector = Exists(Company.sectors.through.objects.filter(company_id=OuterRef("pk"), sector_id=need.sector_id))
    contracts = Subquery(
        Outcome.objects.filter(result=Outcome.Result.CONTRACT_SIGNED, meeting__supplier=OuterRef("pk"))
        .order_by().values("meeting__supplier").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )
    shortlisted = Subquery(
        Interest.objects.filter(SHORTLISTED, supplier=OuterRef("pk"))
        .order_by().values("supplier").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )
    relevant = Q(in_sector=True) | Q(hs_level__gt=0) | words if levels else Q(in_sector=True) | words
    rows = (
        Company.objects.verified().suppliers()
        .exclude(pk=need.buyer_id)
        .exclude(Exists(Interest.objects.filter(need=need, supplier=OuterRef("pk"))))
        .annotate(
            in_sector=in_sector,
            hs_level=hs_level if levels else Value(0, output_field=IntegerField()),
            contracts=Coalesce(contracts, 0),
            shortlisted=Coalesce(shortlisted, 0),
            word_hits=_score([(Q(search_text__contains=word), 1) for word in keywords]),
            distance=_distance("province__", need.province),
        )
        .filter(relevant)
        .select_related("province")
        .annotate(
            score=Case(*[When(hs_level=digits, then=Value(weight)) for digits, weight, _p in levels],
                       default=Value(0), output_field=IntegerField())
            + Case(When(in_sector=True, then=Value(SECTOR_WEIGHT)), default=Value(0), output_field=IntegerField())
            + Case(When(province_id=need.province_id, then=Value(SAME_PROVINCE_WEIGHT)),
                   When(distance__lte=NEARBY_DISTANCE, then=Value(NEARBY_PROVINCE_WEIGHT)),
                   default=Value(0), output_field=IntegerField())
            + _capped(F("contracts"), CONTRACT_WEIGHT, CONTRACT_CAP)
            + _capped(F("shortlisted"), SHORTLIST_WEIGHT, SHORTLIST_CAP)
            + F("word_hits") * Value(WORD_WEIGHT),
        )
        .order_by("-score", "distance", persian("name_fa"), "pk")[:limit]
    )
    out = list(rows)
    for company in out:
        reasons = []
        if company.hs_level:
            reasons.append(_hs_reason(company.hs_level, code[: company.hs_level]))
        if company.in_sector:
            reasons.append(_("same sector"))
        place = _place_reason(company.distance, company.province_id == need.province_id)
        if place:
            reasons.append(place)
        reasons += _count_reasons(company.contracts, company.shortlisted)
        if company.word_hits and not company.hs_level and not company.in_sector:
            reasons.append(_("its capabilities mention the need's words"))
        company.reasons = reasons
    return out


def _supplier_codes(company: Company) -> list[str]:
    """The HS codes a supplier is known by: its products' and those of the needs it
    declared for (one query)."""
    products = ProductHsCode.objects.filter(product__company=company).order_by().values_list("code", flat=True)
    declared = Interest.objects.filter(supplier=company).order_by().values_list("need__hs_code", flat=True)
    return list(products.union(declared))


def needs_for_supplier(company: Company, *, limit: int = 8) -> list[Need]:
    """Public needs still taking declarations that fit a supplier best, each with `reasons`
    (short phrases in the active language) and `score`, in four queries whatever the
    counts: the HS code hierarchy between the need's code and the supplier's product codes
    and past declarations (subheading > heading > chapter), its sectors, its capabilities'
    words in the need, the province (the same, then the nearest), and its own past outcomes
    in the need's HS heading (contracts signed, declarations shortlisted); then the larger
    FX. Needs it already declared for, and its own, are left out. Only what the supplier
    may know goes into a reason: nothing of the buyer."""
    sector_ids = list(company.sectors.values_list("pk", flat=True))
    codes = _supplier_codes(company)
    prefixes = {digits: sorted({c[:digits] for c in codes if len(c) >= digits})[:MAX_PREFIXES] for digits, _w in HS_LEVELS}
    track = {
        row["heading"]: row
        for row in Interest.objects.filter(supplier=company)
        .annotate(heading=Substr("need__hs_code", 1, 4)).order_by().values("heading")
        .annotate(
            shortlisted=Count("pk", distinct=True, filter=SHORTLISTED),
            contracts=Count(
                "meetings__outcome", distinct=True,
                filter=Q(meetings__outcome__result=Outcome.Result.CONTRACT_SIGNED),
            ),
        )
        .filter(Q(shortlisted__gt=0) | Q(contracts__gt=0))[:MAX_PREFIXES]
    }
    keywords = _keywords(company.capabilities, limit=5)
    words = Q()
    for word in keywords:
        words |= Q(search_text__contains=word)
    chapters = Q()
    for prefix in prefixes[2]:
        chapters |= Q(hs_code__startswith=prefix)
    if not sector_ids and not keywords and not prefixes[2]:
        return []
    hs_level = Case(
        *[When(**{f"hs{digits}__in": prefixes[digits]}, then=Value(digits)) for digits, _w in HS_LEVELS if prefixes[digits]],
        default=Value(0), output_field=IntegerField(),
    )

    def by_heading(key: str, weight: int, cap: int):
        whens = [When(hs4=heading, then=Value(min(row[key], cap) * weight)) for heading, row in track.items() if row[key]]
        return Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)

    candidates = (
        Need.objects.public().filter(status__in=DECLARABLE_STATUSES).exclude(buyer=company)
        .exclude(Exists(Interest.objects.filter(need=OuterRef("pk"), supplier=company)))
        .filter(Q(sector_id__in=sector_ids) | words | chapters)
        .annotate(hs6=Substr("hs_code", 1, 6), hs4=Substr("hs_code", 1, 4), hs2=Substr("hs_code", 1, 2))
        .annotate(
            hs_level=hs_level,
            word_hits=_score([(Q(search_text__contains=word), 1) for word in keywords]),
            distance=_distance("province__", company.province),
        )
    )
    rows = (
        candidates.select_related("sector", "province", "buyer")
        .annotate(
            score=Case(*[When(hs_level=digits, then=Value(weight)) for digits, weight in HS_LEVELS],
                       default=Value(0), output_field=IntegerField())
            + _score([(Q(sector_id__in=sector_ids), SECTOR_WEIGHT)])
            + Case(When(province_id=company.province_id, then=Value(SAME_PROVINCE_WEIGHT)),
                   When(distance__lte=NEARBY_DISTANCE, then=Value(NEARBY_PROVINCE_WEIGHT)),
                   default=Value(0), output_field=IntegerField())
            + by_heading("contracts", CONTRACT_WEIGHT, CONTRACT_CAP)
            + by_heading("shortlisted", SHORTLIST_WEIGHT, SHORTLIST_CAP)
            + F("word_hits") * Value(WORD_WEIGHT),
        )
        .order_by("-score", "distance", "-annual_fx_usd", "pk")[:limit]
    )
    out = list(rows)
    for need in out:
        reasons = []
        if need.hs_level:
            reasons.append(_hs_reason(need.hs_level, need.hs_code[: need.hs_level]))
        if need.sector_id in sector_ids:
            reasons.append(_("same sector"))
        place = _place_reason(need.distance, need.province_id == company.province_id)
        if place:
            reasons.append(place)
        past = track.get(need.hs_code[:4])
        if past:
            reasons += _count_reasons(past["contracts"], past["shortlisted"])
        if need.word_hits and not need.hs_level and need.sector_id not in sector_ids:
            reasons.append(_("the need matches your capabilities"))
        need.reasons = reasons
    return out


# --- invitations to declare ---------------------------------------------------------
def invitations_for_supplier(company: Company, *, limit: int = 20) -> list[Invitation]:
    """The invitations a supplier received for needs that still take declarations, newest
    first, each with `declared` (it has a live declaration on the need); one query. The
    buyer is shown through `{% buyer_label %}` (Need.buyer_label_for), never by name here."""
    live = Interest.objects.filter(need=OuterRef("need"), supplier=company).exclude(status=Interest.Status.WITHDRAWN)
    return list(
        Invitation.objects.filter(supplier=company, need__in=Need.objects.public().filter(status__in=DECLARABLE_STATUSES))
        .select_related("need__province", "need__sector", "need__buyer")
        .annotate(declared=Exists(live))
        .order_by("-created_at", "-pk")[:limit]
    )


def invited_supplier_ids(need: Need) -> set[int]:
    """The suppliers already invited to declare for a need (one query)."""
    return set(Invitation.objects.filter(need=need).values_list("supplier_id", flat=True))


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
