"""Nothing the supplier receives (pages, files, mail, inbox) names an anonymous buyer or its
people until the buyer reveals itself to that supplier; afterwards the name shows."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from conversations.services import message_post, thread_reveal_buyer
from notices.models import Notification

pytestmark = pytest.mark.django_db


def _everything_for(user) -> str:
    notes = Notification.objects.filter(user=user)
    letters = [m for m in mail.outbox if user.email in m.to]
    return "\n".join([*(f"{n.subject}\n{n.body}\n{n.link}" for n in notes),
                      *(f"{m.subject}\n{m.body}\n{m.message()}" for m in letters)])


def _post(world, who, body, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return message_post(interest=world["interest"], by=world[who], body=body)


def test_the_supplier_is_told_without_the_buyers_identity(world, django_capture_on_commit_callbacks, client):
    _post(world, "buyer_member", "Please send your catalogue", django_capture_on_commit_callbacks)
    supplier = world["supplier_member"]
    received = _everything_for(supplier)
    assert "Please send your catalogue" in received
    assert Notification.objects.filter(user=supplier, event="message").count() == 1
    for secret in world["secrets"]:
        assert secret not in received
    # Only the other side hears: not the author, nor the mediating staff of a buyer's message.
    assert not _everything_for(world["buyer_member"])
    client.force_login(supplier)
    page = client.get(reverse("conversations:thread", args=[world["interest"].pk])).content.decode()
    for secret in world["secrets"]:
        assert secret not in page


def test_the_buyer_side_and_mediating_staff_hear_of_a_suppliers_message(world, django_capture_on_commit_callbacks):
    _post(world, "supplier_member", "Our offer", django_capture_on_commit_callbacks)
    for who in ("buyer_member", "qom_staff"):
        assert "Our offer" in _everything_for(world[who])
    assert not _everything_for(world["tehran_staff"])
    assert not _everything_for(world["supplier_member"])


def test_after_the_reveal_the_supplier_sees_the_name(world, django_capture_on_commit_callbacks, client):
    client.force_login(world["buyer_member"])
    response = client.post(reverse("conversations:reveal", args=[world["interest"].pk]))
    assert response.status_code == 302
    mail.outbox.clear()
    _post(world, "buyer_member", "Now you know us", django_capture_on_commit_callbacks)
    supplier = get_user_model().objects.get(pk=world["supplier_member"].pk)
    received = _everything_for(supplier)
    assert "صنایع رازدار قم" in received  # the supplier reads Persian by default
    client.force_login(supplier)
    page = client.get(reverse("conversations:thread", args=[world["interest"].pk])).content.decode()
    assert "صنایع رازدار قم" in page
    # People's names and addresses still are not shown across sides.
    assert "Razdar" not in page and "ceo@secretive.example" not in received


def test_only_the_buyers_members_reveal(world):
    from django.core.exceptions import PermissionDenied

    for who in ("supplier_member", "qom_staff"):
        with pytest.raises(PermissionDenied):
            thread_reveal_buyer(interest=world["interest"], by=world[who])


def test_a_message_withdrawn_before_delivery_is_not_sent(world, django_capture_on_commit_callbacks):
    from conversations.services import message_withdraw
    from conversations.tasks import notify_message

    message = message_post(interest=world["interest"], by=world["buyer_member"], body="oops")
    message_withdraw(message=message, by=world["buyer_member"])
    assert notify_message.call(message.pk) == 0
    assert not _everything_for(world["supplier_member"])
