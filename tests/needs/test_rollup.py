"""NeedRollup: the catalogue's totals kept exact by the database (needs/migrations/0009), so
an unfiltered or province/sector/exhibition/status catalogue never sums the needs."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from needs.models import Need, NeedRollup, NeedStatus
from needs.selectors import need_totals, public_needs
from tests.factories import CompanyFactory, ExhibitionFactory, NeedFactory, ShelfFactory, displayed_need, province, sector

pytestmark = pytest.mark.django_db


def live() -> dict:
    """What the rollup must say, computed from the needs themselves."""
    rows = Need.objects.order_by().values("province_id", "sector_id", "exhibition_id", "status", "display_consent")
    return {
        (r["province_id"], r["sector_id"], r["exhibition_id"] or 0, r["status"], r["display_consent"]): (r["n"], r["fx"])
        for r in rows.annotate(n=Count("id"), fx=Sum("annual_fx_usd"))
    }


def rolled() -> dict:
    return {
        (r.province_id, r.sector_id, r.exhibition_key, r.status, r.display_consent): (r.needs, r.annual_fx_usd)
        for r in NeedRollup.objects.all() if r.needs
    }


def test_every_write_path_keeps_the_rollup_exact():
    first = displayed_need(annual_fx_usd=Decimal("1000.50"))
    second = displayed_need(annual_fx_usd=Decimal("250.25"))
    NeedFactory(annual_fx_usd=Decimal("99"))  # identified, no exhibition
    assert rolled() == live()
    Need.objects.filter(pk=first.pk).update(annual_fx_usd=Decimal("10"))  # no signals
    assert rolled() == live()
    Need.objects.filter(pk=second.pk).update(status=NeedStatus.IN_TALKS, sector=sector("food"))
    assert rolled() == live()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE needs_need SET status = 'withdrawn' WHERE id = %s", [first.pk])
    assert rolled() == live()
    buyer = CompanyFactory(province=province("tehran"))
    Need.objects.bulk_create([
        Need(title=f"نیاز {i}", buyer=buyer, province=buyer.province, sector=sector("food"), hs_code="8482",
             annual_quantity=1, annual_fx_usd=Decimal(i), identified_on="2026-01-01")
        for i in range(5)
    ])
    assert rolled() == live()
    Need.objects.filter(pk=second.pk).delete()
    Need.objects.filter(buyer=buyer).delete()
    assert rolled() == live()


@pytest.mark.parametrize("filters", [
    {},
    {"province": "isfahan"},
    {"sector": "auto-parts", "status": "on_display"},
    {"exhibition": "isfahan-rollup", "province": "isfahan"},
    {"province": "tehran", "sort": "title"},
])
def test_the_rollup_answers_as_the_needs_do(filters):
    exhibition = ExhibitionFactory(province=province("isfahan"), slug="isfahan-rollup")
    shelf = ShelfFactory(exhibition=exhibition, positions=50)
    for i, fx in enumerate(["100", "200.10", "300"]):
        displayed_need(annual_fx_usd=Decimal(fx), province=province("isfahan"), shelf=shelf, shelf_position=i + 1)
    displayed_need(annual_fx_usd=Decimal("400"), province=province("tehran"))
    NeedFactory(annual_fx_usd=Decimal("50"), display_consent=False)  # not public
    queryset = public_needs()
    for name, lookup in (("province", "province__slug"), ("sector", "sector__slug"), ("exhibition", "exhibition__slug"),
                         ("status", "status")):
        if filters.get(name):
            queryset = queryset.filter(**{lookup: filters[name]})
    scanned = need_totals(queryset)
    with CaptureQueriesContext(connection) as queries:
        from_rollup = need_totals(queryset, filters={"q": "", "hs": "", "fx_min": None, "fx_max": None, **filters})
    assert from_rollup == scanned
    assert len(queries) == 1 and "needs_needrollup" in queries[0]["sql"] and '"needs_need"' not in queries[0]["sql"]


def test_a_text_hs_or_fx_filter_counts_the_needs_themselves():
    displayed_need(annual_fx_usd=Decimal("100"))
    with CaptureQueriesContext(connection) as queries:
        need_totals(public_needs().filter(hs_code__startswith="84"), filters={"hs": "84", "province": ""})
    assert "needs_needrollup" not in queries[0]["sql"]


def test_the_catalogue_and_the_api_read_their_totals_from_the_rollup(client):
    displayed_need(annual_fx_usd=Decimal("1500"))
    for url in ("/needs/", "/needs/?province=isfahan", "/api/needs/", "/api/needs/?sector=auto-parts"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sums = [q["sql"] for q in queries if "SUM(" in q["sql"].upper()]
        assert sums and all("needs_needrollup" in sql for sql in sums), url
