"""EXPLAIN proves that PostgreSQL can answer every catalogue filter and sort from an index.

The data set is small, so the planner would rightly prefer a sequential scan; with
sequential scans disabled, a plan without the expected index would mean there is none
it can use. (bench/RESULTS.md shows the same queries at 100,000 needs.)"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from needs.filters import search_words, text_search
from needs.models import Need
from needs.selectors import need_list

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FX = ("need_status_fx_idx", "need_fx_idx")
CASES = [
    ("", FX),  # default sort: largest FX first
    ("sort=fx", FX),
    ("sort=newest", ("needs_need_created_at",)),
    ("sort=title", ("need_title_idx",)),
    ("province=qom", ("need_province_status_idx", "needs_need_province_id")),
    ("sector=auto-parts", ("need_sector_status_idx", "needs_need_sector_id")),
    ("exhibition=isfahan", ("need_exhibition_status_idx", "needs_need_exhibition_id")),
    ("hs=8708", ("needs_need_hs_code",)),
    ("fx_min=1000000&fx_max=5000000", FX),
    ("status=in_talks", FX + ("need_province_status_idx", "need_sector_status_idx", "need_exhibition_status_idx")),
]


@pytest.fixture
def analysed_catalogue():
    call_command("seed_demo", "--needs", "600", "--no-photos", stdout=open("/dev/null", "w"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE needs_need")
        cursor.execute("SET enable_seqscan = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")


@pytest.mark.parametrize(("query", "indexes"), CASES, ids=[c[0] or "default" for c in CASES])
def test_each_catalogue_filter_and_sort_uses_an_index(analysed_catalogue, query, indexes):
    filterset = need_list(filters=QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    plan = filterset.qs[:20].explain()
    assert any(index in plan for index in indexes), plan
    assert "Seq Scan on needs_need" not in plan, plan


def test_persian_text_search_is_answered_by_the_trigram_index(analysed_catalogue):
    # With the other filters the planner may start from a smaller index; on its own the
    # text predicate (LIKE '%لنت%' on the normalised column) must be index-answerable.
    plan = text_search(Need.objects.order_by(), search_words("لنت ترمز")).explain()
    assert "need_search_trgm_idx" in plan, plan
