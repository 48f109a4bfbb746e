"""Reads for the tour pages and the statistics; every function runs a fixed number of queries."""

import datetime

from django.db.models import Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from companies.models import Sector
from exhibitions.models import Exhibition
from exhibitions.selectors import scope_to_staff
from needs.models import Need
from tours.models import Tour, TourRegistration

CONFIRMED = TourRegistration.Status.CONFIRMED
WAITLISTED = TourRegistration.Status.WAITLISTED


def with_seats(qs: QuerySet[Tour]) -> QuerySet[Tour]:
    return qs.annotate(
        seats_taken=Coalesce(
            Sum("registrations__attendees", filter=Q(registrations__status=CONFIRMED)), Value(0),
            output_field=IntegerField(),
        ),
        waitlisted=Count("registrations", filter=Q(registrations__status=WAITLISTED)),
    ).annotate(seats_left=Greatest(F("capacity") - F("seats_taken"), Value(0), output_field=IntegerField()))


def tour_list(*, filters: dict | None = None, now: datetime.datetime | None = None) -> QuerySet[Tour]:
    """Public tours, soonest first; upcoming scheduled ones unless ``past`` is asked for.
    ``filters`` is the cleaned data of TourFilterForm."""
    filters = filters or {}
    now = now or timezone.now()
    qs = Tour.objects.select_related("exhibition__province").prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("id"))
    )
    if not filters.get("past"):
        qs = qs.filter(status=Tour.Status.SCHEDULED, starts_at__gt=now)
    if filters.get("province"):
        qs = qs.filter(exhibition__province=filters["province"])
    if filters.get("exhibition"):
        qs = qs.filter(exhibition=filters["exhibition"])
    if filters.get("sector"):
        qs = qs.filter(sectors=filters["sector"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        qs = qs.filter(starts_at__gte=datetime.datetime.combine(filters["date_from"], datetime.time.min, tz))
    if filters.get("date_to"):
        day_after = filters["date_to"] + datetime.timedelta(days=1)
        qs = qs.filter(starts_at__lt=datetime.datetime.combine(day_after, datetime.time.min, tz))
    return with_seats(qs).order_by("starts_at", "id")


def tour_detail(*, pk: int) -> Tour:
    return with_seats(
        Tour.objects.select_related("exhibition__province", "exhibition__town", "organiser").prefetch_related("sectors")
    ).get(pk=pk)


def tour_needs_on_display(*, tour: Tour, limit: int = 12) -> list[Need]:
    """Needs whose samples visitors will see on this tour: on display at its exhibition,
    in its sectors of focus (all sectors when the tour names none), largest FX first."""
    qs = Need.objects.public().filter(exhibition_id=tour.exhibition_id)
    sector_ids = [s.pk for s in tour.sectors.all()]
    if sector_ids:
        qs = qs.filter(sector_id__in=sector_ids)
    return list(qs.with_list_related().order_by("-annual_fx_usd", "id")[:limit])


def registration_for(*, tour: Tour, company) -> TourRegistration | None:
    if company is None:
        return None
    return TourRegistration.objects.filter(tour=tour, company=company).first()


def tour_roster(*, tour: Tour) -> list[TourRegistration]:
    """Confirmed registrations first, then the waiting list in order, then cancelled ones."""
    order = {CONFIRMED: 0, WAITLISTED: 1, TourRegistration.Status.CANCELLED: 2}
    rows = list(
        TourRegistration.objects.filter(tour=tour).select_related("company__province", "registered_by")
        .order_by("created_at", "id")
    )
    return sorted(rows, key=lambda r: order[r.status])


def tour_exhibitions(*, user) -> QuerySet[Exhibition]:
    """The open exhibitions where ``user`` may schedule tours: staff at their provinces'
    exhibitions (national staff at every one), other tour organisers at any. The one
    definition of that rule: the scheduling form offers these and ``tour_create`` refuses
    any other."""
    qs = Exhibition.objects.open().select_related("province")
    return scope_to_staff(qs, user, "province") if user.is_staff else qs


def organiser_tours(*, user) -> QuerySet[Tour]:
    """The tours ``user`` manages (as tours.policies.can_manage_tour decides):
    staff those of their provinces, other organisers their own."""
    qs = Tour.objects.select_related("exhibition__province")
    qs = scope_to_staff(qs, user, "exhibition__province") if user.is_staff else qs.filter(organiser=user)
    return with_seats(qs).annotate(
        attended=Coalesce(Sum("registrations__attended"), Value(0), output_field=IntegerField())
    ).order_by("-starts_at", "-id")


def _held(now: datetime.datetime, prefix: str = "") -> Q:
    """Tours that took place: marked held, or scheduled and already over."""
    return Q(**{f"{prefix}status": Tour.Status.HELD}) | Q(
        **{f"{prefix}status": Tour.Status.SCHEDULED, f"{prefix}ends_at__lte": now}
    )


def _count_visits(visits, province_of: dict[int, int]) -> tuple[dict[int, dict], dict[int, set], set[int], int]:
    """People and companies per exhibition, companies per province and in total, and all
    attendees, from the (exhibition, company, people) rows of held tours."""
    people: dict[int, dict] = {}
    province_companies: dict[int, set] = {}
    all_companies: set[int] = set()
    attendees = 0
    for visit in visits:
        exhibition_id, company_id = visit["tour__exhibition"], visit["company"]
        if exhibition_id not in province_of:  # its tour was marked held between the two queries
            continue
        row = people.setdefault(exhibition_id, {"attendees": 0, "companies": 0})
        row["attendees"] += visit["people"]
        row["companies"] += 1
        province_companies.setdefault(province_of[exhibition_id], set()).add(company_id)
        all_companies.add(company_id)
        attendees += visit["people"]
    return people, province_companies, all_companies, attendees


def _rows_per_exhibition_and_province(exhibitions, people, province_companies) -> tuple[list[dict], list[dict]]:
    by_exhibition = []
    by_province: dict[int, dict] = {}
    for exhibition in exhibitions:
        counted = people.get(exhibition["exhibition"], {})
        row = {
            "slug": exhibition["exhibition__slug"],
            "title_fa": exhibition["exhibition__title_fa"],
            "title_en": exhibition["exhibition__title_en"],
            "province": exhibition["exhibition__province__slug"],
            "tours_held": exhibition["held"],
            "attendees": counted.get("attendees", 0),
            "companies": counted.get("companies", 0),
        }
        by_exhibition.append(row)
        province_id = exhibition["exhibition__province"]
        province = by_province.setdefault(province_id, {
            "slug": exhibition["exhibition__province__slug"],
            "name_fa": exhibition["exhibition__province__name_fa"],
            "name_en": exhibition["exhibition__province__name_en"],
            "tours_held": 0,
            "attendees": 0,
            "companies": len(province_companies.get(province_id, ())),
        })
        province["tours_held"] += row["tours_held"]
        province["attendees"] += row["attendees"]
    return by_exhibition, sorted(by_province.values(), key=lambda r: r["slug"])


def tour_figures() -> dict:
    """Tours held, attendees (people checked in) and companies that attended, in total and
    per province and per exhibition. Two queries whatever the data size: the tours counted
    per exhibition, and the people of each company at each exhibition's held tours (a
    company that came to several exhibitions counts once in its province and in total)."""
    now = timezone.now()
    held = _held(now)
    upcoming = Q(status=Tour.Status.SCHEDULED, starts_at__gt=now)
    tours = list(
        Tour.objects.filter(held | upcoming)
        .order_by()
        .values(
            "exhibition", "exhibition__slug", "exhibition__title_fa", "exhibition__title_en",
            "exhibition__province", "exhibition__province__slug",
            "exhibition__province__name_fa", "exhibition__province__name_en",
        )
        .annotate(held=Count("pk", filter=held), upcoming=Count("pk", filter=upcoming))
    )
    visits = (
        TourRegistration.objects.filter(_held(now, "tour__"), status=CONFIRMED, attended__gt=0)
        .order_by()
        .values("tour__exhibition", "company")
        .annotate(people=Sum("attended"))
    )
    exhibitions = sorted(
        (row for row in tours if row["held"]),
        key=lambda row: (row["exhibition__province__slug"], row["exhibition__slug"]),
    )
    province_of = {row["exhibition"]: row["exhibition__province"] for row in exhibitions}
    people, province_companies, all_companies, attendees = _count_visits(visits, province_of)
    by_exhibition, by_province = _rows_per_exhibition_and_province(exhibitions, people, province_companies)
    return {
        "tours_held": sum(row["held"] for row in exhibitions),
        "tours_upcoming": sum(row["upcoming"] for row in tours),
        "tour_attendees": attendees,
        "tour_companies": len(all_companies),
        "tours_by_province": by_province,
        "tours_by_exhibition": by_exhibition,
    }
