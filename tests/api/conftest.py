import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The API counts requests per caller in the cache; every test starts with none, so a
    test never meets the 429 that earlier tests earned."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client):
    """The test client asking for JSON, as an API caller would."""
    client.defaults["HTTP_ACCEPT"] = "application/json"
    return client
