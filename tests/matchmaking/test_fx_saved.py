"""FX saved (matchmaking.selectors.fx_saved): the annual FX of the needs that signed
contracts cover, counted once per need on its first signing date, and the contracts'
value converted at each signing date's exchange rate."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from matchmaking.models import ExchangeRate, Meeting
from matchmaking.selectors import fx_saved
from matchmaking.services import meeting_propose, meeting_respond, outcome_record
from tests.factories import (
    CompanyFactory,
    declaration,
    displayed_need,
    parties,
    province,
    sector,
    slot,
)

pytestmark = pytest.mark.django_db

KEYS = {
    "total_usd", "contracts", "contract_value_rials", "contract_value_usd", "contracts_without_rate",
    "by_province", "by_sector", "by_month",
}


def held_meeting(need, *, days_ago: int = 1):
    """A confirmed meeting on a new declaration for `need`, moved `days_ago` days into the
    past (one buyer cannot be in two meetings at once)."""
    interest = declaration(need=need)
    buyer, supplier = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    meeting_respond(meeting=meeting, by=supplier, accept=True)
    ended = timezone.now() - datetime.timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=ended - datetime.timedelta(hours=1), ends_at=ended
    )
    meeting.refresh_from_db()
    return meeting, supplier


def sign(meeting_and_supplier, *, rials: int, on: datetime.date):
    meeting, supplier = meeting_and_supplier
    return outcome_record(meeting=meeting, by=supplier, result="contract_signed", contract_value_rials=rials,
                          signed_on=on)


@pytest.fixture
def two_needs_three_contracts():
    """By hand:
    rates: 500,000 IRR/USD from 2026-03-21 (1 Farvardin 1405), 800,000 from 2026-05-22.
    need A (Qom, auto parts, US$120,000 a year): contracts on 2026-03-01 (before any rate,
      10bn rials) and 2026-04-10 (25bn rials / 500,000 = US$50,000).
    need B (Tehran, textiles, US$50,000 a year): a contract on 2026-06-01
      (20bn rials / 800,000 = US$25,000).
    FX saved = 120,000 (A, once, on 1404-12-10) + 50,000 (B, on 1405-03-11) = US$170,000;
    3 contracts, 55bn rials, US$75,000, one contract without a rate."""
    ExchangeRate.objects.create(effective_on=datetime.date(2026, 3, 21), rials_per_usd=500_000, source="test")
    ExchangeRate.objects.create(effective_on=datetime.date(2026, 5, 22), rials_per_usd=800_000, source="test")
    need_a = displayed_need(annual_fx_usd=Decimal(120000), sector=sector("auto-parts"))
    need_b = displayed_need(buyer=CompanyFactory(province=province("tehran")), annual_fx_usd=Decimal(50000),
                            sector=sector("textile"))
    a1, a2, b1 = held_meeting(need_a, days_ago=2), held_meeting(need_a, days_ago=1), held_meeting(need_b)
    sign(a1, rials=10_000_000_000, on=datetime.date(2026, 3, 1))
    sign(a2, rials=25_000_000_000, on=datetime.date(2026, 4, 10))
    sign(b1, rials=20_000_000_000, on=datetime.date(2026, 6, 1))
    return need_a, need_b


def test_fx_saved_matches_the_hand_calculation(two_needs_three_contracts):
    need_a, need_b = two_needs_three_contracts

    figures = fx_saved()

    assert set(figures) == KEYS
    assert figures["total_usd"] == Decimal(170000)
    assert figures["contracts"] == 3
    assert figures["contract_value_rials"] == 55_000_000_000
    assert figures["contract_value_usd"] == Decimal("75000.00")
    assert figures["contracts_without_rate"] == 1
    assert figures["by_province"] == {need_a.province_id: Decimal(120000), need_b.province_id: Decimal(50000)}
    assert figures["by_sector"] == {need_a.sector_id: Decimal(120000), need_b.sector_id: Decimal(50000)}
    assert figures["by_month"] == [
        ("1404-12", Decimal(120000)), ("1405-01", Decimal(0)), ("1405-02", Decimal(0)), ("1405-03", Decimal(50000)),
    ]
    assert all(isinstance(value, Decimal) for value in (figures["total_usd"], figures["contract_value_usd"]))


def test_a_need_counts_in_the_window_of_its_first_contract_only(two_needs_three_contracts):
    _need_a, need_b = two_needs_three_contracts

    later = fx_saved(since=datetime.date(2026, 4, 1))
    earlier = fx_saved(until=datetime.date(2026, 3, 31))

    # Need A was saved on 2026-03-01: its second contract (April) moves money, not FX.
    assert later["total_usd"] == Decimal(50000) and later["by_month"] == [("1405-03", Decimal(50000))]
    assert later["contracts"] == 2 and later["contract_value_usd"] == Decimal("75000.00")
    assert later["contracts_without_rate"] == 0
    assert earlier["total_usd"] == Decimal(120000) and earlier["contracts_without_rate"] == 1
    assert earlier["total_usd"] + later["total_usd"] == fx_saved()["total_usd"]
    assert fx_saved(since=datetime.date(2026, 6, 1), until=datetime.date(2026, 6, 1))["contracts"] == 1


def test_fx_saved_is_limited_to_the_given_provinces(two_needs_three_contracts):
    need_a, _need_b = two_needs_three_contracts

    qom = fx_saved(province_ids=[need_a.province_id])

    assert qom["total_usd"] == Decimal(120000) and qom["contracts"] == 2
    assert qom["by_province"] == {need_a.province_id: Decimal(120000)}
    assert fx_saved(province_ids=[])["contracts"] == 0


def test_without_contracts_fx_saved_is_zero():
    assert fx_saved() == {
        "total_usd": Decimal(0), "contracts": 0, "contract_value_rials": 0, "contract_value_usd": Decimal(0),
        "contracts_without_rate": 0, "by_province": {}, "by_sector": {}, "by_month": [],
    }


def _add_contracts(count: int, day: datetime.date) -> None:
    for i in range(count):
        need = displayed_need(annual_fx_usd=Decimal(1000 + i))
        sign(held_meeting(need), rials=1_000_000 * (i + 1), on=day + datetime.timedelta(days=17 * i))


def test_fx_saved_runs_one_query_whatever_the_number_of_contracts(django_assert_num_queries):
    ExchangeRate.objects.create(effective_on=datetime.date(2025, 1, 1), rials_per_usd=600_000)
    _add_contracts(2, datetime.date(2025, 2, 1))
    with django_assert_num_queries(1):
        small = fx_saved()
    _add_contracts(12, datetime.date(2025, 3, 1))
    qom = [province("qom").pk]
    with django_assert_num_queries(1):
        large = fx_saved(since=datetime.date(2025, 1, 1), province_ids=qom)
    assert small["contracts"] == 2 and large["contracts"] == 14


def test_a_rate_must_be_positive_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(effective_on=datetime.date(2026, 1, 1), rials_per_usd=0)


def test_shortlisting_a_declaration_records_when():
    from matchmaking.services.interests import interest_decide

    interest = declaration(status="declared")
    buyer, _supplier = parties(interest)
    assert interest.shortlisted_at is None
    before = timezone.now()
    interest = interest_decide(interest=interest, by=buyer, decision="shortlist")
    interest.refresh_from_db()
    assert interest.shortlisted_at is not None and interest.shortlisted_at >= before
    first = interest.shortlisted_at
    interest_decide(interest=interest, by=buyer, decision="decline", reason="Too far")
    interest_decide(interest=interest, by=buyer, decision="shortlist")
    interest.refresh_from_db()
    assert interest.shortlisted_at == first  # the first time it reached the shortlist
