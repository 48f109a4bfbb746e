from decimal import Decimal

import pytest

from needs.models import NeedStatus
from tests.factories import CompanyFactory, ExhibitionFactory, NeedFactory, SupplierFactory, displayed_need, province

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


def test_stats_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        displayed_need()
    with django_assert_max_num_queries(8):
        client.get("/api/stats/")


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_home_shows_headline_figures_in_persian_and_english(client):
    displayed_need(annual_fx_usd=Decimal("1500000"))
    fa = client.get("/").content.decode()
    assert 'dir="rtl"' in fa and "۱٫۵ میلیون دلار" in fa
    en = client.get("/en/").content.decode()
    assert 'dir="ltr"' in en and "$1.5 million" in en
