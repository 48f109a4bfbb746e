"""Background tasks of the digest. Thin: load, then compose (alerts.notifications) and
deliver (notices.services.deliver); the windows are claimed by alerts.services."""

from django.contrib.auth import get_user_model

from alerts import notifications
from alerts.models import SavedSearch
from core.tasks import task
from needs.models import Need
from notices.services import deliver


@task()
def send_digest(user_id: int, searches: list) -> int:
    """One reader's digest: `searches` is [[search id, [need ids]], ...] as claimed. Needs
    no longer public by now are left out; nothing is sent when none is left."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    by_pk = SavedSearch.objects.filter(user=user, unsubscribed=False).in_bulk([pk for pk, _ids in searches])
    needs = Need.objects.public().select_related("buyer", "province").in_bulk([pk for _pk, ids in searches for pk in ids])
    found = [
        (by_pk[pk], [needs[need_id] for need_id in ids if need_id in needs])
        for pk, ids in searches if pk in by_pk
    ]
    found = [(search, listed) for search, listed in found if listed]
    if not found:
        return 0
    return deliver(notifications.digest_letters(user, found))

