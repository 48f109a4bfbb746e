import types

import pytest

from core import throttle

pytestmark = pytest.mark.django_db

# 12:00:30 on some day: half a minute into the throttle's one-minute window.
HALF_MINUTE_IN = 1_760_000_000 - 1_760_000_000 % 60 + 30


class Clock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The throttle counts posts per wall-clock minute; every test here sets that clock, so
    no minute boundary can fall between its posts, however slow the machine."""
    clock = Clock(HALF_MINUTE_IN)
    monkeypatch.setattr(throttle, "time", types.SimpleNamespace(time=clock.time))
    return clock


def test_public_form_posts_beyond_the_rate_get_a_429_in_persian(client, settings):
    settings.POST_THROTTLE_RATE = 3
    statuses = [client.post("/account/login/", {"username": "x", "password": "y"}).status_code for _ in range(4)]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    response = client.post("/account/login/", {"username": "x", "password": "y"})
    assert "تلاش کنید" in response.content.decode()
    # Half the minute is left.
    assert response["Retry-After"] == "30"


def test_the_count_starts_again_in_the_next_minute(client, settings, clock):
    settings.POST_THROTTLE_RATE = 1
    client.post("/account/login/", {"username": "x", "password": "y"})
    clock.now += 29
    assert client.post("/account/login/", {"username": "x", "password": "y"}).status_code == 429
    clock.now += 1  # 12:01:00
    assert client.post("/account/login/", {"username": "x", "password": "y"}).status_code != 429


def test_each_address_has_its_own_count(client, settings):
    settings.POST_THROTTLE_RATE = 1
    client.post("/account/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.1")
    assert client.post("/account/login/", {}, REMOTE_ADDR="10.0.0.2").status_code != 429
    assert client.post("/account/login/", {}, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_a_forged_forwarded_header_does_not_dodge_the_throttle(client, settings):
    settings.POST_THROTTLE_RATE = 1
    client.post("/account/login/", {}, HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client.post("/account/login/", {}, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


def test_staff_in_the_admin_are_not_throttled(admin_client, settings):
    settings.POST_THROTTLE_RATE = 1
    for _ in range(3):
        assert admin_client.post("/admin/logout/").status_code != 429
