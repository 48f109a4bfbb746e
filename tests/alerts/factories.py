"""Saved searches for the alert tests, made the way a supplier makes them (the service)."""

import datetime
from zoneinfo import ZoneInfo

from django.http import QueryDict

from alerts.models import SavedSearch
from alerts.services import saved_search_create
from needs.models import Need
from tests.factories import SupplierFactory, displayed_need, member

TEHRAN = ZoneInfo("Asia/Tehran")
# The clock of the digest tests: a Monday morning after the digest hour (08:00 Tehran).
NOW = datetime.datetime(2025, 11, 10, 9, 0, tzinfo=TEHRAN)
DAY = datetime.timedelta(days=1)


def supplier_user(username: str = "sup", **fields):
    return member(SupplierFactory(), username, email=fields.pop("email", f"{username}@example.com"), **fields)


def saved_search(user, query: str = "", *, name: str = "جستجو", created_at=None) -> SavedSearch:
    """A search saved by `user` for the catalogue query string `query`, created at
    `created_at` (two days before NOW by default)."""
    search = saved_search_create(user=user, filters=QueryDict(query), name=name)
    SavedSearch.objects.filter(pk=search.pk).update(created_at=created_at or NOW - 2 * DAY)
    search.refresh_from_db()
    return search


def need_displayed_at(when, **kwargs) -> Need:
    """A public need that went on display at `when`."""
    need = displayed_need(**kwargs)
    Need.objects.filter(pk=need.pk).update(displayed_at=when)
    need.refresh_from_db()
    return need
