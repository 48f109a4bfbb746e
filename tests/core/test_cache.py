"""The shared cache may go away (Redis stopped, restarted, unreachable): the site then
answers uncached, never with a 500. No Redis server is needed: the cache points at a port
where nothing listens, as it does while Redis is stopped."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.factories import displayed_need


def _configured_backend() -> str:
    """The cache backend portal/settings.py picks when REDIS_URL is set (as in production)."""
    code = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.CACHES['default']))"
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _dead_address() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # closed again: nothing listens there


@pytest.fixture
def redis_down():
    config = {**_configured_backend(), "LOCATION": _dead_address()}
    with override_settings(CACHES={"default": config}):
        yield config


@pytest.mark.django_db
def test_public_pages_answer_while_redis_is_down(client, redis_down):
    need = displayed_need()
    for url in ("/", "/needs/", f"/needs/{need.pk}/", "/stats/", "/en/needs/", "/api/needs/", "/api/stats/"):
        response = client.get(url)
        assert response.status_code == 200, url
    # and twice: nothing was kept, so the second visit is built again, still 200
    assert client.get("/needs/").status_code == 200


@pytest.mark.django_db
def test_login_and_posts_work_while_redis_is_down(client, redis_down):
    """Form posts are throttled through the cache; while it is away the throttle lets posts
    through (fails open), and the login lockouts, kept in the database, still count."""
    from tests.factories import UserFactory

    user = UserFactory(username="sara")
    user.set_password("a long pass phrase 7")
    user.save()
    response = client.post("/account/login/", {"username": "sara", "password": "a long pass phrase 7"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_readiness_reports_the_cache_down_without_failing(client, redis_down):
    response = client.get("/healthz?ready=1")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["cache"] == "ConnectionError"
    assert client.get("/healthz").status_code == 200


def test_the_cache_answers_as_a_miss_and_keeps_nothing_while_down(redis_down):
    assert cache.get("a") is None
    assert cache.get("a", "default") == "default"
    cache.set("a", 1)
    assert cache.add("b", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("c", 3) == 3
    cache.delete("a")
    cache.delete_many(["a", "b"])
    cache.set_many({"a": 1})
    assert cache.has_key("a") is False
    with pytest.raises(ValueError):  # as for a key that is not there (core/throttle.py then lets the post through)
        cache.incr("n")


def test_the_cache_connects_with_short_timeouts():
    """A Redis that does not answer (a partition, not a refusal) must not hold a request for
    the socket's default timeout."""
    options = _configured_backend().get("OPTIONS", {})
    assert 0 < options["socket_connect_timeout"] <= 1
    assert 0 < options["socket_timeout"] <= 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_redis(port: int) -> subprocess.Popen:
    import shutil
    import time

    server = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return server
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def test_a_real_redis_stopped_and_started_again(monkeypatch):
    """With a real redis-server: kept values are served; while it is stopped, misses and no
    errors; once it is back (after RETRY_AFTER), the cache is used again without a restart."""
    import shutil

    import core.cache

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    port = _free_port()
    config = {**_configured_backend(), "LOCATION": f"redis://127.0.0.1:{port}/0"}
    monkeypatch.setattr(core.cache, "RETRY_AFTER", 0.2)
    server = _start_redis(port)
    try:
        with override_settings(CACHES={"default": config}):
            cache.set("kept", "yes")
            assert cache.get("kept") == "yes"
            server.terminate()
            server.wait(10)
            assert cache.get("kept") is None
            cache.set("kept", "again")  # dropped, no error
            import time

            time.sleep(0.3)
            server = _start_redis(port)
            time.sleep(0.3)
            cache.set("kept", "back")
            assert cache.get("kept") == "back"
    finally:
        server.terminate()
        server.wait(10)
