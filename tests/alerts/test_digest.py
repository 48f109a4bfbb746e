"""The daily digest: only new matching public needs, one letter per reader, in the inbox,
exactly once per window, the buyer as the reader may see it, and a bounded query count."""

import datetime

import pytest
from django.core import mail

from accounts.services import language_set
from alerts.models import SavedSearch
from alerts.services import claim_window, digest_moment, send_digests
from needs.models import NeedStatus
from notices.models import Notification
from tests.alerts.factories import (
    DAY,
    NOW,
    TEHRAN,
    need_displayed_at,
    saved_search,
    supplier_user,
)
from tests.factories import CompanyFactory, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(now=NOW):
        with django_capture_on_commit_callbacks(execute=True):
            return send_digests(now)
    return run


def test_the_digest_lists_only_new_matching_public_needs(run):
    user = supplier_user()
    saved_search(user, "q=ترمز&province=qom", created_at=NOW - 2 * DAY)
    new = need_displayed_at(NOW - DAY, title="لنت ترمز جلو", title_en="Front brake pads")
    need_displayed_at(NOW - 3 * DAY, title="لنت ترمز قدیمی")  # before the window
    need_displayed_at(NOW - DAY, title="بلبرینگ", title_en="Bearing")  # does not match
    need_displayed_at(NOW - DAY, title="ترمز اصفهان", province=province("isfahan"))  # other province
    withdrawn = need_displayed_at(NOW - DAY, title="ترمز پس گرفته")
    withdrawn.__class__.objects.filter(pk=withdrawn.pk).update(status=NeedStatus.WITHDRAWN)
    private = need_displayed_at(NOW - DAY, title="ترمز بی رضایت")
    private.__class__.objects.filter(pk=private.pk).update(status=NeedStatus.IN_TALKS, display_consent=False)
    assert run() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "لنت ترمز جلو" in body and f"/needs/{new.pk}/" in body
    for absent in ("قدیمی", "بلبرینگ", "اصفهان", "پس گرفته", "بی رضایت"):
        assert absent not in body


def test_one_letter_per_reader_grouping_their_searches_and_an_inbox_notification(run):
    user = supplier_user()
    saved_search(user, "q=ترمز", name="ترمزها")
    saved_search(user, "sector=auto-parts", name="قطعات خودرو")
    need_displayed_at(NOW - DAY, title="لنت ترمز")
    other = supplier_user("other")
    saved_search(other, "q=ترمز")
    assert run() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.com", "sup@example.com"]
    letter = next(m for m in mail.outbox if m.to == ["sup@example.com"])
    assert "ترمزها" in letter.body and "قطعات خودرو" in letter.body
    note = Notification.objects.get(user=user)
    assert note.event == "alert" and "لنت ترمز" in note.body and note.link == "/alerts/"


def test_nothing_is_sent_when_nothing_is_new(run):
    saved_search(supplier_user(), "q=ترمز")
    need_displayed_at(NOW - DAY, title="بلبرینگ")
    assert run() == 0
    assert mail.outbox == [] and not Notification.objects.exists()


def test_running_twice_sends_nothing_new_and_the_next_day_lists_only_the_later_needs(run):
    user = supplier_user()
    search = saved_search(user, "q=ترمز")
    need_displayed_at(NOW - DAY, title="لنت ترمز اول")
    assert run() == 1
    assert run(NOW + datetime.timedelta(hours=3)) == 0  # same day: already sent
    search.refresh_from_db()
    assert search.last_digest_at == NOW
    need_displayed_at(NOW + datetime.timedelta(hours=1), title="لنت ترمز دوم")
    assert run(NOW + DAY) == 1
    assert len(mail.outbox) == 2
    assert "دوم" in mail.outbox[1].body and "اول" not in mail.outbox[1].body


def test_a_search_saved_after_the_digest_hour_waits_for_the_next_day(run):
    user = supplier_user()
    saved_search(user, "q=ترمز", created_at=NOW - datetime.timedelta(minutes=30))  # 08:30, after 08:00
    need_displayed_at(NOW - datetime.timedelta(minutes=10), title="لنت ترمز")
    assert run() == 0
    assert run(NOW + DAY) == 1


def test_the_digest_moment_is_the_configured_hour(settings):
    settings.ALERT_DIGEST_HOUR = 8
    assert digest_moment(NOW) == datetime.datetime(2025, 11, 10, 8, 0, tzinfo=TEHRAN)
    assert digest_moment(NOW.replace(hour=7)) == datetime.datetime(2025, 11, 9, 8, 0, tzinfo=TEHRAN)


def test_a_window_is_claimed_once():
    search = saved_search(supplier_user(), "q=ترمز")
    stale = SavedSearch.objects.get(pk=search.pk)
    assert claim_window(search, NOW)
    assert not claim_window(stale, NOW)  # a second worker that read the same row
    assert not claim_window(stale, NOW + datetime.timedelta(minutes=1))


def test_unsubscribed_searches_and_readers_no_longer_suppliers_get_nothing(run):
    from companies.models import Company
    from companies.selectors import company_for_user

    off = supplier_user("off")
    SavedSearch.objects.filter(pk=saved_search(off, "q=ترمز").pk).update(unsubscribed=True)
    gone = supplier_user("gone")
    saved_search(gone, "q=ترمز")
    Company.objects.filter(pk=company_for_user(gone).pk).update(is_verified=False)
    need_displayed_at(NOW - DAY, title="لنت ترمز")
    assert run() == 0
    assert mail.outbox == []


def test_an_anonymous_buyer_is_never_named_in_the_digest(run):
    user = supplier_user()
    saved_search(user, "q=ترمز")
    buyer = CompanyFactory(name_fa="شرکت پنهان", name_en="Hidden Industries")
    need = need_displayed_at(NOW - DAY, title="لنت ترمز", buyer=buyer, is_anonymous=True)
    assert run() == 1
    letter = mail.outbox[0]
    note = Notification.objects.get(user=user)
    for text in (letter.subject, letter.body, note.subject, note.body):
        assert "پنهان" not in text and "Hidden" not in text and buyer.national_id not in text
    assert need.public_buyer_label() in letter.body  # "a manufacturer in Qom", in Persian


def test_a_named_buyer_and_an_english_reader(run):
    user = supplier_user()
    language_set(user=user, language="en")
    saved_search(user, "q=brake", name="Brakes")
    need_displayed_at(NOW - DAY, title="لنت ترمز", title_en="Brake pads", buyer=CompanyFactory(name_en="Open Brakes Co"))
    run()
    letter = mail.outbox[0]
    assert "Brake pads" in letter.body and "Open Brakes Co" in letter.body
    assert letter.subject == "1 new need matches your saved searches"
    assert "/en/alerts/unsubscribe/" in letter.body


def test_the_query_count_does_not_grow_with_the_needs(run, django_assert_max_num_queries):
    user = supplier_user()
    saved_search(user, "q=ترمز")
    saved_search(user, "sector=auto-parts")
    shelf_need = need_displayed_at(NOW - DAY, title="لنت ترمز ۱")
    for n in range(2, 8):
        need_displayed_at(NOW - DAY, title=f"لنت ترمز {n}", shelf=shelf_need.shelf)
    with django_assert_max_num_queries(30):
        assert run() == 1
    assert mail.outbox[0].body.count("/needs/") >= 7
