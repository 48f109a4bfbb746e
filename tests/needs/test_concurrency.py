import pytest
from django.db import IntegrityError, connection

from needs.models import Need, NeedStatus
from tests.factories import CompanyFactory, NeedFactory, ShelfFactory
from tests.race import run_concurrently

# serialized_rollback: an earlier transactional test flushes the provinces and sectors that
# the data migrations loaded; this restores them before the test.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_staff_placing_samples_on_one_shelf_place_at_once_only_one_wins():
    """Eight connections each try to put a different need at shelf place 1: the unique
    constraint lets exactly one commit, the others get IntegrityError, none get through."""
    assert connection.vendor == "postgresql"
    shelf = ShelfFactory()
    needs = [NeedFactory(buyer=CompanyFactory(province=shelf.exhibition.province), display_consent=True) for _ in range(8)]

    def place(need_pk):
        return Need.objects.filter(pk=need_pk).update(
            exhibition=shelf.exhibition, shelf=shelf, shelf_position=1, status=NeedStatus.ON_DISPLAY
        )

    outcomes = run_concurrently(*[(lambda pk=need.pk: place(pk)) for need in needs])

    assert [o.error for o in outcomes if not o.ok and not isinstance(o.error, IntegrityError)] == []
    results = [("ok", o.value) if o.ok else ("refused", 0) for o in outcomes]
    assert sorted(r[0] for r in results) == ["ok"] + ["refused"] * 7
    assert Need.objects.filter(shelf=shelf, shelf_position=1).count() == 1
