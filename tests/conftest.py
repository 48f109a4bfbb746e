import os

import pytest
from django.db import connection

REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
REQUIRE_CHROMIUM = os.environ.get("REQUIRE_CHROMIUM") == "1"


@pytest.fixture(autouse=True)
def _default_language():
    """A request to an /en/ page leaves English active in the test's thread; start and leave
    every test in the default language, so messages and reverse() never depend on which
    test ran before."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def english():
    """Messages matched in English (modules that use it: pytestmark usefixtures("english"));
    the Persian wording is checked where Persian pages are tested."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def isfahan_shelf(db):
    """A shelf with room for a whole catalogue at an open exhibition in Isfahan."""
    from tests.factories import ExhibitionFactory, ShelfFactory, province

    exhibition = ExhibitionFactory(province=province("isfahan"), slug="isfahan")
    return ShelfFactory(exhibition=exhibition, code="B-07", positions=300)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test rolls its data back, and with it the data version that keys cached pages
    (core.public_cache); an empty cache keeps one test's pages out of the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads and generated photos go to a temporary folder, never the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL and browser tests are skipped where there is no PostgreSQL or Chromium, and
    refused outright when REQUIRE_POSTGRES=1 / REQUIRE_CHROMIUM=1 says they must run."""
    from tests.browser.chromium import chromium_path

    skips = []
    if connection.vendor != "postgresql":
        if REQUIRE_POSTGRES:
            raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL")
        skips.append(("postgres", "needs PostgreSQL: run with DATABASE_URL=postgres://... (CI does)"))
    if chromium_path() is None:
        if REQUIRE_CHROMIUM and any("browser" in item.keywords for item in items):
            raise pytest.UsageError("REQUIRE_CHROMIUM=1 but no Chromium was found (apt-get install chromium, or set CHROMIUM)")
        skips.append(("browser", "needs headless Chromium: apt-get install chromium, or set CHROMIUM=/path/to/it"))
    for keyword, reason in skips:
        for item in items:
            if keyword in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped PostgreSQL or browser test is a failure: the point is that they ran."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    bad = []
    for report in reporter.stats.get("skipped", []):
        keywords = getattr(report, "keywords", {})
        if REQUIRE_POSTGRES and "postgres" in keywords:
            bad.append(report.nodeid)
        if REQUIRE_CHROMIUM and "browser" in keywords:
            bad.append(report.nodeid)
    if bad:
        reporter.write_line(f"FAILED: required tests were skipped: {', '.join(bad)}", red=True)
        session.exitstatus = 1


# --- personas (docs/style.md): built per test from tests/factories.py -----------------------------
@pytest.fixture
def national_staff(db):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(username="national", is_staff=True)
    group, _ = Group.objects.get_or_create(name="national")
    user.groups.add(group)
    return user


@pytest.fixture
def qom_staff(db):
    """Provincial staff of Qom, made the way operators make them (add_province_staff)."""
    from tests.factories import province_staff

    return province_staff("qom-staff", "qom")


@pytest.fixture
def tehran_staff(db):
    """Provincial staff of Tehran."""
    from tests.factories import province_staff

    return province_staff("tehran-staff", "tehran")


@pytest.fixture
def supplier_user(db):
    """A user acting for a verified supplier company in Isfahan."""
    from tests.factories import SupplierFactory, member, province

    return member(SupplierFactory(province=province("isfahan"), name_fa="تولیدی سپاهان قطعه"), "supplier")


@pytest.fixture
def buyer_user(db):
    """A user acting for a verified buyer company in Qom."""
    from tests.factories import CompanyFactory, member, province

    return member(CompanyFactory(province=province("qom"), name_fa="صنایع قطعه‌سازی کاوه"), "buyer")


@pytest.fixture
def organiser_user(db):
    """A tour organiser (a chamber of commerce officer): the role staff grant on the site."""
    from tests.factories import UserFactory
    from tours.services import organiser_grant

    user = UserFactory(username="organiser", first_name="Organiser")
    organiser_grant(user=user)
    return user


@pytest.fixture
def staff_client(client, qom_staff):
    """The test client signed in as Qom's provincial staff."""
    client.force_login(qom_staff)
    return client


@pytest.fixture
def superuser_client(db, client):
    """The test client signed in as a national superuser."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def api(client):
    """The test client asking for JSON, as an API caller would."""
    client.defaults["HTTP_ACCEPT"] = "application/json"
    return client


# --- the browser ------------------------------------------------------------------------------
@pytest.fixture
def browser():
    """Headless Chromium (tests/browser/chromium.py) in a 1280x900 window; a test that wants a
    phone calls browser.resize(390, 900). Tests using it are marked `browser`."""
    from tests.browser.chromium import Browser

    with Browser(width=1280, height=900) as chromium:
        yield chromium
