"""/api/docs/: Swagger UI served from our own static files, under the site's Content
Security Policy, and actually drawing the endpoints in headless Chromium."""

import re
import time
from pathlib import Path

import pytest

from tests.browser.tours_chromium import Browser, chromium_available
from tests.factories import displayed_need

SHOTS = Path(__file__).resolve().parents[2] / "tests" / "screenshots"


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
@pytest.mark.skipif(not chromium_available(), reason="needs headless Chromium at /usr/bin/chromium")
def test_swagger_ui_draws_every_endpoint_from_local_files(live_server):
    displayed_need()
    browser = Browser(width=1280)
    try:
        browser.open(f"{live_server.url}/api/docs/")
        paths = []
        for _ in range(100):
            paths = browser.evaluate(
                "[...document.querySelectorAll('.opblock-summary-path')].map(e => e.textContent.trim())"
            )
            if len(paths) >= 6:
                break
            time.sleep(0.1)
        assert {"/api/needs/", "/api/needs/{id}/", "/api/exhibitions/", "/api/tours/"} <= set(paths)
        loaded = browser.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert loaded and all(url.startswith(live_server.url) for url in loaded), loaded
        assert browser.evaluate("document.body.innerText").count("Authorize") == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        browser.screenshot(str(SHOTS / "api-docs-1280.png"), full_page=False)
    finally:
        browser.close()
