"""Only the thread's parties see it: the two companies' approved members and the staff
serving the need's province (national staff serve all). Everyone else gets 404, on the
thread, its messages and its files."""

import pytest
from django.urls import reverse

from conversations.services import message_post
from tests.conversations.conftest import upload

pytestmark = pytest.mark.django_db


def _thread(world):
    return reverse("conversations:thread", args=[world["interest"].pk])


@pytest.mark.parametrize("who", ["buyer_member", "supplier_member", "qom_staff", "national_staff"])
def test_parties_open_the_thread(client, world, who):
    client.force_login(world[who])
    assert client.get(_thread(world)).status_code == 200


@pytest.mark.parametrize("who", ["tehran_staff", "stranger"])
def test_outsiders_get_404_on_the_thread_its_messages_and_its_files(client, world, who):
    message = message_post(interest=world["interest"], by=world["supplier_member"], body="hello", files=[upload()])
    attachment = message.attachments.get()
    client.force_login(world[who])
    assert client.get(_thread(world)).status_code == 404
    assert client.post(_thread(world), {"body": "let me in"}).status_code == 404
    assert client.get(reverse("conversations:attachment", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("conversations:message-withdraw", args=[message.pk])).status_code == 404
    assert client.post(reverse("conversations:message-hide", args=[message.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("conversations:reveal", args=[world["interest"].pk])).status_code == 404
    message.refresh_from_db()
    assert message.is_shown


def test_a_visitor_is_sent_to_sign_in(client, world):
    response = client.get(_thread(world))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_post_as_programme_staff(client, world):
    client.force_login(world["qom_staff"])
    client.post(_thread(world), {"body": "سلام از دبیرخانه"})
    client.force_login(world["supplier_member"])
    page = client.get(_thread(world)).content.decode()
    assert "سلام از دبیرخانه" in page
    assert "qom-staff" not in page


def test_the_meeting_and_declaration_pages_link_the_thread(client, world):
    client.force_login(world["supplier_member"])
    page = client.get(reverse("matchmaking:interest-detail", args=[world["interest"].pk])).content.decode()
    assert _thread(world) in page
