"""Reads of saved searches: a user's list, the filters in words, the needs a search matches
(through the catalogue's own filter, needs.selectors.need_list)."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from alerts.models import SavedSearch
from companies.models import CompanyMember
from core.formats import digits, usd
from needs.filters import NeedFilter
from needs.models import NeedStatus
from needs.selectors import need_list


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).select_related("province", "sector", "exhibition__province")


def in_words(search: SavedSearch) -> list[tuple[str, str]]:
    """The search's filters as (label, value) pairs, labelled as the catalogue labels them;
    no query beyond the search's own related rows."""
    labels = {name: str(NeedFilter.base_filters[name].label) for name in NeedFilter.base_filters}
    words = []
    if search.q:
        words.append((labels["q"], search.q))
    if search.province_id:
        words.append((labels["province"], search.province.name))
    if search.sector_id:
        words.append((labels["sector"], search.sector.name))
    if search.exhibition_id:
        words.append((labels["exhibition"], search.exhibition.province.name))
    if search.hs:
        words.append((labels["hs"], digits(search.hs)))
    if search.fx_min is not None:
        words.append((labels["fx_min"], usd(search.fx_min)))
    if search.fx_max is not None:
        words.append((labels["fx_max"], usd(search.fx_max)))
    if search.status:
        words.append((labels["status"], str(NeedStatus(search.status).label)))
    return words or [(_("Filters"), _("All needs"))]


def matching_needs(search: SavedSearch, *, since: datetime.datetime, until: datetime.datetime, limit: int) -> list[int]:
    """The ids of the public needs that `search` finds in the catalogue and that went on
    display in (since, until], newest first, at most `limit`. A filter value the catalogue
    no longer accepts (an exhibition since closed) matches nothing, rather than widening
    the search to every need."""
    filterset = need_list(filters=search.as_filters())
    if not filterset.is_valid():
        return []
    return list(
        filterset.qs.filter(displayed_at__gt=since, displayed_at__lte=until)
        .order_by("-displayed_at", "-id").values_list("pk", flat=True)[:limit]
    )


def supplier_companies(user_ids) -> dict[int, object]:
    """Each user's company (an approved membership), in one query."""
    members = CompanyMember.objects.filter(user_id__in=set(user_ids), is_approved=True).select_related("company")
    return {member.user_id: member.company for member in members.order_by("-id")}
