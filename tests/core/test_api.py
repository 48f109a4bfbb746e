"""The API's throttles (core/api.py): per caller, across endpoints, in the caller's language."""

import pytest

from tests.factories import UserFactory, displayed_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }


def test_anonymous_callers_are_throttled_per_address(api, low_rates):
    displayed_need()
    assert [api.get("/api/needs/").status_code for _ in range(3)] == [200, 200, 200]
    throttled = api.get("/api/exhibitions/")  # the budget is per caller, across endpoints
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "detail" in throttled.json()
    other_address = api.get("/api/needs/", REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 200


def test_the_throttle_message_is_in_the_callers_language_and_digits(api, low_rates):
    for _ in range(3):
        api.get("/api/tours/")
    persian = api.get("/api/tours/").json()["detail"]
    english = api.get("/api/tours/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert english.startswith("Request was throttled. Expected available in ") and any(c.isascii() and c.isdigit() for c in english)
    assert not any(c.isascii() and c.isdigit() for c in persian)
    assert any("۰" <= c <= "۹" for c in persian)


def test_behind_a_proxy_callers_are_told_apart_by_forwarded_address(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "5/min"}, "NUM_PROXIES": 1,
    }
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert [api.get("/api/tours/", **first).status_code for _ in range(3)] == [200, 200, 429]
    assert api.get("/api/tours/", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_signed_in_users_have_their_own_budget(api, low_rates):
    api.force_login(UserFactory(username="reader"))
    assert [api.get("/api/tours/").status_code for _ in range(6)] == [200] * 5 + [429]


def test_the_default_budget_is_60_a_minute_for_anonymous_callers(api):
    codes = [api.get("/api/tours/").status_code for _ in range(61)]
    assert codes[:60] == [200] * 60 and codes[60] == 429
