"""Builders for the matchmaking tests: members acting for companies, shortlisted
declarations and grid-aligned meeting times."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from companies.models import CompanyMember
from matchmaking.models import Interest
from tests.factories import SupplierFactory, UserFactory, displayed_need

TEHRAN = ZoneInfo("Asia/Tehran")


def member(company, username: str, **user_fields):
    user = UserFactory(username=username, **user_fields)
    CompanyMember.objects.create(company=company, user=user, role="owner", is_approved=True)
    return user


def slot(days: int = 3, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A grid slot `days` or more days ahead, never on a Friday (exhibitions are closed)."""
    day = datetime.date.today() + datetime.timedelta(days=days)
    while day.weekday() == 4:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, minute), TEHRAN)


def declaration(*, need=None, supplier=None, status=Interest.Status.SHORTLISTED) -> Interest:
    need = need or displayed_need()
    supplier = supplier or SupplierFactory()
    return Interest.objects.create(
        need=need, supplier=supplier, annual_capacity=Decimal("500"), lead_time_days=30, status=status
    )


def parties(interest: Interest):
    """A user for the buyer and one for the supplier of a declaration."""
    buyer = member(interest.need.buyer, f"buyer{interest.pk}", email=f"buyer{interest.pk}@example.com")
    supplier = member(interest.supplier, f"supplier{interest.pk}", email=f"supplier{interest.pk}@example.com")
    return buyer, supplier
