import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.public_cache import data_version
from needs.models import Need
from tests.factories import displayed_need

pytestmark = pytest.mark.django_db


def test_every_write_path_advances_the_data_version():
    need = displayed_need()
    before = data_version()
    Need.objects.filter(pk=need.pk).update(annual_fx_usd=123)  # no signals, no updated_at
    after_update = data_version()
    assert after_update != before
    with connection.cursor() as cursor:
        cursor.execute("UPDATE needs_need SET title = 'x' WHERE id = %s", [need.pk])
    assert data_version() != after_update


def test_a_repeat_visit_is_served_from_the_page_cache_and_a_change_refreshes_it(client):
    need = displayed_need(title="ورق آلومینیوم")
    first = client.get("/needs/")
    assert "ورق آلومینیوم" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/needs/")
    assert again.content == first.content
    assert len(queries) == 1  # the data version only

    Need.objects.filter(pk=need.pk).update(title="لوله مسی")
    fresh = client.get("/needs/").content.decode()
    assert "لوله مسی" in fresh and "ورق آلومینیوم" not in fresh


def test_the_same_etag_from_every_worker_gives_a_304(client):
    displayed_need()
    etag = client.get("/needs/")["ETag"]
    assert client.get("/needs/", headers={"if-none-match": etag}).status_code == 304
