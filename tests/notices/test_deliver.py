"""notices.services.deliver: each letter on its reader's channels for its event."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from core.mail import compose_letter
from notices.models import EVENTS, ChannelPreference, Notification, SmsNumber
from notices.services import clean_mobile_number, deliver, preferences_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def letter(user, event="meeting", link="http://127.0.0.1:8000/account/meetings/7/"):
    return compose_letter(
        to=getattr(user, "email", "company@example.com"), subject="Meeting proposed", lines=["Hello"], link=link,
        user=user, event=event,
    )


def test_a_reader_who_never_chose_gets_the_inbox_and_email_but_no_sms(settings, sms_outbox):
    user = UserFactory(username="reader")
    SmsNumber.objects.create(user=user, phone="09121234567")
    with transaction.atomic():
        assert deliver([letter(user)]) == 1
    note = Notification.objects.get(user=user)
    assert (note.event, note.subject, note.link) == ("meeting", "Meeting proposed", "/account/meetings/7/")
    assert [m.to for m in mail.outbox] == [["reader@example.com"]]
    assert sms_outbox == []


def test_preferences_are_per_event_and_channel(sms_outbox, django_capture_on_commit_callbacks):
    user = UserFactory(username="picky")
    preferences_save(user=user, chosen={"meeting": {"sms"}, "tour": {"site", "email"}}, phone="09121234567")
    with django_capture_on_commit_callbacks(execute=True):
        deliver([letter(user, "meeting"), letter(user, "tour"), letter(user, "decision")])
    assert list(Notification.objects.filter(user=user).values_list("event", flat=True)) == ["tour"]
    assert len(mail.outbox) == 1  # the tour's; decision was left with no channel ticked
    assert [(sms.to, sms.text) for sms in sms_outbox] == [
        ("09121234567", "Meeting proposed\nhttp://127.0.0.1:8000/account/meetings/7/")
    ]


def test_a_company_mailbox_letter_goes_by_email_only(sms_outbox):
    deliver([letter(None)])
    assert [m.to for m in mail.outbox] == [["company@example.com"]]
    assert not Notification.objects.exists()
    assert sms_outbox == []


def test_sms_without_a_number_is_not_sent(sms_outbox, django_capture_on_commit_callbacks):
    user = UserFactory(username="nonumber")
    ChannelPreference.objects.create(user=user, event="meeting", site=False, email=False, sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        deliver([letter(user)])
    assert sms_outbox == [] and mail.outbox == []


def test_the_deliver_queries_do_not_grow_with_the_letters(django_assert_max_num_queries, sms_outbox):
    users = [UserFactory(username=f"many{n}") for n in range(12)]
    with django_assert_max_num_queries(3):
        deliver([letter(user) for user in users])
    assert Notification.objects.count() == 12


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sms_goes_only_after_the_commit(sms_outbox):
    user = UserFactory(username="texted")
    preferences_save(user=user, chosen={"meeting": {"sms"}}, phone="۰۹۱۲ ۱۲۳ ۴۵۶۷")
    with transaction.atomic():
        deliver([letter(user)])
        assert sms_outbox == []
    assert [sms.to for sms in sms_outbox] == ["09121234567"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_sms_for_a_delivery_that_rolled_back(sms_outbox):
    user = UserFactory(username="rolled")
    preferences_save(user=user, chosen={"meeting": {"sms"}}, phone="09121234567")
    with pytest.raises(RuntimeError), transaction.atomic():
        deliver([letter(user)])
        raise RuntimeError
    assert sms_outbox == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize("typed", ["09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "+98 912 123 4567", "00989121234567", "0912-123-4567"])
def test_mobile_numbers_are_stored_as_09(typed):
    assert clean_mobile_number(typed) == "09121234567"


@pytest.mark.parametrize("typed", ["0212345678", "12345", "+1 912 123 4567", "09121234567x", "0812345678901"])
def test_other_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        clean_mobile_number(typed)


def test_sms_boxes_need_a_number():
    user = UserFactory(username="boxes")
    with pytest.raises(ValidationError):
        preferences_save(user=user, chosen={"meeting": {"sms"}}, phone="")
    assert not ChannelPreference.objects.filter(user=user).exists()


def test_saving_preferences_stores_every_event_and_the_number():
    user = UserFactory(username="saver")
    preferences_save(user=user, chosen={"tour": {"email"}}, phone="+989121234567")
    rows = {row.event: (row.site, row.email, row.sms) for row in ChannelPreference.objects.filter(user=user)}
    assert set(rows) == set(EVENTS)
    assert rows["tour"] == (False, True, False) and rows["meeting"] == (False, False, False)
    assert SmsNumber.objects.get(user=user).phone == "09121234567"
    preferences_save(user=user, chosen={}, phone="")
    assert not SmsNumber.objects.filter(user=user).exists()
