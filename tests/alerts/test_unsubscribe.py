"""The digest's one-click unsubscribe: a signed link that needs no sign-in, a page with one
button, RFC 8058's POST from the mail client, and a clear page for a bad link."""

import pytest
from django.core import mail
from django.test import Client

from alerts.models import SavedSearch
from alerts.services import send_digests
from alerts.tokens import unsubscribe_token
from tests.alerts.factories import (
    DAY,
    NOW,
    need_displayed_at,
    saved_search,
    supplier_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def digest(django_capture_on_commit_callbacks):
    user = supplier_user()
    first = saved_search(user, "q=ترمز", name="ترمزها")
    second = saved_search(user, "sector=auto-parts", name="قطعات")
    need_displayed_at(NOW - DAY, title="لنت ترمز")
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(NOW)
    return user, first, second, mail.outbox[0]


def test_the_mail_carries_rfc_8058_headers(digest):
    _user, _first, _second, letter = digest
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert letter.extra_headers["List-Unsubscribe"].startswith("<http") and "/alerts/unsubscribe/" in letter.extra_headers["List-Unsubscribe"]
    message = letter.message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_search_unsubscribes_by_its_link_with_get_then_post_without_signing_in(digest):
    user, first, second, _letter = digest
    url = f"/alerts/unsubscribe/{unsubscribe_token(user.pk, [first.pk])}/"
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200 and "ترمزها" in page.content.decode()
    first.refresh_from_db()
    assert not first.unsubscribed  # a GET (a mail scanner's prefetch) changes nothing
    assert client.post(url).status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.unsubscribed and not second.unsubscribed


def test_the_mail_clients_one_click_post_unsubscribes_every_search_of_the_letter(digest):
    _user, first, second, letter = digest
    url = letter.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = Client(enforce_csrf_checks=True).post(
        "/" + path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert SavedSearch.objects.filter(pk__in=[first.pk, second.pk], unsubscribed=True).count() == 2


@pytest.mark.usefixtures("english")
def test_a_tampered_token_gives_a_clear_page(digest, client):
    user, first, _second, _letter = digest
    token = unsubscribe_token(user.pk, [first.pk])
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "nonsense"):
        response = client.post(f"/en/alerts/unsubscribe/{bad}/")
        assert response.status_code == 404
        assert "This unsubscribe link is wrong" in response.content.decode()
    first.refresh_from_db()
    assert not first.unsubscribed


def test_a_token_for_another_users_search_does_nothing(digest, client):
    _user, first, _second, _letter = digest
    other = supplier_user("other")
    assert client.post(f"/alerts/unsubscribe/{unsubscribe_token(other.pk, [first.pk])}/").status_code == 404
    first.refresh_from_db()
    assert not first.unsubscribed
