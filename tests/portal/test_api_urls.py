"""The API's own pages (portal/api_urls.py): the OpenAPI schema, and /api/docs/, Swagger UI
served from our own static files, under the site's Content Security Policy, and actually
drawing the endpoints in headless Chromium."""

import re
import time
from pathlib import Path

import pytest
import yaml

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
