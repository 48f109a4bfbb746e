"""The door of a tour, in real headless Chromium on a phone-sized window: the organiser scans
the QR code on a company's confirmation, signs in, checks the group in with one button, and
the desk shows them checked in; staff of another province who open the same link get 404."""

import datetime
import json
import shutil
import subprocess

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import (
    STAFF_PASSWORD,
    ExhibitionFactory,
    SupplierFactory,
    TourFactory,
    member,
    province,
    province_staff,
)
from tours.models import Tour, TourRegistration
from tours.services import tour_register
from tours.tasks import notify_tour_registration

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def read_qr(png: bytes, tmp_path) -> str:
    """The link a phone's camera reads from the code in the mail (zbarimg, zbar-tools)."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        import os

        if os.environ.get("CI") or os.environ.get("REQUIRE_CHROMIUM") == "1":
            pytest.fail("zbar-tools (zbarimg) is missing: .ci/run installs it")
        pytest.skip("zbar-tools (zbarimg) is not installed: apt-get install zbar-tools")
    (tmp_path / "check-in.png").write_bytes(png)
    out = subprocess.run([zbarimg, "--quiet", "--raw", str(tmp_path / "check-in.png")], capture_output=True, text=True, check=True)
    [url] = out.stdout.splitlines()
    return url


def sign_in(browser, username: str, password: str) -> None:
    browser.fill("#id_username", username)
    browser.fill("#id_password", password)
    browser.click_and_wait("form.mm-form button[type=submit]")


def status_of(browser, url: str) -> int:
    return browser.js(f"fetch({json.dumps(url)}, {{credentials: 'same-origin'}}).then(r => r.status)")


def test_an_organiser_checks_a_visitor_in_by_its_qr_code_on_a_phone(browser, live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url
    qom_staff = province_staff("qom-door", "qom")
    province_staff("tehran-door", "tehran")
    tour = TourFactory(exhibition=ExhibitionFactory(province=province("qom")), title="تور قطعه‌سازان قم", capacity=6)
    company = SupplierFactory(name_fa="ریخته‌گری البرز", email="office@alborz.example")
    member(company, "alborz", email="sales@alborz.example")
    registration = tour_register(tour=tour, company=company, attendees=3)
    mail.outbox.clear()
    notify_tour_registration.call(registration.pk, "confirmed")
    letter = next(m for m in mail.outbox if m.to == ["sales@alborz.example"])
    png = next(content for name, content, _type in letter.attachments if name == "check-in.png")
    url = read_qr(png, tmp_path)
    assert url in letter.body and url.startswith(f"{live_server.url}/tours/check-in/")

    # The tour began a few minutes ago: check-in is open.
    now = timezone.now()
    Tour.objects.filter(pk=tour.pk).update(
        starts_at=now - datetime.timedelta(minutes=5), ends_at=now + datetime.timedelta(hours=2),
        registration_deadline=now - datetime.timedelta(hours=1),
    )

    # The organiser's phone opens the link: sign in first, then back to the registration.
    browser.resize(390, 844)
    browser.call("Network.clearBrowserCookies")
    browser.open(url)
    assert browser.js("location.pathname").endswith("/login/")
    sign_in(browser, qom_staff.username, STAFF_PASSWORD)
    assert browser.url() == url
    assert "ریخته‌گری البرز" in browser.text("h1")
    assert "۳" in browser.text(".big-number")
    assert browser.js("document.documentElement.scrollWidth <= 390")
    browser.screenshot(str(tmp_path / "check-in-phone.png"))
    assert browser.js("document.querySelector('#id_attended').value") == "۳"

    browser.click_and_wait(".check-in-button")
    registration.refresh_from_db()
    assert registration.attended == 3 and registration.checked_in_at is not None
    assert browser.js("document.querySelector('.check-in-button') === null")
    assert browser.text("#check-in-state")
    browser.screenshot(str(tmp_path / "checked-in-phone.png"))

    # A second scan changes nothing.
    browser.open(url)
    assert browser.js("document.querySelector('.check-in-button') === null")
    assert TourRegistration.objects.get(pk=registration.pk).checked_in_at == registration.checked_in_at

    # The desk shows the group checked in.
    browser.click_and_wait("a.btn.secondary[href*='/roster/']")
    assert "ریخته‌گری البرز" in browser.text("#checked-in")
    assert "۱" in browser.text("a[href='#checked-in'] .count-badge")
    browser.screenshot(str(tmp_path / "desk-phone.png"))

    # Staff of another province learn nothing from the same link.
    browser.call("Network.clearBrowserCookies")
    browser.open(url)
    sign_in(browser, "tehran-door", STAFF_PASSWORD)
    assert status_of(browser, url) == 404
    assert "ریخته‌گری البرز" not in browser.text()
