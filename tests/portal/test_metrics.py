"""/metrics: what a Prometheus server scrapes, read back with prometheus_client's own parser."""

import pytest
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import NeedFactory, displayed_need

TOKEN = "scrape-token-for-tests-0123456789"


def scrape(client) -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {family.name: family for family in text_string_to_metric_families(response.content.decode())}


def value(family, **labels) -> float:
    """The sum of a gauge's or counter's samples with these labels (a counter's are *_total)."""
    names = {family.name, family.name + "_total"}
    return sum(s.value for s in family.samples if s.name in names and all(s.labels.get(k) == v for k, v in labels.items()))


@pytest.mark.django_db
def test_metrics_are_off_without_a_token_and_refused_with_a_wrong_one(client):
    assert client.get("/metrics").status_code == 404
    with override_settings(METRICS_TOKEN=TOKEN):
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
        assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_requests_latency_and_database_time_by_view(client):
    displayed_need()
    before = scrape(client)
    for _ in range(3):
        client.get("/needs/")
    client.get("/no-such-page/")
    after = scrape(client)
    count = lambda families, **labels: value(families["portal_http_requests"], **labels)  # noqa: E731
    assert count(after, view="needs:list", status="2xx") - count(before, view="needs:list", status="2xx") == 3
    assert count(after, view="<unmatched>", status="4xx") - count(before, view="<unmatched>", status="4xx") == 1
    latency = after["portal_http_request_duration_seconds"]
    observed = [s for s in latency.samples if s.name.endswith("_count") and s.labels["view"] == "needs:list"]
    assert observed and observed[0].value >= 3
    assert any(s.labels.get("view") == "needs:list" for s in after["portal_http_request_db_seconds"].samples)
    assert value(after["portal_db_queries"], view="needs:list") > 0


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_programme_figures_and_the_task_queue(client):
    displayed_need()
    displayed_need()
    NeedFactory()  # identified, not on display
    families = scrape(client)
    assert value(families["portal_needs"], status="on_display") == 2
    assert value(families["portal_needs"], status="identified") == 1
    assert value(families["portal_needs_on_display_public"]) == 2
    assert "portal_tasks" in families and "portal_meetings" in families


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_a_scrape_costs_the_same_queries_whatever_the_data(client, django_assert_num_queries):
    displayed_need()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        scrape(client)
    for _ in range(5):
        displayed_need()
    with django_assert_num_queries(len(small.captured_queries)):
        scrape(client)


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_a_scrape_reads_the_needs_from_their_rollup_not_the_needs(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    displayed_need()
    with CaptureQueriesContext(connection) as queries:
        scrape(client)
    assert not [q["sql"] for q in queries if 'FROM "needs_need"' in q["sql"]]
