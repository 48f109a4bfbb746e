"""The thread page costs the same number of queries with 3 messages as with 40."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations.models import Attachment, Message
from tests.conversations.conftest import upload

pytestmark = pytest.mark.django_db


def _fill(world, n):
    people = [("buyer", world["buyer_member"]), ("supplier", world["supplier_member"]), ("staff", world["qom_staff"])]
    for i in range(n):
        side, user = people[i % 3]
        message = Message.objects.create(interest=world["interest"], author=user, author_side=side, body=f"m{i}")
        if i % 2:
            attachment = Attachment(message=message, original_name="a.pdf", content_type="application/pdf", size=10)
            attachment.file.save("a.pdf", upload().file, save=True)


def _count(client, world, who):
    client.force_login(world[who])
    url = reverse("conversations:thread", args=[world["interest"].pk])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["supplier_member", "buyer_member", "qom_staff"])
def test_queries_do_not_grow_with_the_thread(client, world, who):
    _fill(world, 3)
    few = _count(client, world, who)
    _fill(world, 37)
    assert _count(client, world, who) == few
