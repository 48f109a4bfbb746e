"""The API's own pages (portal/api_urls.py): the OpenAPI schema, and /api/docs/, Swagger UI
served from our own static files, under the site's Content Security Policy, and actually
drawing the endpoints in headless Chromium."""

import json
import re
import time
from pathlib import Path

import pytest
import yaml
from django.core.serializers.json import DjangoJSONEncoder

from tests.factories import displayed_need

SHOTS = Path(__file__).resolve().parents[2] / "tests" / "screenshots"


@pytest.mark.django_db
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


@pytest.mark.django_db
def test_schema_as_json(api):
    response = api.get("/api/schema/", {"format": "json", "lang": "en"})
    assert response.status_code == 200
    assert "/api/needs/" in response.json()["paths"]


@pytest.mark.django_db
def test_docs_page_loads_nothing_from_elsewhere_and_needs_no_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert re.search(r"<script>\s*\S", html) is None  # every script has a src
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
    assert '"validatorUrl": null' in script.content.decode()


@pytest.mark.browser
# serialized_rollback: a transactional test empties the tables; this puts the migrations'
# provinces and sectors back for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_swagger_ui_draws_every_endpoint_from_local_files(live_server, browser):
    displayed_need()
    browser.open(f"{live_server.url}/api/docs/")
    paths = []
    for _ in range(100):
        paths = browser.js(
            "[...document.querySelectorAll('.opblock-summary-path')].map(e => e.textContent.trim())"
        )
        if len(paths) >= 6:
            break
        time.sleep(0.1)
    assert {"/api/needs/", "/api/needs/{id}/", "/api/exhibitions/", "/api/tours/"} <= set(paths)
    loaded = browser.js("performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(url.startswith(live_server.url) for url in loaded), loaded
    assert browser.js("document.body.innerText").count("Authorize") == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.screenshot(str(SHOTS / "api-docs-1280.png"), full_page=False)


# --- JSON errors everywhere under /api/ (portal.urls' handlers), HTML elsewhere ---------------
@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/needs/AAA/", "/api/nope/", "/api/", "/api", "/api/exhibitions/a/b/"])
def test_an_unknown_url_under_api_is_a_json_404_in_the_callers_language(client, url):
    persian = client.get(url)
    assert persian.status_code == 404 and persian["Content-Type"] == "application/json"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"detail": "Not found."}
    assert persian.json()["detail"] != "Not found." and persian.json()["detail"]


@pytest.mark.django_db
def test_an_unknown_page_elsewhere_is_still_html(client):
    response = client.get("/nope/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/stats/", "/api/needs/", "/api/tours/"])
def test_a_write_under_api_is_a_json_405_naming_what_is_allowed(client, url):
    response = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_a_server_error_under_api_is_json_and_elsewhere_html(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("portal.views.site_figures", broken)
    monkeypatch.setattr("portal.views.headline_figures", broken)
    client.raise_request_exception = False
    api = client.get("/api/stats/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 500 and api.json() == {"detail": "A server error occurred."}
    page = client.get("/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


# --- /api/stats/ is described, and every answer is what the schema says ------------------------
def _openapi_to_jsonschema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type, so jsonschema can check answers."""
    if isinstance(node, list):
        return [_openapi_to_jsonschema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _openapi_to_jsonschema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


def _rfc3339_time(value) -> bool:
    # RFC 3339 full-time, which OpenAPI's `format: time` means: the offset is required.
    return not isinstance(value, str) or re.fullmatch(r"\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value) is not None


def _assert_answer_matches_schema(schema: dict, path: str, response):
    import jsonschema

    declared = schema["paths"][path]["get"]["responses"][str(response.status_code)]
    body_schema = declared["content"]["application/json"]["schema"]
    root = _openapi_to_jsonschema({**body_schema, "components": schema["components"]})
    checker = jsonschema.FormatChecker()
    checker.checks("time")(_rfc3339_time)
    jsonschema.Draft4Validator(root, format_checker=checker).validate(response.json())


@pytest.mark.django_db
def test_stats_are_described_and_unchanged(client):
    from portal.views import _build_site_figures, _jsonable

    displayed_need()
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/stats/" in schema["paths"]
    response = client.get("/api/stats/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == json.loads(json.dumps(_jsonable(_build_site_figures()), cls=DjangoJSONEncoder))
    _assert_answer_matches_schema(schema, "/api/stats/", response)
    properties = schema["paths"]["/api/stats/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert properties  # described, not an empty object


@pytest.mark.django_db
def test_every_answer_is_what_the_schema_declares(client):
    from tests.factories import ExhibitionFactory, SupplierFactory, TourFactory

    need = displayed_need()
    supplier = SupplierFactory()
    tour = TourFactory()
    ExhibitionFactory(slug="tehran-planned", status="planned", opened_on=None)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    exhibition = need.exhibition.slug
    answers = [
        ("/api/needs/", "/api/needs/"), ("/api/needs/{id}/", f"/api/needs/{need.pk}/"),
        ("/api/exhibitions/", "/api/exhibitions/"), ("/api/exhibitions/{slug}/", f"/api/exhibitions/{exhibition}/"),
        ("/api/tours/", "/api/tours/"), ("/api/tours/{id}/", f"/api/tours/{tour.pk}/"), ("/api/stats/", "/api/stats/"),
        ("/api/needs/", "/api/needs/?page_size=AAA"), ("/api/needs/", "/api/needs/?page=9"),
        ("/api/needs/{id}/", "/api/needs/999999/"), ("/api/tours/", "/api/tours/?past=0"),
        ("/api/exhibitions/", "/api/exhibitions/?pilot=abc"),
        ("/api/suppliers/{id}/", f"/api/suppliers/{supplier.pk}/"), ("/api/suppliers/{id}/", "/api/suppliers/999999/"),
    ]
    assert {path for path, _ in answers} == set(schema["paths"])
    for path, url in answers:
        _assert_answer_matches_schema(schema, path, client.get(url))
