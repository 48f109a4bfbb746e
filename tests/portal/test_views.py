import re
from decimal import Decimal

import pytest

from needs.models import NeedStatus
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    SupplierFactory,
    displayed_need,
    province,
)

pytestmark = pytest.mark.django_db


def test_stats_count_needs_fx_and_companies_per_province_and_sector(client):
    qom_need = displayed_need(annual_fx_usd=Decimal("1000"))
    NeedFactory(buyer=qom_need.buyer, annual_fx_usd=Decimal("500"))
    NeedFactory(buyer=CompanyFactory(province=province("tehran")), annual_fx_usd=Decimal("7000"),
                sector=qom_need.sector.__class__.objects.get(slug="textile"))
    NeedFactory(annual_fx_usd=Decimal("999999"), status=NeedStatus.WITHDRAWN)  # not counted
    SupplierFactory()
    ExhibitionFactory(province=province("tehran"), status="planned", opened_on=None)

    stats = client.get("/api/stats/").json()

    assert stats["needs"] == 3
    assert stats["buyer_companies"] == 2
    assert stats["supplier_companies"] == 1
    assert stats["annual_fx_usd"] == 8500
    assert stats["provinces_with_open_exhibitions"] == 1
    by_province = {row["slug"]: row for row in stats["by_province"]}
    assert by_province["qom"]["needs"] == 2 and by_province["qom"]["annual_fx_usd"] == 1500
    assert by_province["qom"]["exhibition_status"] == "open"
    assert by_province["tehran"]["exhibition_status"] == "planned"
    assert by_province["yazd"]["needs"] == 0
    by_sector = {row["slug"]: row for row in stats["by_sector"]}
    assert by_sector["textile"]["annual_fx_usd"] == 7000
    assert len(by_sector) == 10


def _queries(url, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_stats_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    """The figures cost the same number of queries at 5 and at 50 needs, and are built once
    per data version: while nothing changes, the API and the page cost one cheap query."""
    from django.core.cache import cache

    for _ in range(5):
        displayed_need()
    cache.clear()
    cold_small = _queries("/api/stats/", client)
    for _ in range(45):
        displayed_need()
    cache.clear()
    assert _queries("/api/stats/", client) == cold_small
    with django_assert_max_num_queries(8):
        client.get("/api/stats/")
    with django_assert_max_num_queries(8):
        client.get("/stats/")
    with django_assert_max_num_queries(8):
        client.get("/en/stats/")


def test_liveness_is_the_process_answering(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_liveness_stays_200_and_readiness_is_503_while_the_database_is_down(client, monkeypatch):
    """An orchestrator restarts a process whose liveness fails: a database blip must not
    restart healthy app processes. The load balancer asks for readiness and stops sending
    requests meanwhile."""
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    assert client.get("/healthz").status_code == 200
    response = client.get("/healthz?ready=1")
    assert response.status_code == 503
    assert response.json()["database"] == "RuntimeError"


def test_home_shows_headline_figures_in_persian_and_english(client):
    displayed_need(annual_fx_usd=Decimal("1500000"))
    fa = client.get("/").content.decode()
    assert 'dir="rtl"' in fa and "۱٫۵ میلیون دلار" in fa
    en = client.get("/en/").content.decode()
    assert 'dir="ltr"' in en and "$1.5 million" in en


def _figure(html: str, name: str) -> str:
    import re

    return re.search(rf'data-figure="{name}">([^<]+)<', html).group(1)


def test_every_figure_on_the_statistics_page_agrees_with_the_api(client):
    from matchmaking.models import Interest

    need = displayed_need(annual_fx_usd=Decimal("2500000"))
    displayed_need(annual_fx_usd=Decimal("700000"), buyer=CompanyFactory(province=province("tehran")))
    supplier = SupplierFactory()
    Interest.objects.create(need=need, supplier=supplier, annual_capacity=10, lead_time_days=30)
    api = client.get("/api/stats/").json()
    en = client.get("/en/stats/").content.decode()
    fa = client.get("/stats/").content.decode()
    assert _figure(en, "needs") == f"{api['needs']:,}" and _figure(fa, "needs") == "۲"
    assert _figure(en, "companies") == f"{api['buyer_companies']:,}"
    assert _figure(en, "provinces") == str(api["provinces_with_open_exhibitions"])
    assert _figure(en, "fx") == "$3.2 million" and api["annual_fx_usd"] == 3200000
    assert _figure(en, "suppliers") == str(api["supplier_companies"])
    assert _figure(en, "declarations") == str(api["matchmaking"]["declarations"]) == "1"
    assert _figure(en, "meetings") == str(api["matchmaking"]["meetings"])
    assert _figure(en, "contracts") == str(api["matchmaking"]["contracts_signed"])
    for row in api["by_province"]:
        cells = en.split("data-province=\"" + row["slug"] + "\"><th scope=\"row\">", 1)[1].split("</tr>", 1)[0]
        assert f'<td class="num">{row["needs"]:,}</td>' in cells
    for row in api["by_sector"]:
        cells = en.split("data-sector=\"" + row["slug"] + "\"><th scope=\"row\">", 1)[1].split("</tr>", 1)[0]
        assert f'<td class="num">{row["needs"]:,}</td>' in cells


def test_statistics_page_draws_bars_a_rollout_and_a_tile_map_of_31_provinces(client):
    displayed_need()
    html = client.get("/stats/").content.decode()
    assert html.count('<g class="province"') == 31
    assert html.count("<svg class=\"chart") == 2 and html.count('<ol class="bar-list"') == 4
    # Pictures hold no link (a keyboard would stop in them); the table links each province.
    assert not re.search(r"<svg[^>]*>(?:(?!</svg>).)*<a ", html, re.DOTALL)
    assert '<a href="/needs/?province=qom">' in html
    assert 'data-province="qom"' in html and "<script" not in html


def test_stats_api_keeps_its_keys_and_adds_opening_dates(client):
    ExhibitionFactory(province=province("qom"))
    api = client.get("/api/stats/").json()
    assert {"provinces", "provinces_with_open_exhibitions", "needs", "buyer_companies", "supplier_companies",
            "annual_fx_usd", "by_province", "by_sector", "matchmaking"} <= set(api)
    qom = next(row for row in api["by_province"] if row["slug"] == "qom")
    assert qom["opened_on"] == "2025-10-04" and qom["exhibition_status"] == "open"


@pytest.mark.parametrize("rows", [20, 100])
def test_home_runs_at_most_eight_queries(client, django_assert_max_num_queries, rows):
    shelf = ShelfFactory(exhibition=ExhibitionFactory(), positions=rows)
    buyer = CompanyFactory()
    for _ in range(rows):
        displayed_need(buyer=buyer, shelf=shelf)
    with django_assert_max_num_queries(8):
        html = client.get("/").content.decode()
    assert html.count('class="card need-card"') == 8


def test_language_switch_links_to_the_same_page_in_the_other_language(client):
    need = displayed_need()
    fa = client.get(f"/needs/{need.pk}/?x=1").content.decode()
    assert f'class="lang" href="/en/needs/{need.pk}/?x=1"' in fa
    en = client.get("/en/stats/").content.decode()
    assert 'class="lang" href="/stats/"' in en


def test_pages_use_vazirmatn_from_static_and_no_external_assets(client):
    displayed_need()
    for url in ("/", "/needs/", "/stats/", "/exhibitions/", "/companies/"):
        html = client.get(url).content.decode()
        assert "/static/css/portal.css" in html
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_readiness_checks_database_and_cache(client):
    response = client.get("/healthz?ready=1")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readiness_reports_an_unreachable_cache_but_stays_ready(client, monkeypatch):
    """Pages are built uncached without Redis (core/cache.py), and all nodes share it: a
    load balancer must not take every node out for it."""
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz?ready=1")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "ConnectionError"}
    assert client.get("/healthz").status_code == 200


def test_stats_page_shows_fx_saved_and_tour_figures_in_persian(client):
    displayed_need()
    page = client.get("/stats/").content.decode()
    assert 'data-figure="fx_saved"' in page and 'data-figure="tours_held"' in page
    assert "تور بازدید برگزارشده" in page
