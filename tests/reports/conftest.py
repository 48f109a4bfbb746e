"""Builders for the funnel's tests: a need's journey through the steps, each on a given day."""

import datetime
from decimal import Decimal

import pytest

from matchmaking.models import Interest, Meeting, Outcome
from needs.models import Need, NeedStatus
from tests.factories import (
    TEHRAN,
    CompanyFactory,
    NeedFactory,
    SupplierFactory,
    province,
    sector,
)

# The clock of every funnel test: meetings "held" are those that ended before it.
NOW = datetime.datetime(2026, 1, 20, 12, 0, tzinfo=TEHRAN)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), TEHRAN)


def journey(
    *, province_slug="qom", sector_slug="auto-parts", identified=None, displayed=None, declared=(),
    shortlisted=None, held=None, meeting_status="confirmed", signed=None, withdrawn=False,
) -> Need:
    """A need of `province_slug` that was identified on `identified`, went on display on
    `displayed`, got a declaration on each day of `declared` (the first one shortlisted on
    `shortlisted`), a meeting on it ending at `held`, and a contract signed on `signed`.
    Rows are written directly: the funnel reads dates, not how they came about."""
    buyer = CompanyFactory(province=province(province_slug))
    need = NeedFactory(
        buyer=buyer, sector=sector(sector_slug), identified_on=identified or datetime.date(2025, 1, 1),
        status=NeedStatus.IDENTIFIED,
    )
    if displayed:
        Need.objects.filter(pk=need.pk).update(displayed_at=at(displayed))
    interests = []
    for n, day in enumerate(declared):
        interest = Interest.objects.create(
            need=need, supplier=SupplierFactory(), annual_capacity=Decimal(10), lead_time_days=10,
            status=Interest.Status.WITHDRAWN if withdrawn else Interest.Status.DECLARED,
        )
        Interest.objects.filter(pk=interest.pk).update(created_at=at(day))
        interests.append(interest)
    if shortlisted and interests:
        Interest.objects.filter(pk=interests[0].pk).update(shortlisted_at=at(shortlisted), status="shortlisted")
    if held and interests:
        meeting = Meeting.objects.create(
            interest=interests[0], buyer=buyer, supplier=interests[0].supplier, mode=Meeting.Mode.VIDEO,
            starts_at=held - datetime.timedelta(minutes=30), ends_at=held, status=meeting_status,
        )
        if signed:
            Outcome.objects.create(
                meeting=meeting, result=Outcome.Result.CONTRACT_SIGNED, contract_value_rials=10**9, signed_on=signed,
            )
    return need


@pytest.fixture
def frozen_now(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW
