"""/api/tours/: the same rows as the public pages."""

import datetime
import re

import jdatetime
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.text import to_persian_digits
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


# --- strict filters, declared as read ----------------------------------------------------------
def _parameters(api) -> dict:
    schema = api.get("/api/schema/", {"format": "json"}).json()
    return {p["name"]: p["schema"] for p in schema["paths"]["/api/tours/"]["get"]["parameters"]}


def _ids(api, params) -> list[int]:
    response = api.get("/api/tours/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_past_is_true_or_false_and_anything_else_is_a_400(api):
    upcoming = TourFactory()
    past = TourFactory(starts_at=timezone.now() - datetime.timedelta(days=3))
    assert _ids(api, {"past": "false"}) == [upcoming.pk]
    assert set(_ids(api, {"past": "true"})) == {upcoming.pk, past.pk}
    for value in ("0", "abc", "1", "on", ""):
        response = api.get("/api/tours/", {"past": value})
        assert response.status_code == 400 and list(response.json()) == ["past"], value
    assert _parameters(api)["past"] == {"type": "boolean"}


def test_dates_are_iso_gregorian_or_jalali_with_slashes(api):
    tour = TourFactory()
    day = timezone.localtime(tour.starts_at).date()
    jalali = jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    assert _ids(api, {"date_from": day.isoformat(), "date_to": day.isoformat()}) == [tour.pk]
    assert _ids(api, {"date_from": jalali, "date_to": jalali}) == [tour.pk]
    assert _ids(api, {"date_from": to_persian_digits(jalali), "date_to": jalali}) == [tour.pk]
    assert _ids(api, {"date_from": "1403/12/30"}) == [tour.pk]  # 1403 is a leap year
    # Every RFC 3339 date is one, whatever its year: the calendar's ends find what they should.
    assert _ids(api, {"date_from": "0001-01-01", "date_to": "9999-12-31"}) == [tour.pk]
    assert _ids(api, {"date_from": "9999-12-31"}) == []


@pytest.mark.parametrize(
    "value", ["2024-1-01", "2024-13-01", "2023-02-29", "2024-04-31", "1404/12/30", "1404/7/31", "1404/07/31",
              "1404-08-15x", "۱۴۰۴/۱۲/۳۰", "2025/11/06", "", "tomorrow"],
)
def test_a_date_the_schema_refuses_is_a_400(api, value):
    declared = _parameters(api)["date_from"]
    assert not any(_admits(branch, value) for branch in declared["anyOf"])
    response = api.get("/api/tours/", {"date_from": value})
    assert response.status_code == 400 and list(response.json()) == ["date_from"]


def _admits(branch: dict, value: str) -> bool:
    if branch.get("format") == "date":
        try:
            return datetime.date.fromisoformat(value) is not None and len(value) == 10
        except ValueError:
            return False
    return re.search(branch["pattern"], value) is not None


def test_a_reversed_date_range_finds_nothing(api):
    tour = TourFactory()
    day = timezone.localtime(tour.starts_at).date()
    later = (day + datetime.timedelta(days=3)).isoformat()
    assert _ids(api, {"date_from": later, "date_to": day.isoformat()}) == []


def test_the_choices_declared_are_the_choices_accepted(api):
    TourFactory(exhibition=ExhibitionFactory(province=province("fars"), slug="fars-main"))
    ExhibitionFactory(slug="yazd-planned", province=province("yazd"), status="planned", opened_on=None)
    params = _parameters(api)
    assert "fars-main" in params["exhibition"]["enum"] and "yazd-planned" not in params["exhibition"]["enum"]
    assert "fars" in params["province"]["enum"] and "yazd" not in params["province"]["enum"]
    assert "textile" in params["sector"]["enum"]
    for field in ("exhibition", "province", "sector"):
        for value in params[field]["enum"]:
            assert api.get("/api/tours/", {field: value}).status_code == 200, (field, value)
        for value in ("v", ""):
            response = api.get("/api/tours/", {field: value})
            assert response.status_code == 400 and list(response.json()) == [field], (field, value)


def test_a_tour_id_beyond_any_row_is_a_json_404(api):
    for url in ("/api/tours/99999999999999999999/", "/api/tours/AAA/"):
        response = api.get(url)
        assert response.status_code == 404 and "detail" in response.json(), url
