"""/api/tours/: the same rows as the public pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exhibitions.models import Exhibition
from tests.factories import (
    ExhibitionFactory,
    SupplierFactory,
    TourFactory,
    province,
    sector,
)
from tours.models import Tour, TourRegistration

pytestmark = pytest.mark.django_db


def test_tour_list_shows_upcoming_scheduled_tours_with_seats(api):
    tour = TourFactory(title="بازدید قطعه‌سازان", organiser_name="اتاق بازرگانی قم", capacity=10)
    tour.sectors.add(sector("auto-parts"))
    TourRegistration.objects.create(
        tour=tour, company=SupplierFactory(), attendees=3, status=TourRegistration.Status.CONFIRMED
    )
    TourFactory(status=Tour.Status.CANCELLED)
    past = TourFactory(starts_at=timezone.now() - datetime.timedelta(days=3))
    body = api.get("/api/tours/").json()
    assert [row["id"] for row in body["results"]] == [tour.pk]
    row = body["results"][0]
    assert row["title"] == "بازدید قطعه‌سازان" and row["organiser_name"] == "اتاق بازرگانی قم"
    assert row["seats_left"] == 7 and row["capacity"] == 10 and row["sectors"] == ["auto-parts"]
    assert row["exhibition"]["province"] == "qom"
    assert "organiser" not in row  # the organiser's user account is not public
    everything = [r["id"] for r in api.get("/api/tours/", {"past": "true"}).json()["results"]]
    assert past.pk in everything and tour.pk in everything


def test_tour_filters_and_bad_values(api):
    fars = TourFactory(exhibition=ExhibitionFactory(province=province("fars"), slug="fars-main"))
    TourFactory()
    assert [r["id"] for r in api.get("/api/tours/", {"province": "fars"}).json()["results"]] == [fars.pk]
    assert [r["id"] for r in api.get("/api/tours/", {"exhibition": "fars-main"}).json()["results"]] == [fars.pk]
    response = api.get("/api/tours/", {"province": "atlantis", "date_from": "1404/13/40"})
    assert response.status_code == 400
    assert set(response.json()) == {"province", "date_from"}


def test_tour_date_filters_take_jalali_or_gregorian(api):
    tour = TourFactory()
    day = timezone.localtime(tour.starts_at).date()
    after = (day + datetime.timedelta(days=1)).isoformat()
    assert [r["id"] for r in api.get("/api/tours/", {"date_from": day.isoformat()}).json()["results"]] == [tour.pk]
    assert api.get("/api/tours/", {"date_from": after}).json()["results"] == []


def test_tour_detail_includes_cancelled_tours_and_404s(api):
    cancelled = TourFactory(status=Tour.Status.CANCELLED, cancel_reason="تعطیلی رسمی")
    body = api.get(f"/api/tours/{cancelled.pk}/").json()
    assert body["status"] == "cancelled" and body["cancel_reason"] == "تعطیلی رسمی"
    assert api.get("/api/tours/999999/").status_code == 404


def test_tour_list_queries_do_not_grow_with_the_page(api):
    exhibition = ExhibitionFactory()
    for n in range(30):
        tour = TourFactory(exhibition=exhibition, starts_at=timezone.now() + datetime.timedelta(days=2, hours=n))
        tour.sectors.add(sector("textile"), sector("metal"))
    counts = {}
    for size in (5, 30):
        with CaptureQueriesContext(connection) as ctx:
            assert len(api.get("/api/tours/", {"page_size": size}).json()["results"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts[5] == counts[30] <= 3
    assert Exhibition.objects.count() == 1
