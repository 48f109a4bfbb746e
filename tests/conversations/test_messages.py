"""Posting, withdrawing and hiding; what the other party then sees; the hourly limit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from conversations.models import Message
from conversations.services import message_hide, message_post, message_withdraw
from tests.conversations.conftest import upload

pytestmark = pytest.mark.django_db


def _page(client, world, who) -> str:
    client.force_login(world[who])
    return client.get(reverse("conversations:thread", args=[world["interest"].pk])).content.decode()


def test_typed_text_is_stored_with_persian_letters(world):
    message = message_post(interest=world["interest"], by=world["supplier_member"], body="  كيفيت عالي  ")
    assert message.body == "کیفیت عالی"
    assert message.author_side == "supplier"


def test_an_empty_message_is_refused(world):
    with pytest.raises(ValidationError):
        message_post(interest=world["interest"], by=world["supplier_member"], body="   ")


def test_a_withdrawn_message_disappears_for_the_other_party_but_stays_marked_for_its_author_and_staff(client, world):
    message = message_post(interest=world["interest"], by=world["supplier_member"], body="price-123",
                           files=[upload("offer.pdf")])
    attachment = message.attachments.get()
    message_withdraw(message=message, by=world["supplier_member"])
    assert "price-123" not in _page(client, world, "buyer_member")
    assert client.get(reverse("conversations:attachment", args=[attachment.pk])).status_code == 404
    for who in ("supplier_member", "qom_staff"):
        page = _page(client, world, who)
        assert "price-123" in page
        assert client.get(reverse("conversations:attachment", args=[attachment.pk])).status_code == 200


def test_only_the_author_withdraws(world):
    message = message_post(interest=world["interest"], by=world["supplier_member"], body="mine")
    with pytest.raises(PermissionDenied):
        message_withdraw(message=message, by=world["buyer_member"])


def test_staff_hide_with_a_reason_kept_for_staff(client, world):
    message = message_post(interest=world["interest"], by=world["buyer_member"], body="call me on 0912")
    message_hide(message=message, by=world["qom_staff"], reason="phone number shared")
    assert "0912" not in _page(client, world, "supplier_member")
    author_page = _page(client, world, "buyer_member")
    assert "0912" in author_page and "phone number shared" not in author_page
    staff_page = _page(client, world, "qom_staff")
    assert "0912" in staff_page and "phone number shared" in staff_page


def test_companies_cannot_hide(world):
    message = message_post(interest=world["interest"], by=world["buyer_member"], body="x")
    with pytest.raises(PermissionDenied):
        message_hide(message=message, by=world["supplier_member"], reason="no")


def test_hiding_needs_a_reason(world):
    message = message_post(interest=world["interest"], by=world["buyer_member"], body="x")
    with pytest.raises(ValidationError):
        message_hide(message=message, by=world["qom_staff"], reason="  ")


def test_the_hourly_limit_is_counted_from_stored_messages(world, settings, monkeypatch):
    settings.CONVERSATION_MESSAGES_PER_HOUR = 3
    now = timezone.now()
    monkeypatch.setattr("conversations.services.timezone.now", lambda: now)
    for n in range(3):
        message_post(interest=world["interest"], by=world["supplier_member"], body=f"m{n}")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        message_post(interest=world["interest"], by=world["supplier_member"], body="one too many")
    assert "3 messages in the last hour" in refused.value.messages[0]
    # Another person is not held back by this one's messages.
    message_post(interest=world["interest"], by=world["buyer_member"], body="fine")
    # An hour later the earlier messages no longer count.
    Message.objects.filter(author=world["supplier_member"]).update(created_at=now - datetime.timedelta(minutes=61))
    message_post(interest=world["interest"], by=world["supplier_member"], body="again")


def test_the_limit_shows_on_the_page_in_persian(client, world, settings):
    settings.CONVERSATION_MESSAGES_PER_HOUR = 1
    message_post(interest=world["interest"], by=world["supplier_member"], body="first")
    client.force_login(world["supplier_member"])
    response = client.post(reverse("conversations:thread", args=[world["interest"].pk]), {"body": "second"})
    assert response.status_code == 200
    assert "در یک ساعت گذشته" in response.content.decode()
    assert Message.objects.filter(body="second").count() == 0
