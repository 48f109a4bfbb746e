"""The statistics (/stats/ and /api/stats/) stay within the public pages' budget of eight
queries even on the request that rebuilds the figures (cache empty, or data just changed),
and cost the same number of queries however much data there is."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from companies.models import Sector
from matchmaking.models import Meeting
from matchmaking.services import meeting_propose, meeting_respond, outcome_record
from needs.models import NeedStatus
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    NeedFactory,
    SupplierFactory,
    TourFactory,
    declaration,
    displayed_need,
    parties,
    province,
    sector,
    slot,
)
from tours.models import Tour
from tours.services import attendance_mark, tour_register

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 8
STATS_URLS = ("/api/stats/", "/stats/", "/en/stats/")
PROVINCES = ("qom", "tehran", "isfahan", "yazd")
SECTORS = ("auto-parts", "textile", "food", "chemical", "metal")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _cold_queries(client, url: str) -> int:
    cache.clear()
    return _queries(client, url)


def _contracted_need(**need_fields):
    """A need whose held meeting ended in a signed contract (the need becomes contracted)."""
    interest = declaration(need=displayed_need(**need_fields))
    buyer, supplier = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    meeting_respond(meeting=meeting, by=supplier, accept=True)
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - datetime.timedelta(hours=2), ends_at=now - datetime.timedelta(hours=1)
    )
    meeting.refresh_from_db()
    outcome_record(meeting=meeting, by=supplier, result="contract_signed", contract_value_rials=1_000_000,
                   signed_on=timezone.localdate())


def _held_tour(exhibition, companies, people: int = 2):
    """A tour at `exhibition` that has begun, each company checked in with `people` people."""
    tour = TourFactory(exhibition=exhibition, capacity=people * len(companies) + 5)
    registrations = [tour_register(tour=tour, company=company, attendees=people) for company in companies]
    now = timezone.now()
    Tour.objects.filter(pk=tour.pk).update(
        starts_at=now - datetime.timedelta(minutes=1), ends_at=now + datetime.timedelta(hours=1),
        registration_deadline=now - datetime.timedelta(hours=1),
    )
    for registration in registrations:
        attendance_mark(registration=registration, attended=people)
    return tour


def _add_programme_data(scale: int) -> None:
    """Needs in several provinces and sectors, a withdrawn one, signed contracts, a planned
    exhibition, suppliers, held tours with visitors and an upcoming tour: every part of the
    figures has rows, `scale` times over."""
    for i in range(scale):
        displayed_need(
            buyer=CompanyFactory(province=province(PROVINCES[i % len(PROVINCES)])),
            sector=sector(SECTORS[i % len(SECTORS)]), annual_fx_usd=Decimal(1000 + i),
        )
        NeedFactory(status=NeedStatus.WITHDRAWN)
    for i in range(max(1, scale // 5)):
        _contracted_need(buyer=CompanyFactory(province=province(PROVINCES[i % len(PROVINCES)])))
        ExhibitionFactory(province=province(PROVINCES[i % len(PROVINCES)]), status="planned", opened_on=None)
    visitors = [SupplierFactory() for _ in range(scale)]
    for i in range(max(1, scale // 5)):
        _held_tour(ExhibitionFactory(province=province(PROVINCES[i % len(PROVINCES)])), visitors)
        TourFactory(exhibition=ExhibitionFactory(province=province(PROVINCES[i % len(PROVINCES)])))


def test_cold_statistics_run_at_most_eight_queries_whatever_the_data_size(client):
    _add_programme_data(scale=2)
    small = {url: _cold_queries(client, url) for url in STATS_URLS}
    _add_programme_data(scale=15)
    large = {url: _cold_queries(client, url) for url in STATS_URLS}

    assert large == small
    assert all(count <= PAGE_BUDGET for count in large.values()), large
    # While nothing changes the figures come from the cache: only the data-version query runs.
    assert _queries(client, "/api/stats/") == 1
    # The numbers are the larger data set's, not a stale copy.
    data = client.get("/api/stats/").json()
    assert data["needs"] == (2 + 1) + (15 + 3)  # displayed and contracted needs of both rounds
    assert data["tours"]["tours_held"] == 1 + 3


def test_a_data_change_rebuilds_the_figures_within_the_same_budget(client):
    _add_programme_data(scale=3)
    for url in STATS_URLS:
        client.get(url)  # warm: figures built and cached
    before = client.get("/api/stats/").json()["needs"]

    for url in STATS_URLS:
        displayed_need(buyer=CompanyFactory(province=province("tehran")))  # a new data version
        assert _queries(client, url) <= PAGE_BUDGET

    assert client.get("/api/stats/").json()["needs"] == before + len(STATS_URLS)


def test_the_figures_of_one_pass_agree_with_their_breakdowns(client):
    _add_programme_data(scale=6)
    data = client.get("/api/stats/").json()

    assert sum(row["needs"] for row in data["by_province"]) == data["needs"]
    assert sum(row["needs"] for row in data["by_sector"]) == data["needs"]
    assert sum(row["annual_fx_usd"] for row in data["by_province"]) == data["annual_fx_usd"]
    assert sum(row["fx_saved_usd"] for row in data["by_sector"]) == data["fx_saved"]["total_usd"] > 0
    assert data["needs_contracted"] == data["matchmaking"]["contracts_signed"] == 1
    assert data["buyer_companies"] == data["needs"]  # each need above has its own buyer
    assert data["supplier_companies"] == 6 + 1  # the visitors and the contract's supplier
    assert data["tours"]["tours_upcoming"] == 1


def test_sectors_are_listed_in_their_defined_order(client):
    displayed_need(sector=sector("steel-mining"))
    data = client.get("/api/stats/").json()
    assert [row["slug"] for row in data["by_sector"]] == list(Sector.objects.values_list("slug", flat=True))


def test_a_company_that_visited_two_exhibitions_of_a_province_counts_once(client):
    qom_a, qom_b = ExhibitionFactory(province=province("qom")), ExhibitionFactory(province=province("qom"))
    tehran = ExhibitionFactory(province=province("tehran"))
    traveller, local = SupplierFactory(), SupplierFactory()
    _held_tour(qom_a, [traveller, local], people=3)
    _held_tour(qom_b, [traveller], people=1)
    _held_tour(tehran, [traveller], people=2)

    tours = client.get("/api/stats/").json()["tours"]

    assert (tours["tours_held"], tours["tour_attendees"], tours["tour_companies"]) == (3, 3 + 3 + 1 + 2, 2)
    qom = next(row for row in tours["tours_by_province"] if row["slug"] == "qom")
    assert (qom["tours_held"], qom["attendees"], qom["companies"]) == (2, 7, 2)
    exhibitions = {row["slug"]: row for row in tours["tours_by_exhibition"]}
    assert (exhibitions[qom_a.slug]["companies"], exhibitions[qom_b.slug]["companies"]) == (2, 1)
    assert exhibitions[tehran.slug]["attendees"] == 2
