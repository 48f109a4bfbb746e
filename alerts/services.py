"""Writes of saved searches: saving one, deleting it, (un)subscribing, and claiming the
daily digest's windows.

The digest is sent exactly once per window: each search's window (from its last digest, or
its creation, to now) is claimed by a conditional UPDATE of last_digest_at, so two workers
or two runs never list the same needs twice; the letters go out from a task after commit."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import SavedSearch
from alerts.policies import ensure_may_save_searches, may_receive_digest
from alerts.selectors import matching_needs, supplier_companies
from alerts.tasks import send_digest
from companies.models import Sector
from core.text import normalize_typed_text
from exhibitions.models import Exhibition, Province
from needs.selectors import need_list


@transaction.atomic
def saved_search_create(*, user, filters, name: str) -> SavedSearch:
    """Save the catalogue filter `filters` (a QueryDict, as /needs/ reads it) for `user`.

    Refused for anyone who may not keep searches (alerts.policies), over the limit per
    account, or when the catalogue's filter refuses one of the values. The user's row is
    locked, so two saves at once cannot pass the limit together."""
    ensure_may_save_searches(user)
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    limit = settings.SAVED_SEARCHES_PER_USER
    if SavedSearch.objects.filter(user=user).count() >= limit:
        raise ValidationError(
            _("You can keep at most %(limit)s saved searches; delete one to save another.") % {"limit": limit},
            code="limit",
        )
    name = normalize_typed_text(name)
    if not name:
        raise ValidationError({"name": _("Give the search a name.")}, code="required")
    filterset = need_list(filters=filters)
    if not filterset.is_valid():
        raise ValidationError(
            [message for messages in filterset.form.errors.values() for message in messages], code="filters",
        )
    values = filterset.form.cleaned_data
    return SavedSearch.objects.create(
        user=user, name=name[:100], q=normalize_typed_text(values.get("q") or "")[:200],
        province=_by_slug(Province, values.get("province")), sector=_by_slug(Sector, values.get("sector")),
        exhibition=_by_slug(Exhibition, values.get("exhibition")),
        hs=values.get("hs") or "", fx_min=values.get("fx_min"), fx_max=values.get("fx_max"),
        status=values.get("status") or "", created_at=timezone.now(),
    )


def _by_slug(model, slug: str | None):
    return model.objects.filter(slug=slug).first() if slug else None


def saved_search_delete(*, search: SavedSearch) -> None:
    search.delete()


def saved_searches_subscribe(*, user_id: int, search_ids, subscribed: bool) -> int:
    """Turn the digest of the user's searches on or off; how many searches changed."""
    return SavedSearch.objects.filter(user_id=user_id, pk__in=list(search_ids)).exclude(
        unsubscribed=not subscribed,
    ).update(unsubscribed=not subscribed)


# --- the daily digest --------------------------------------------------------------------
def digest_moment(now: datetime.datetime) -> datetime.datetime:
    """The latest daily digest time (ALERT_DIGEST_HOUR, local time) at or before `now`."""
    local = timezone.localtime(now)
    moment = local.replace(hour=settings.ALERT_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return moment if moment <= local else moment - datetime.timedelta(days=1)


def claim_window(search: SavedSearch, now: datetime.datetime) -> bool:
    """Take the search's window (window_start, now] for this run: True once only (a
    conditional UPDATE on the value read), whichever worker or run asks first."""
    rows = SavedSearch.objects.filter(pk=search.pk, unsubscribed=False)
    if search.last_digest_at is None:
        rows = rows.filter(last_digest_at__isnull=True)
    else:
        rows = rows.filter(last_digest_at=search.last_digest_at)
    return bool(rows.update(last_digest_at=now))


def send_digests(now: datetime.datetime) -> int:
    """Claim the window of every due subscribed search and queue one digest per reader with
    new matching needs (alerts.tasks.send_digest, after commit). Searches of readers who may
    no longer receive them are claimed too, so nothing piles up. Returns how many digests
    were queued. Queries: a few per search, none per need."""
    moment = digest_moment(now)
    due = list(SavedSearch.objects.due(moment).select_related("user", "province", "sector", "exhibition").order_by("user_id", "id"))
    companies = supplier_companies({search.user_id for search in due})
    limit = settings.ALERT_DIGEST_NEEDS_PER_SEARCH
    found: dict[int, list[list]] = {}
    with transaction.atomic():
        for search in due:
            since = search.window_start
            if not claim_window(search, now):
                continue
            if not may_receive_digest(search.user, companies.get(search.user_id)):
                continue
            need_ids = matching_needs(search, since=since, until=now, limit=limit)
            if need_ids:
                found.setdefault(search.user_id, []).append([search.pk, need_ids])
        for user_id, searches in found.items():
            transaction.on_commit(lambda user_id=user_id, searches=searches: send_digest.enqueue(user_id, searches))
    return len(found)
