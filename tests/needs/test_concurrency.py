import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection

from needs.models import Need, NeedStatus
from tests.factories import CompanyFactory, NeedFactory, ShelfFactory

# serialized_rollback: an earlier transactional test flushes the provinces and sectors that
# the data migrations loaded; this restores them before the test.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_staff_placing_samples_on_one_shelf_place_at_once_only_one_wins():
    """Eight connections each try to put a different need at shelf place 1: the unique
    constraint lets exactly one commit, the others get IntegrityError, none get through."""
    assert connection.vendor == "postgresql"
    shelf = ShelfFactory()
    needs = [NeedFactory(buyer=CompanyFactory(province=shelf.exhibition.province), display_consent=True) for _ in range(8)]
    barrier = threading.Barrier(len(needs))
    results = []

    def place(need_pk):
        try:
            barrier.wait()
            updated = Need.objects.filter(pk=need_pk).update(
                exhibition=shelf.exhibition, shelf=shelf, shelf_position=1, status=NeedStatus.ON_DISPLAY
            )
            results.append(("ok", updated))
        except IntegrityError:
            results.append(("refused", 0))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=place, args=(need.pk,)) for need in needs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r[0] for r in results) == ["ok"] + ["refused"] * 7
    assert Need.objects.filter(shelf=shelf, shelf_position=1).count() == 1
