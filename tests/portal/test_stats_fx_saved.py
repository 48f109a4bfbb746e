"""FX saved on /stats/ and /api/stats/: recording a contract through the outcome service
moves both (past the public page cache), a new exchange rate moves the contracts' dollar
value, and the pages cost the same number of queries at any number of contracts."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaking.models import ExchangeRate
from tests.factories import CompanyFactory, displayed_need, province, sector
from tests.matchmaking.test_fx_saved import held_meeting, sign

pytestmark = pytest.mark.django_db

SIGNED_ON = datetime.date(2026, 4, 10)  # 21 Farvardin 1405


def _stats(client) -> dict:
    return client.get("/api/stats/").json()


def test_recording_a_contract_moves_fx_saved_on_the_api_and_the_page(client):
    ExchangeRate.objects.create(effective_on=datetime.date(2026, 3, 21), rials_per_usd=500_000)
    need = displayed_need(annual_fx_usd=Decimal("120000"), sector=sector("auto-parts"))
    meeting = held_meeting(need)
    before_api, before_page = _stats(client), client.get("/en/stats/").content.decode()  # both cached now
    assert before_api["fx_saved"]["total_usd"] == 0
    assert 'data-figure="fx_saved">$0' in before_page

    sign(meeting, rials=25_000_000_000, on=SIGNED_ON)

    data = _stats(client)
    assert data["fx_saved"] == {
        "total_usd": 120000.0, "contracts": 1, "contract_value_rials": 25_000_000_000,
        "contract_value_usd": 50000.0, "contracts_without_rate": 0,
        "by_month": [{"month": "1405-01", "usd": 120000.0}],
    }
    assert data["matchmaking"]["contracts_signed"] == 1
    assert data["matchmaking"]["contract_value_rials"] == 25_000_000_000
    assert {row["slug"]: row["fx_saved_usd"] for row in data["by_province"]}["qom"] == 120000
    assert {row["slug"]: row["fx_saved_usd"] for row in data["by_sector"]}["auto-parts"] == 120000
    english = client.get("/en/stats/").content.decode()
    assert 'data-figure="fx_saved">$120,000' in english
    assert 'data-figure="contract_value_usd">$50,000' in english
    assert '<tr data-month="1405-01"><th scope="row">Farvardin 1405</th>' in english
    persian = client.get("/stats/").content.decode()
    assert 'data-month="1405-01"><th scope="row">فروردین ۱۴۰۵</th>' in persian


def test_a_new_rate_moves_the_dollar_value_of_contracts_signed_before_it_had_one(client):
    meeting = held_meeting(displayed_need(annual_fx_usd=Decimal("9000")))
    sign(meeting, rials=8_000_000_000, on=SIGNED_ON)
    assert _stats(client)["fx_saved"]["contracts_without_rate"] == 1
    assert "have no dollar value" not in client.get("/en/stats/").content.decode()
    assert "1 contract signed before the first recorded exchange rate has no dollar value" in (
        client.get("/en/stats/").content.decode()
    )

    ExchangeRate.objects.create(effective_on=datetime.date(2026, 1, 1), rials_per_usd=800_000)  # a data change

    figures = _stats(client)["fx_saved"]
    assert figures["contracts_without_rate"] == 0 and figures["contract_value_usd"] == 10000


def _add_contracts(count: int, first_day: datetime.date) -> None:
    for i in range(count):
        need = displayed_need(buyer=CompanyFactory(province=province(("qom", "tehran", "yazd")[i % 3])),
                              annual_fx_usd=Decimal(1000 + i))
        sign(held_meeting(need), rials=1_000_000_000 * (i + 1), on=first_day + datetime.timedelta(days=23 * i))


def _cold_queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_statistics_cost_the_same_queries_at_any_number_of_contracts(client):
    ExchangeRate.objects.create(effective_on=datetime.date(2025, 1, 1), rials_per_usd=600_000)
    ExchangeRate.objects.create(effective_on=datetime.date(2025, 6, 1), rials_per_usd=700_000)
    _add_contracts(2, datetime.date(2024, 12, 1))
    small = {url: _cold_queries(client, url) for url in ("/api/stats/", "/stats/", "/en/stats/")}
    _add_contracts(10, datetime.date(2025, 2, 1))
    large = {url: _cold_queries(client, url) for url in ("/api/stats/", "/stats/", "/en/stats/")}

    assert small == large
    assert all(count <= 8 for count in large.values()), large
    assert _stats(client)["fx_saved"]["contracts"] == 12
