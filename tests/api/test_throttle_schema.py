"""Throttling, the OpenAPI schema and the renderers of the API."""

import json
import os
import subprocess
import sys

import pytest
import yaml

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


def test_schema_describes_every_endpoint(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="*/*")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/needs/", "/api/needs/{id}/", "/api/exhibitions/", "/api/exhibitions/{slug}/", "/api/tours/",
            "/api/tours/{id}/"} <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/needs/"]["get"]["parameters"]}
    assert {"province", "sector", "exhibition", "hs", "fx_min", "fx_max", "status", "q", "sort", "page",
            "page_size"} <= params
    need = schema["components"]["schemas"]["Need"]["properties"]
    assert "buyer" in need and "national_id" not in need


def test_schema_as_json(api):
    response = api.get("/api/schema/", {"format": "json", "lang": "en"})
    assert response.status_code == 200
    assert "/api/needs/" in response.json()["paths"]


def _renderers(**environ) -> list[str]:
    code = "import json, portal.settings as s; print(json.dumps(s.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']))"
    env = {**os.environ, **environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_only_json_is_rendered_in_production_and_the_browsable_api_only_when_debugging():
    assert _renderers(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.ir") == [
        "rest_framework.renderers.JSONRenderer"
    ]
    assert _renderers(DEBUG="1") == [
        "rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"
    ]

