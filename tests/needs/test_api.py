"""/api/needs/ and /api/needs/<id>/: the catalogue's rows, filters and anonymity, as JSON."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from needs.models import NeedPhoto, NeedStatus
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    NeedFactory,
    displayed_need,
    isfahan_need,
    province,
    sector,
)

pytestmark = pytest.mark.django_db


def jpeg_upload(name: str) -> SimpleUploadedFile:
    """A real JPEG (Pillow), processed by the photo field like any upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 90, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]



# --- what is listed ----------------------------------------------------------------------
def test_lists_only_public_needs_with_count_and_fx_total(api):
    shown = displayed_need(annual_fx_usd=Decimal("1200000"))
    NeedFactory(status=NeedStatus.IDENTIFIED)
    NeedFactory(status=NeedStatus.WITHDRAWN, display_consent=True)
    response = api.get("/api/needs/")
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert ids(response) == [shown.pk]
    assert body["count"] == 1
    assert body["totals"] == {"annual_fx_usd": 1200000.0}
    assert body["next"] is None and body["previous"] is None


def test_a_need_row_carries_what_a_card_shows(api):
    buyer = CompanyFactory(name_fa="صنایع قطعه‌سازی کاوه", name_en="Kaveh Parts")
    need = displayed_need(buyer=buyer, hs_code="870830", annual_fx_usd=Decimal("250000"))
    row = api.get("/api/needs/").json()["results"][0]
    assert row["id"] == need.pk
    assert row["url"] == f"http://testserver/api/needs/{need.pk}/"
    assert row["title"] == "لنت ترمز" and row["title_en"] == "Brake pads"
    assert row["sector"] == {"slug": "auto-parts", "name_fa": sector("auto-parts").name_fa, "name_en": "Auto parts"}
    assert row["province"]["slug"] == "qom"
    assert row["hs_code"] == "870830"
    assert row["annual_fx_usd"] == 250000.0
    assert row["status"] == "on_display"
    assert row["buyer"] == {"anonymous": False, "name_fa": "صنایع قطعه‌سازی کاوه", "name_en": "Kaveh Parts"}
    assert row["shelf_place"] == {"exhibition": need.exhibition.slug, "shelf": need.shelf.code, "position": 1}
    assert row["photo"] is None


def test_persian_text_is_sent_as_utf8_not_escaped(api):
    displayed_need()
    assert "لنت ترمز".encode() in api.get("/api/needs/").content


# --- anonymity -----------------------------------------------------------------------------
def test_an_anonymous_buyer_is_only_a_manufacturer_in_its_province(api):
    hidden = CompanyFactory(name_fa="شرکت پنهان پارس", name_en="Hidden Pars Co", province=province("qom"))
    need = displayed_need(buyer=hidden, is_anonymous=True)
    for url in ("/api/needs/", f"/api/needs/{need.pk}/"):
        response = api.get(url)
        raw = response.content.decode()
        assert "پنهان" not in raw and "Hidden" not in raw
        assert set(_buyer(response.json())) == {"anonymous", "name_fa", "name_en"}  # no id, no link
        assert hidden.national_id not in raw
    buyer = api.get(f"/api/needs/{need.pk}/").json()["buyer"]
    assert buyer == {"anonymous": True, "name_fa": "یک واحد تولیدی در استان قم", "name_en": "a manufacturer in Qom"}


def _buyer(body):
    return body["results"][0]["buyer"] if "results" in body else body["buyer"]


def test_searching_an_anonymous_buyers_name_finds_nothing(api):
    hidden = CompanyFactory(name_fa="شرکت پنهان پارس")
    displayed_need(buyer=hidden, is_anonymous=True)
    assert ids(api.get("/api/needs/", {"q": "پنهان"})) == []


def test_no_buyer_identifier_is_ever_sent(api):
    need = displayed_need()
    row = api.get(f"/api/needs/{need.pk}/").json()
    assert set(row["buyer"]) == {"anonymous", "name_fa", "name_en"}
    assert need.buyer.national_id not in json.dumps(row)


# --- filters: the catalogue's own -----------------------------------------------------------
def test_filters_province_sector_and_fx_min(api, isfahan_shelf):
    wanted = isfahan_need(isfahan_shelf, annual_fx_usd=Decimal("2500000"))
    isfahan_need(isfahan_shelf, annual_fx_usd=Decimal("400000"))
    isfahan_need(isfahan_shelf, annual_fx_usd=Decimal("3000000"), sector=sector("textile"))
    displayed_need(annual_fx_usd=Decimal("5000000"))
    response = api.get("/api/needs/", {"province": "isfahan", "sector": "auto-parts", "fx_min": "1000000"})
    assert ids(response) == [wanted.pk]
    assert response.json()["totals"]["annual_fx_usd"] == 2500000.0


def test_filters_fx_max_typed_in_persian_digits(api):
    small = displayed_need(annual_fx_usd=Decimal("90000"))
    displayed_need(annual_fx_usd=Decimal("900000"))
    assert ids(api.get("/api/needs/", {"fx_max": "۱۰۰٬۰۰۰"})) == [small.pk]


def test_filters_exhibition_status_and_hs(api, isfahan_shelf):
    in_isfahan = isfahan_need(isfahan_shelf, hs_code="400912")
    other = displayed_need(hs_code="870830")
    other.status = NeedStatus.IN_TALKS
    other.save()
    assert ids(api.get("/api/needs/", {"exhibition": "isfahan"})) == [in_isfahan.pk]
    assert ids(api.get("/api/needs/", {"status": "in_talks"})) == [other.pk]
    assert ids(api.get("/api/needs/", {"hs": "۴۰۰۹"})) == [in_isfahan.pk]


def test_text_search_normalises_arabic_letters(api):
    need = displayed_need(title="کیسه پلاستیکی")
    displayed_need(title="لنت ترمز")
    assert ids(api.get("/api/needs/", {"q": "كيسه"})) == [need.pk]


def test_sorts(api):
    small = displayed_need(annual_fx_usd=Decimal("100"), title_en="Zinc")
    big = displayed_need(annual_fx_usd=Decimal("900"), title_en="Anode")
    assert ids(api.get("/api/needs/")) == [big.pk, small.pk]
    assert ids(api.get("/api/needs/", {"sort": "fx"})) == [small.pk, big.pk]
    assert ids(api.get("/api/needs/", {"sort": "newest"})) == [big.pk, small.pk]
    assert ids(api.get("/api/needs/", {"sort": "title"}, HTTP_ACCEPT_LANGUAGE="en")) == [big.pk, small.pk]


# --- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "field,value",
    [
        ("province", "atlantis"), ("sector", "x"), ("exhibition", "nowhere"), ("status", "withdrawn"),
        ("hs", "abc"), ("hs", "1"), ("fx_min", "lots"), ("fx_min", "-5"), ("fx_max", "1e999999"),
        ("sort", "price"), ("q", "a\x00b"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(api, field, value):
    displayed_need()
    response = api.get("/api/needs/", {field: value})
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert errors[field] and all(isinstance(message, str) and message for message in errors[field])


def test_an_unknown_choice_is_refused_not_shown_all(api):
    errors = api.get("/api/needs/", {"province": "atlantis"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert errors == {"province": ["Select a valid choice. atlantis is not one of the available choices."]}


def test_an_upper_fx_bound_below_the_lower_finds_nothing(api):
    # Each bound is a valid value on its own, as the schema says; together they admit no
    # amount, so the answer is an empty list (the catalogue page says which bound is wrong).
    displayed_need(annual_fx_usd=Decimal(300))
    response = api.get("/api/needs/", {"fx_min": "500", "fx_max": "100"})
    assert ids(response) == [] and response.json()["count"] == 0


def test_errors_follow_accept_language(api):
    fa = api.get("/api/needs/", {"fx_min": "lots"}).json()["fx_min"][0]
    en = api.get("/api/needs/", {"fx_min": "lots"}, HTTP_ACCEPT_LANGUAGE="en").json()["fx_min"][0]
    assert en == "Enter an amount in dollars, e.g. 1000000."
    assert fa != en


def test_withdrawn_hidden_and_missing_needs_are_404(api):
    hidden = NeedFactory(status=NeedStatus.IDENTIFIED)
    no_consent = displayed_need()
    no_consent.status = NeedStatus.IDENTIFIED
    no_consent.display_consent = False
    no_consent.save()
    for pk in (hidden.pk, no_consent.pk, 999999):
        response = api.get(f"/api/needs/{pk}/")
        assert response.status_code == 404
        assert "detail" in response.json()


def test_detail_has_description_and_all_photos_primary_first(api, tmp_path):
    need = displayed_need(description="شرح کامل", description_en="Full description")
    second = NeedPhoto.objects.create(need=need, image=jpeg_upload("b.jpg"), order=2, caption="پشت")
    first = NeedPhoto.objects.create(need=need, image=jpeg_upload("a.jpg"), order=1, is_primary=True)
    body = api.get(f"/api/needs/{need.pk}/").json()
    assert body["description"] == "شرح کامل" and body["description_en"] == "Full description"
    assert [p["url"] for p in body["photos"]] == [
        f"http://testserver{first.image.url}", f"http://testserver{second.image.url}",
    ]
    assert body["photos"][0]["thumbnail_url"].startswith("http://testserver/media/")
    assert body["photo"] == body["photos"][0]


def test_writes_are_refused(api):
    need = displayed_need()
    assert api.post("/api/needs/", {}, content_type="application/json").status_code == 405
    assert api.delete(f"/api/needs/{need.pk}/").status_code == 405
    assert api.put(f"/api/needs/{need.pk}/", {}, content_type="application/json").status_code == 405


# --- pagination and query budget -------------------------------------------------------------
def test_pages_of_20_by_default_up_to_100_on_request(api, isfahan_shelf):
    for n in range(105):
        isfahan_need(isfahan_shelf, annual_fx_usd=Decimal(1000 + n), shelf_position=n + 1)
    first = api.get("/api/needs/").json()
    assert first["count"] == 105 and len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/needs/?page=2"
    assert len(api.get("/api/needs/", {"page_size": 100}).json()["results"]) == 100
    assert len(api.get("/api/needs/", {"page_size": 5000}).json()["results"]) == 100  # capped
    last = api.get("/api/needs/", {"page": 6}).json()
    assert len(last["results"]) == 5 and last["next"] is None
    past_the_end = api.get("/api/needs/", {"page": 7})
    assert past_the_end.status_code == 404 and "detail" in past_the_end.json()
    assert api.get("/api/needs/", {"page": "x"}).status_code == 400  # not a page number at all


def test_filters_survive_pagination_links(api, isfahan_shelf):
    for n in range(25):
        isfahan_need(isfahan_shelf, shelf_position=n + 1)
    displayed_need()
    body = api.get("/api/needs/", {"province": "isfahan"}).json()
    assert body["count"] == 25
    assert "province=isfahan" in body["next"] and "page=2" in body["next"]


def _photo_rows(shelf, n):
    for i in range(n):
        need = isfahan_need(shelf, annual_fx_usd=Decimal(1000 + i), shelf_position=i + 1, is_anonymous=i % 2 == 0)
        NeedPhoto.objects.create(need=need, image=jpeg_upload(f"p{i}.jpg"), is_primary=True)


def test_a_page_runs_the_same_few_queries_at_20_and_100_rows(api, isfahan_shelf, django_assert_max_num_queries):
    _photo_rows(isfahan_shelf, 100)
    counts = {}
    for size in (20, 100):
        with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as ctx:
            response = api.get("/api/needs/", {"page_size": size, "sector": "auto-parts", "q": "لنت"})
        assert len(response.json()["results"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts[20] == counts[100]
    print(f"/api/needs/ queries per page: {counts}")


# --- the schema declares what the filters really accept --------------------------------------
def _parameters(api, path="/api/needs/") -> dict:
    schema = api.get("/api/schema/", {"format": "json"}).json()
    return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}


def _declared(schema: dict, value: str) -> bool:
    if "enum" in schema:
        return value in schema["enum"]
    return re.search(schema["pattern"], value) is not None


@pytest.mark.parametrize(
    "field,value",
    [
        ("hs", "8708"), ("hs", "۸۷۰۸"), ("hs", "٨٧"), ("hs", "87.08.30"), ("hs", "87-08 30"), ("hs", "8708301234"),
        ("hs", "🟻"), ("hs", "1"), ("hs", "87083012345"), ("hs", "abc"), ("hs", ""), ("hs", " . "),
        ("fx_min", "1000000"), ("fx_min", "1,000,000"), ("fx_min", "۱٬۰۰۰٬۰۰۰"), ("fx_min", "2500.5"),
        ("fx_min", "۲۵۰۰٫۷۵"), ("fx_min", "999999999999.99"), ("fx_min", "0"),
        ("fx_min", "-5"), ("fx_min", "lots"), ("fx_min", "1e3"), ("fx_min", "1.234"), ("fx_min", "1000000000000"),
        ("fx_min", "1,0,0"), ("fx_min", ""), ("fx_min", " 5"),
        ("q", "لنت"), ("q", "a b"), ("q", "a\x00b"), ("q", ""),
    ],
)
def test_a_value_is_accepted_exactly_when_the_schema_admits_it(api, field, value):
    displayed_need()
    declared = _declared(_parameters(api)[field], value)
    response = api.get("/api/needs/", {field: value})
    assert response.status_code == (200 if declared else 400), (declared, response.content)
    if not declared:
        assert list(response.json()) == [field]


def test_the_choices_declared_are_the_choices_accepted(api, isfahan_shelf):
    isfahan_need(isfahan_shelf)
    ExhibitionFactory(slug="fars-planned", province=province("fars"), status="planned", opened_on=None)
    params = _parameters(api)
    assert "isfahan" in params["exhibition"]["enum"] and "fars-planned" not in params["exhibition"]["enum"]
    assert "v" not in params["exhibition"]["enum"]
    assert len(params["province"]["enum"]) == 31 and "auto-parts" in params["sector"]["enum"]
    assert params["status"]["enum"] == ["contracted", "in_talks", "on_display"]
    assert set(params["sort"]["enum"]) == {"-fx", "fx", "newest", "title"}
    for field in ("exhibition", "province", "sector", "status", "sort"):
        for value in params[field]["enum"]:
            assert api.get("/api/needs/", {field: value}).status_code == 200, (field, value)
    for field, value in [("exhibition", "v"), ("exhibition", "fars-planned"), ("sort", ""), ("province", "")]:
        response = api.get("/api/needs/", {field: value})
        assert response.status_code == 400 and list(response.json()) == [field], (field, value)


def test_a_need_id_beyond_any_row_is_a_404_not_an_error(api):
    for url in ("/api/needs/99999999999999999999/", "/api/needs/0/", "/api/needs/AAA/", "/api/needs/-1/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json" and "detail" in response.json(), url


def test_every_refused_filter_is_named_at_once(api):
    response = api.get("/api/needs/", {"province": "atlantis", "hs": "🟻", "page": "x"})
    assert response.status_code == 400 and set(response.json()) == {"province", "hs", "page"}
