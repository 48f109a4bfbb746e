"""/api/exhibitions/: the same rows as the public pages."""

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

