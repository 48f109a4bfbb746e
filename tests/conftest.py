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
    if connection.vendor == "postgresql":
        return
    if REQUIRE_POSTGRES:
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL")
    reason = "needs PostgreSQL: run with DATABASE_URL=postgres://... (CI does)"
    for item in items:
        if "postgres" in item.keywords:
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


# --- personas (STYLE.md): built per test from the factories -------------------------------
@pytest.fixture
def national_staff(db):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(username="national", is_staff=True)
    group, _ = Group.objects.get_or_create(name="national")
    user.groups.add(group)
    return user


@pytest.fixture
def supplier_user(db):
    """A user acting for a verified supplier company in Isfahan."""
    from companies.models import CompanyMember
    from tests.factories import SupplierFactory, UserFactory, province

    user = UserFactory(username="supplier")
    company = SupplierFactory(province=province("isfahan"), name_fa="تولیدی سپاهان قطعه")
    CompanyMember.objects.create(company=company, user=user, role="owner", is_approved=True)
    return user


@pytest.fixture
def buyer_user(db):
    """A user acting for a verified buyer company in Qom."""
    from companies.models import CompanyMember
    from tests.factories import CompanyFactory, UserFactory, province

    user = UserFactory(username="buyer")
    company = CompanyFactory(province=province("qom"), name_fa="صنایع قطعه‌سازی کاوه")
    CompanyMember.objects.create(company=company, user=user, role="owner", is_approved=True)
    return user


@pytest.fixture
def organiser_user(db):
    """A tour organiser (a chamber of commerce officer): the role staff grant on the site."""
    from tests.factories import UserFactory
    from tours.services import organiser_grant

    user = UserFactory(username="organiser", first_name="Organiser")
    organiser_grant(user=user)
    return user


def _province_staff(username: str, slug: str):
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("add_province_staff", username, "--province", slug, "--password", "Gol-Sorkh-8841", stdout=io.StringIO())
    return get_user_model().objects.get(username=username)


@pytest.fixture
def qom_staff(db):
    """Provincial staff of Qom, made the way operators make them (add_province_staff)."""
    return _province_staff("qom-staff", "qom")


@pytest.fixture
def tehran_staff(db):
    """Provincial staff of Tehran."""
    return _province_staff("tehran-staff", "tehran")
