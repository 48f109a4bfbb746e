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


# --- one data version per scope: a write empties only the pages that show it -------------
def test_the_scopes_are_the_ones_the_migration_keeps():
    import importlib

    from core.public_cache import SCOPES

    migration = importlib.import_module("portal.migrations.0002_scoped_data_versions")
    assert set(migration.SCOPES) == set(SCOPES)
    assert {scope for scopes in migration.SCOPES_OF_TABLE.values() for scope in scopes} == set(SCOPES)


def test_a_tour_registration_or_a_declaration_leaves_the_catalogue_cached(client):
    """On a live site suppliers register for tours and declare all day: the catalogue's
    cached page and its ETag stay; the figures (every scope) are refreshed."""
    from tests.factories import SupplierFactory, TourFactory, declaration
    from tours.models import TourRegistration

    need = displayed_need(title="ورق آلومینیوم")
    tour, supplier = TourFactory(), SupplierFactory()  # companies and places are the catalogue's
    catalogue = client.get("/needs/")
    stats = client.get("/stats/")
    catalogue_version = data_version(["catalogue"])
    everything = data_version()

    TourRegistration.objects.create(tour=tour, company=supplier, attendees=1)
    declaration(need=need, supplier=supplier)
    assert data_version(["catalogue"]) == catalogue_version
    assert data_version() != everything
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/needs/", headers={"if-none-match": catalogue["ETag"]})
    assert again.status_code == 304 and len(queries) == 1
    assert client.get("/stats/")["ETag"] != stats["ETag"]


@pytest.mark.parametrize("table, scopes", [
    ("needs_need", {"catalogue"}),
    ("companies_company", {"catalogue"}),
    ("exhibitions_exhibition", {"catalogue", "tours"}),
    ("matchmaking_tour", {"tours"}),
    ("matchmaking_interest", {"matchmaking"}),
    ("matchmaking_exchangerate", {"matchmaking"}),
])
def test_a_write_to_a_table_advances_exactly_its_scopes(table, scopes):
    """Raw SQL too (no signals): the database keeps the versions."""
    from core.public_cache import SCOPES
    from tests.factories import TourFactory, declaration

    displayed_need()
    TourFactory()
    declaration()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO matchmaking_exchangerate (effective_on, rials_per_usd, source, created_at) "
                       "VALUES ('2026-01-01', 700000, '', CURRENT_TIMESTAMP)")
    before = {scope: data_version([scope]) for scope in SCOPES}
    with connection.cursor() as cursor:
        column = "effective_on" if table == "matchmaking_exchangerate" else "id"
        cursor.execute(f"UPDATE {table} SET {column} = {column}")  # noqa: S608 (names from the list above)
    after = {scope: data_version([scope]) for scope in SCOPES}
    assert {scope for scope in SCOPES if after[scope] != before[scope]} == scopes
