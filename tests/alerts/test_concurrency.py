"""Two digest runs at the same moment (two workers, each on its own connection) send each
window once."""

import pytest
from django.core import mail

from alerts.services import send_digests
from notices.models import Notification
from tests.alerts.factories import (
    DAY,
    NOW,
    need_displayed_at,
    saved_search,
    supplier_user,
)
from tests.race import run_concurrently


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_one_digest():
    user = supplier_user()
    for n in range(3):
        saved_search(user, "q=ترمز", name=f"s{n}")
    need_displayed_at(NOW - DAY, title="لنت ترمز")
    outcomes = run_concurrently(lambda: send_digests(NOW), lambda: send_digests(NOW))
    assert all(outcome.ok for outcome in outcomes), [o.error for o in outcomes]
    assert sorted(outcome.value for outcome in outcomes) == [0, 1]
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=user).count() == 1
