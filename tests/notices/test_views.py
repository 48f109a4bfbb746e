"""The inbox (/notifications/) and the notification settings (/notifications/settings/)."""

import datetime

import pytest
from django.utils import timezone

from core.text import to_persian_digits
from notices.models import ChannelPreference, Notification, SmsNumber
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    user = UserFactory(username="reader")
    client.force_login(user)
    return user


def notes(user, n, **fields):
    start = timezone.now()
    made = Notification.objects.bulk_create(
        Notification(user=user, event="meeting", subject=f"Subject {i}", body=f"Body {i}", link=f"/account/meetings/{i}/", **fields)
        for i in range(n)
    )
    for i, note in enumerate(made):  # created_at is auto_now_add: one a minute apart, the last newest
        Notification.objects.filter(pk=note.pk).update(created_at=start + datetime.timedelta(minutes=i))
    return made


def test_the_inbox_needs_a_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize("prefix, heading, unread", [("", "اعلان‌ها", "خوانده‌نشده"), ("/en", "Notifications", "Unread")])
def test_the_inbox_lists_the_readers_notifications_newest_first(client, reader, prefix, heading, unread):
    notes(reader, 3)
    notes(UserFactory(username="other"), 1, read_at=None)
    Notification.objects.filter(subject="Subject 0", user=reader).update(read_at=timezone.now())
    page = client.get(f"{prefix}/notifications/").content.decode()
    shown = (lambda text: text) if prefix else to_persian_digits  # a Persian page shows Persian digits
    assert f"<h1>{heading}</h1>" in page
    assert page.index(shown("Subject 2")) < page.index(shown("Subject 1")) < page.index(shown("Subject 0"))
    assert page.count('class="notice unread"') == 2
    assert page.count(f'notice-badge">{unread}</span>') == 2  # read out as well as seen
    assert page.count(shown("Body 0")) == 1  # the other reader's notification is not here


def test_the_inbox_is_paginated(client, reader):
    notes(reader, 25)
    first = client.get("/en/notifications/").content.decode()
    second = client.get("/en/notifications/?page=2").content.decode()
    assert "Subject 24" in first and "Subject 5" in first and "Subject 4" not in first
    assert "Subject 4" in second and "Subject 0" in second and "Subject 24" not in second


@pytest.mark.parametrize("rows", [3, 60])
def test_the_inbox_costs_the_same_queries_for_few_or_many(client, reader, rows, django_assert_max_num_queries):
    notes(reader, rows)
    with django_assert_max_num_queries(6):
        response = client.get("/notifications/")
    assert response.status_code == 200


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client, reader):
    [note] = notes(reader, 1)
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/account/meetings/0/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_is_a_post(client, reader):
    [note] = notes(reader, 1)
    assert client.get(f"/notifications/{note.pk}/open/").status_code == 405
    note.refresh_from_db()
    assert note.read_at is None


def test_another_readers_notification_cannot_be_opened(client, reader):
    [note] = notes(UserFactory(username="other"), 1)
    assert client.post(f"/notifications/{note.pk}/open/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize("link", [
    "https://evil.example/phish", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "relative/path", "",
])
def test_opening_never_leads_off_the_site(client, reader, link):
    note = Notification.objects.create(user=reader, event="tour", subject="x", link=link)
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_a_link_to_the_sites_own_address_is_followed(client, reader, settings):
    settings.SITE_URL = "https://portal.example"
    note = Notification.objects.create(user=reader, event="tour", subject="x", link="https://portal.example/tours/3/")
    assert client.post(f"/notifications/{note.pk}/open/")["Location"] == "https://portal.example/tours/3/"


def test_mark_all_as_read(client, reader):
    notes(reader, 3)
    [other] = notes(UserFactory(username="other"), 1)
    response = client.post("/en/notifications/read/", follow=True)
    assert "All your notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(user=reader, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


# --- the header ---------------------------------------------------------------------------
def test_the_header_shows_the_unread_count(client, reader):
    notes(reader, 4)
    Notification.objects.filter(subject="Subject 0").update(read_at=timezone.now())
    page = client.get("/en/notifications/settings/").content.decode()
    assert '<span class="badge notice-count">3</span><span class="visually-hidden"> unread</span>' in page


def test_no_count_without_unread_notifications(client, reader):
    page = client.get("/en/notifications/settings/").content.decode()
    assert 'href="/en/notifications/"' in page and "notice-count" not in page


def test_the_header_count_costs_one_query(client, reader, django_assert_num_queries):
    notes(reader, 2)
    client.get("/en/stats/")  # warm whatever the page itself caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/stats/")
    assert sum("notices_notification" in q["sql"] for q in queries.captured_queries) == 1


def test_an_anonymous_visitor_costs_no_count_query(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/stats/")
    assert not any("notices_notification" in q["sql"] for q in queries.captured_queries)


def test_a_cached_public_page_never_carries_a_users_count(client, reader):
    notes(reader, 7)
    visitor = type(client)()
    before = visitor.get("/en/needs/").content.decode()  # an anonymous visit fills the cache
    signed_in = client.get("/en/needs/").content.decode()
    after = visitor.get("/en/needs/").content.decode()  # from the cache
    assert '<span class="badge notice-count">7</span>' in signed_in
    for page in (before, after):
        assert "notice-count" not in page and "/en/notifications/" not in page


# --- preferences --------------------------------------------------------------------------
@pytest.mark.parametrize("prefix, heading", [("", "تنظیمات اعلان‌ها"), ("/en", "Notification settings")])
def test_the_settings_page_shows_a_box_per_event_and_channel(client, reader, prefix, heading):
    page = client.get(f"{prefix}/notifications/settings/").content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert page.count('type="checkbox"') == 8 * 3
    assert 'name="email-meeting" id="id_email-meeting" checked' in page  # the defaults: site and e-mail on
    assert 'name="sms-meeting" id="id_sms-meeting">' in page or 'name="sms-meeting" id="id_sms-meeting" >' in page
    assert '<label class="visually-hidden" for="id_sms-meeting">' in page


def test_saving_the_settings(client, reader):
    response = client.post("/en/notifications/settings/", {"sms-meeting": "on", "email-tour": "on", "phone": "+98 912 123 4567"}, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    assert ChannelPreference.objects.get(user=reader, event="meeting").sms
    assert not ChannelPreference.objects.get(user=reader, event="meeting").email
    assert SmsNumber.objects.get(user=reader).phone == "09121234567"
    page = response.content.decode()
    assert 'value="09121234567"' in page


@pytest.mark.parametrize("prefix, message", [
    ("/en", "Enter an Iranian mobile number"), ("", "ایرانی ۱۱ رقمی"),
])
def test_a_bad_number_is_refused_with_a_clear_message(client, reader, prefix, message):
    response = client.post(f"{prefix}/notifications/settings/", {"phone": "12345"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SmsNumber.objects.exists()


def test_sms_boxes_without_a_number_are_refused(client, reader):
    response = client.post("/en/notifications/settings/", {"sms-meeting": "on", "phone": ""})
    assert "Enter your mobile number to receive SMS." in response.content.decode()
    assert not ChannelPreference.objects.exists()
