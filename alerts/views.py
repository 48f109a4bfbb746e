"""Saved searches: saving the catalogue's current filter, the list of one's searches, and
the digest's unsubscribe link. Thin: each view calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alerts.forms import SavedSearchForm
from alerts.models import FILTER_NAMES, SavedSearch
from alerts.policies import ensure_may_save_searches
from alerts.selectors import in_words, saved_searches_of
from alerts.services import (
    saved_search_create,
    saved_search_delete,
    saved_searches_subscribe,
)
from alerts.tokens import read_unsubscribe_token
from core.forms import attach_errors, refusal


def _filters_of(request) -> QueryDict:
    """The catalogue filters of the query string (not its sort or page)."""
    query = QueryDict(mutable=True)
    for name in FILTER_NAMES:
        value = request.GET.get(name, "").strip()
        if value:
            query[name] = value
    return query


@login_required
@never_cache
def saved_search_list(request):
    searches = [(search, in_words(search)) for search in saved_searches_of(request.user)]
    return render(
        request, "alerts/saved_search_list.html",
        {"searches": searches, "blocked": refusal(ensure_may_save_searches, request.user)},
    )


@login_required
@never_cache
def saved_search_new(request):
    """/alerts/new/?<the catalogue's query>: the filters in words and a name; saving is a
    POST of this page (not of the publicly cached catalogue)."""
    filters = _filters_of(request)
    blocked = refusal(ensure_may_save_searches, request.user)
    form = SavedSearchForm(request.POST or None, initial={"name": filters.get("q", "")[:100] or _("New needs")})
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            saved_search_create(user=request.user, filters=filters, name=form.cleaned_data["name"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your search is saved. New needs that match it will come in a daily digest."))
            return redirect("alerts:list")
    return render(
        request, "alerts/saved_search_new.html",
        {
            "form": form, "blocked": blocked, "query": filters.urlencode(),
            "catalogue": reverse("needs:list") + ("?" + filters.urlencode() if filters else ""),
            "words": _preview_words(filters),
        },
    )


def _preview_words(filters: QueryDict) -> list[tuple[str, str]]:
    """The filters about to be saved, in words (through the catalogue's filter, so a bad
    value shows as the catalogue shows it)."""
    from needs.selectors import need_list

    filterset = need_list(filters=filters)
    filterset.is_valid()
    cleaned = getattr(filterset.form, "cleaned_data", {})
    words = []
    for name in FILTER_NAMES:
        value = cleaned.get(name)
        if value in (None, ""):
            continue
        field = filterset.form.fields[name]
        shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
        words.append((str(field.label), str(shown)))
    return words or [(_("Filters"), _("All needs"))]


def _own_search(request, pk: int) -> SavedSearch:
    return get_object_or_404(SavedSearch, pk=pk, user=request.user)


@login_required
@require_POST
def saved_search_delete_view(request, pk: int):
    saved_search_delete(search=_own_search(request, pk))
    messages.success(request, _("The saved search is deleted."))
    return redirect("alerts:list")


@login_required
@require_POST
def saved_search_subscription(request, pk: int):
    search = _own_search(request, pk)
    subscribed = request.POST.get("subscribed") == "1"
    saved_searches_subscribe(user_id=request.user.pk, search_ids=[search.pk], subscribed=subscribed)
    messages.success(
        request,
        _("You will get the daily digest of this search.") if subscribed
        else _("You will no longer get the daily digest of this search."),
    )
    return redirect("alerts:list")


@csrf_exempt  # the signed token is the authentication; RFC 8058 one-click POSTs carry no CSRF token
@never_cache
def unsubscribe(request, token: str):
    """GET: a page with one button; POST (that button, or a mail client's one-click
    unsubscribe, RFC 8058): the searches named by the token stop their digest."""
    try:
        user_id, search_ids = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "alerts/unsubscribe_invalid.html", status=404)
    searches = list(SavedSearch.objects.filter(user_id=user_id, pk__in=search_ids).order_by("name", "id"))
    if not searches:
        return render(request, "alerts/unsubscribe_invalid.html", status=404)
    done = False
    if request.method == "POST":
        saved_searches_subscribe(user_id=user_id, search_ids=search_ids, subscribed=False)
        done = True
    return render(request, "alerts/unsubscribe.html", {"searches": searches, "done": done})
