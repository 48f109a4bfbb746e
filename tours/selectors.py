"""Reads for the tour pages and the statistics; every function runs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from companies.models import Sector
from companies.selectors import matching_companies
from exhibitions.models import Exhibition
from exhibitions.selectors import scope_to_staff
from needs.models import Need
from tours.check_in import read_check_in_code
from tours.models import Tour, TourMessage, TourRegistration, checked_in
from tours.policies import is_tour_organiser

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


CHECKED_IN = Q(status=CONFIRMED) & checked_in()
NOT_ATTENDED = Q(status=CONFIRMED) & ~checked_in()


def tour_ended(tour: Tour, now: datetime.datetime) -> bool:
    return tour.status != Tour.Status.CANCELLED and tour.ends_at <= now


@dataclass
class Desk:
    """A tour's registrations as the organiser's desk shows them (each list in registration
    order, the waiting list in the order it is served), with the counts of the whole tour
    whatever the search."""

    confirmed: list[TourRegistration] = field(default_factory=list)
    waitlisted: list[TourRegistration] = field(default_factory=list)
    checked_in: list[TourRegistration] = field(default_factory=list)
    no_shows: list[TourRegistration] = field(default_factory=list)
    cancelled: list[TourRegistration] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    ended: bool = False
    messages: list[TourMessage] = field(default_factory=list)


def tour_desk(*, tour: Tour, query: str = "", now: datetime.datetime | None = None) -> Desk:
    """The desk of one tour: confirmed registrations, the waiting list, who checked in and,
    once the tour has ended, the no-shows (confirmed, not checked in or none came); the
    companies whose name matches ``query`` (Persian-normalised, every word), and the
    messages sent. Three queries whatever the number of registrations."""
    now = now or timezone.now()
    ended = tour_ended(tour, now)
    rows = TourRegistration.objects.filter(tour=tour).select_related("company__province").order_by("created_at", "id")
    rows = matching_companies(rows, query, path="company__")
    desk = Desk(ended=ended)
    for r in rows:
        if r.status == CONFIRMED:
            desk.confirmed.append(r)
            if r.is_checked_in:
                desk.checked_in.append(r)
            elif ended:
                desk.no_shows.append(r)
        elif r.status == WAITLISTED:
            desk.waitlisted.append(r)
        else:
            desk.cancelled.append(r)
    counts = TourRegistration.objects.filter(tour=tour).aggregate(
        confirmed=Count("pk", filter=Q(status=CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=WAITLISTED)),
        checked_in=Count("pk", filter=CHECKED_IN),
        not_attended=Count("pk", filter=NOT_ATTENDED),
        cancelled=Count("pk", filter=Q(status=TourRegistration.Status.CANCELLED)),
        confirmed_people=Coalesce(Sum("attendees", filter=Q(status=CONFIRMED)), 0),
        attended_people=Coalesce(Sum("attended", filter=Q(status=CONFIRMED)), 0),
    )
    counts["no_shows"] = counts.pop("not_attended") if ended else 0
    desk.counts = counts
    desk.messages = list(TourMessage.objects.filter(tour=tour).select_related("sent_by").order_by("-sent_at", "-id")[:20])
    return desk


def registration_for_check_in(*, code: str) -> TourRegistration | None:
    """The registration a genuine check-in code names, with its tour and company; None for a
    forged or altered code, or one whose registration is gone."""
    ids = read_check_in_code(code)
    if ids is None:
        return None
    registration_id, tour_id = ids
    return (
        TourRegistration.objects.select_related("tour__exhibition__province", "company__province")
        .filter(pk=registration_id, tour_id=tour_id)
        .first()
    )


def series_figures(*, series, user, now: datetime.datetime | None = None) -> dict | None:
    """No-show figures of one series of tours, those of it ``user`` manages (None when none):
    per tour the seats registered (confirmed), the people who came, the no-shows and the
    no-show rate (per cent) once the tour has ended, and the totals of the ended tours. One query."""
    now = now or timezone.now()
    tours = list(
        managed_tours(user=user).filter(series=series).annotate(
            registered=Coalesce(
                Sum("registrations__attendees", filter=Q(registrations__status=CONFIRMED)), Value(0),
                output_field=IntegerField(),
            ),
            came=Coalesce(
                Sum("registrations__attended", filter=Q(registrations__status=CONFIRMED)), Value(0),
                output_field=IntegerField(),
            ),
            companies=Count("registrations", filter=Q(registrations__status=CONFIRMED)),
            absent_companies=Count(
                "registrations",
                filter=Q(registrations__status=CONFIRMED) & ~checked_in("registrations__"),
            ),
        ).order_by("starts_at", "id")
    )
    if not tours:
        return None
    total = {"registered": 0, "came": 0, "no_shows": 0, "companies": 0, "absent_companies": 0, "tours": 0}
    for tour in tours:
        tour.ended = tour_ended(tour, now)
        tour.no_shows = tour.registered - tour.came if tour.ended else None
        tour.no_show_rate = _rate(tour.no_shows, tour.registered) if tour.ended else None
        if tour.ended:
            total["tours"] += 1
            for key in ("registered", "came", "no_shows", "companies", "absent_companies"):
                total[key] += getattr(tour, key)
    total["no_show_rate"] = _rate(total["no_shows"], total["registered"])
    return {"tours": tours, "total": total, "first": tours[0]}


def _rate(part: int, whole: int) -> int | None:
    """A share in whole per cent (None of nothing)."""
    return round(100 * part / whole) if whole else None


def tour_exhibitions(*, user) -> QuerySet[Exhibition]:
    """The open exhibitions where ``user`` may schedule tours: staff at their provinces'
    exhibitions (national staff at every one), other tour organisers at any. The one
    definition of that rule: the scheduling form offers these and ``tour_create`` refuses
    any other."""
    qs = Exhibition.objects.open().select_related("province")
    return scope_to_staff(qs, user, "province") if user.is_staff else qs


def managed_tours(*, user) -> QuerySet[Tour]:
    """The tours ``user`` manages, as tours.policies.can_manage_tour decides for one tour:
    none unless the user is an organiser (is_tour_organiser), staff those of their
    provinces, other organisers their own."""
    if not is_tour_organiser(user):
        return Tour.objects.none()
    qs = Tour.objects.select_related("exhibition__province")
    return scope_to_staff(qs, user, "exhibition__province") if user.is_staff else qs.filter(organiser=user)


def organiser_tours(*, user) -> QuerySet[Tour]:
    """The tours ``user`` manages, latest first, with their seats and attendance."""
    return with_seats(managed_tours(user=user)).annotate(
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
        TourRegistration.objects.filter(_held(now, "tour__"), checked_in(), status=CONFIRMED)
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
