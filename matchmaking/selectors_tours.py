"""Reads for the tour pages and the statistics; every function runs a fixed number of queries."""

import datetime

from django.db.models import Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from companies.models import Sector
from exhibitions.models import Exhibition
from matchmaking.models import Tour, TourRegistration
from needs.models import Need

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


def organiser_tours(*, user) -> QuerySet[Tour]:
    qs = Tour.objects.select_related("exhibition__province")
    if not user.is_staff:
        qs = qs.filter(organiser=user)
    return with_seats(qs).annotate(
        attended=Coalesce(Sum("registrations__attended"), Value(0), output_field=IntegerField())
    ).order_by("-starts_at", "-id")


def held_tours() -> QuerySet[Tour]:
    """Tours that took place: marked held, or scheduled and already over."""
    return Tour.objects.filter(
        Q(status=Tour.Status.HELD) | Q(status=Tour.Status.SCHEDULED, ends_at__lte=timezone.now())
    )


def tour_figures() -> dict:
    """Tours held, attendees (people checked in) and companies that attended, in total and
    per province and per exhibition. Five queries whatever the data size."""
    held = held_tours()
    attended = TourRegistration.objects.filter(tour__in=held, status=CONFIRMED, attended__gt=0)
    totals = attended.aggregate(attendees=Sum("attended"), companies=Count("company", distinct=True))
    upcoming = Tour.objects.filter(status=Tour.Status.SCHEDULED, starts_at__gt=timezone.now()).count()

    tours_per_exhibition = dict(held.values("exhibition").annotate(n=Count("id")).values_list("exhibition", "n"))
    people_per_exhibition = {
        row["tour__exhibition"]: row
        for row in attended.values("tour__exhibition").annotate(
            attendees=Sum("attended"), companies=Count("company", distinct=True)
        )
    }
    exhibitions = Exhibition.objects.filter(pk__in=tours_per_exhibition.keys()).select_related("province").order_by(
        "province__slug", "slug"
    )
    by_exhibition = []
    by_province: dict[int, dict] = {}
    province_companies = {
        row["tour__exhibition__province"]: row["companies"]
        for row in attended.values("tour__exhibition__province").annotate(companies=Count("company", distinct=True))
    }
    for exhibition in exhibitions:
        people = people_per_exhibition.get(exhibition.pk, {})
        row = {
            "slug": exhibition.slug,
            "title_fa": exhibition.title_fa,
            "title_en": exhibition.title_en,
            "province": exhibition.province.slug,
            "tours_held": tours_per_exhibition.get(exhibition.pk, 0),
            "attendees": people.get("attendees") or 0,
            "companies": people.get("companies") or 0,
        }
        by_exhibition.append(row)
        province = by_province.setdefault(
            exhibition.province_id,
            {
                "slug": exhibition.province.slug,
                "name_fa": exhibition.province.name_fa,
                "name_en": exhibition.province.name_en,
                "tours_held": 0,
                "attendees": 0,
                "companies": province_companies.get(exhibition.province_id, 0),
            },
        )
        province["tours_held"] += row["tours_held"]
        province["attendees"] += row["attendees"]
    return {
        "tours_held": sum(tours_per_exhibition.values()),
        "tours_upcoming": upcoming,
        "tour_attendees": totals["attendees"] or 0,
        "tour_companies": totals["companies"] or 0,
        "tours_by_province": sorted(by_province.values(), key=lambda r: r["slug"]),
        "tours_by_exhibition": by_exhibition,
    }
