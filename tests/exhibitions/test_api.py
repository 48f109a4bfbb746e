"""/api/exhibitions/: the same rows as the public pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from needs.models import NeedStatus
from tests.factories import (
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    displayed_need,
    province,
)

pytestmark = pytest.mark.django_db


def test_exhibition_list_counts_public_needs_only(api):
    exhibition = ExhibitionFactory(slug="qom-main")
    shelf = ShelfFactory(exhibition=exhibition)
    displayed_need(shelf=shelf)
    displayed_need(shelf=shelf)
    hidden = displayed_need(shelf=shelf)
    hidden.status = NeedStatus.WITHDRAWN
    hidden.save()
    NeedFactory(status=NeedStatus.IDENTIFIED)
    ExhibitionFactory(slug="mazandaran", province=province("mazandaran"), status="equipping", opened_on=None)
    body = api.get("/api/exhibitions/").json()
    rows = {row["slug"]: row for row in body["results"]}
    assert rows["qom-main"]["needs_on_display"] == 2
    assert rows["mazandaran"]["needs_on_display"] == 0 and rows["mazandaran"]["status"] == "equipping"
    assert rows["qom-main"]["province"] == {"slug": "qom", "name_fa": "قم", "name_en": "Qom"}
    assert rows["qom-main"]["needs_url"] == "http://testserver/api/needs/?exhibition=qom-main"
    assert rows["qom-main"]["url"] == "http://testserver/api/exhibitions/qom-main/"



def test_exhibition_filters(api):
    ExhibitionFactory(slug="qom-main", is_pilot=True)
    ExhibitionFactory(slug="fars-main", province=province("fars"), status="planned", opened_on=None)

    def slugs(params):
        response = api.get("/api/exhibitions/", params)
        assert response.status_code == 200
        return [row["slug"] for row in response.json()["results"]]

    assert slugs({"province": "fars"}) == ["fars-main"]
    assert slugs({"status": "open"}) == ["qom-main"]
    assert slugs({"pilot": "true"}) == ["qom-main"]
    assert api.get("/api/exhibitions/", {"status": "flooded"}).status_code == 400



def test_exhibition_detail_and_404(api):
    ExhibitionFactory(slug="qom-main", phone="025-1234")
    body = api.get("/api/exhibitions/qom-main/").json()
    assert body["slug"] == "qom-main" and body["phone"] == "025-1234" and body["opened_on"] == "2025-10-04"
    assert api.get("/api/exhibitions/nowhere/").status_code == 404



def test_exhibition_list_runs_one_query_whatever_its_length(api):
    for slug in ("qom", "tehran", "fars", "yazd", "gilan"):
        exhibition = ExhibitionFactory(slug=f"{slug}-main", province=province(slug))
        displayed_need(shelf=ShelfFactory(exhibition=exhibition), province=province(slug))
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/api/exhibitions/", {"page_size": 100})
    assert len(response.json()["results"]) == 5
    assert len(ctx.captured_queries) == 2  # count + rows (with the needs-on-display subquery)



# --- strict filters, declared as read ----------------------------------------------------------
def _parameters(api) -> dict:
    schema = api.get("/api/schema/", {"format": "json"}).json()
    return {p["name"]: p["schema"] for p in schema["paths"]["/api/exhibitions/"]["get"]["parameters"]}


def test_pilot_is_true_or_false_and_anything_else_is_a_400(api):
    ExhibitionFactory(slug="qom-main", is_pilot=True)
    ExhibitionFactory(slug="fars-main", province=province("fars"))

    def slugs(value):
        response = api.get("/api/exhibitions/", {"pilot": value})
        assert response.status_code == 200, response.content
        return [row["slug"] for row in response.json()["results"]]

    assert slugs("true") == ["qom-main"]
    assert slugs("false") == ["fars-main"]
    for value in ("abc", "2", "1", "0", "True", ""):
        response = api.get("/api/exhibitions/", {"pilot": value})
        assert response.status_code == 400 and list(response.json()) == ["pilot"], value
    assert _parameters(api)["pilot"] == {"type": "boolean"}


def test_an_unknown_province_or_status_is_a_400_by_field(api):
    ExhibitionFactory(slug="qom-main")
    params = _parameters(api)
    assert len(params["province"]["enum"]) == 31 and "qom" in params["province"]["enum"]
    assert set(params["status"]["enum"]) == {"planned", "equipping", "open", "closed"}
    for field, value in [("province", "atlantis"), ("province", ""), ("status", "flooded"), ("status", "")]:
        response = api.get("/api/exhibitions/", {field: value})
        assert response.status_code == 400 and list(response.json()) == [field], (field, value)


def test_checking_the_province_costs_one_query(api):
    ExhibitionFactory(slug="qom-main")
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/exhibitions/", {"province": "qom"})
    assert len(ctx.captured_queries) == 3  # the province's slug checked, count, rows


def test_opening_hours_are_declared_as_the_local_times_sent(api):
    ExhibitionFactory(slug="qom-main")
    row = api.get("/api/exhibitions/qom-main/").json()
    assert row["opens_at"] == "08:00:00" and row["closes_at"] == "16:00:00"
    schema = api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]["Exhibition"]["properties"]
    for name in ("opens_at", "closes_at"):
        declared = schema[name]
        # OpenAPI's `format: time` is RFC 3339's full-time, which needs a UTC offset.
        assert declared.get("format") != "time"
        assert re.search(declared["pattern"], row[name])
        assert not re.search(declared["pattern"], "8:00") and not re.search(declared["pattern"], "24:00:00")


def test_an_exhibition_url_that_is_no_slug_is_a_json_404(api):
    for url in ("/api/exhibitions/نمایشگاه/", "/api/exhibitions/a%20b/", "/api/exhibitions/nowhere/"):
        response = api.get(url)
        assert response.status_code == 404 and "detail" in response.json(), url
    schema = api.get("/api/schema/", {"format": "json"}).json()
    [slug] = schema["paths"]["/api/exhibitions/{slug}/"]["get"]["parameters"]
    assert slug["schema"]["pattern"] == "^[-a-zA-Z0-9_]+$"


def test_every_refused_filter_is_named_at_once(api):
    response = api.get("/api/exhibitions/", {"province": "atlantis", "pilot": "abc", "page_size": "-5"})
    assert response.status_code == 400 and set(response.json()) == {"province", "pilot", "page_size"}
