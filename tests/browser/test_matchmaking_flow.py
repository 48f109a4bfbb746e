"""From a shelf to a signed contract through the site alone, in real headless Chromium:
a supplier signs up and confirms its email, registers its company, is verified by staff,
declares readiness; the buyer shortlists and proposes a video meeting; the supplier
accepts; both download the .ics; the buyer records "contract signed"; the need is
contracted and the statistics count its FX as localised."""

import datetime
import json
import re
from decimal import Decimal

import jdatetime
import pytest
from django.core import mail
from django.utils import timezone

from companies.models import Company
from companies.services import company_verify
from matchmaking.models import Interest, Meeting
from needs.models import NeedStatus
from tests.factories import UserFactory, displayed_need, member, valid_national_id

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Sepahan parts 2025!"
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def sign_in(browser, base: str, username: str, password: str):
    browser.call("Network.clearBrowserCookies")
    browser.open(f"{base}/account/login/")
    browser.fill("#id_username", username)
    browser.fill("#id_password", password)
    browser.click_and_wait("form.mm-form button[type=submit]")


def download(browser, path: str) -> str:
    """Fetch a file with the signed-in user's cookies, as the download link would."""
    return browser.js(f"fetch({json.dumps(path)}, {{credentials: 'same-origin'}}).then(async r => r.status + '\\n' + r.headers.get('content-type') + '\\n' + await r.text())")


def test_a_supplier_and_a_buyer_go_from_shelf_to_signed_contract(browser, live_server, tmp_path):
    browser.resize(390, 900)
    base = live_server.url
    need = displayed_need(title="لنت ترمز سنگین", annual_fx_usd=Decimal("420000"))
    buyer_user = member(need.buyer, "kaveh", email="kaveh@example.com")
    staff = UserFactory(username="qom-staff", is_staff=True, is_superuser=True)

    # 1. Sign up; confirm the email address from the message the site sent.
    browser.open(f"{base}/account/signup/")
    browser.fill("#id_username", "sepahan")
    browser.fill("#id_email", "sales@sepahan.example")
    browser.fill("#id_password1", PASSWORD)
    browser.fill("#id_password2", PASSWORD)
    browser.click_and_wait("form.mm-form button[type=submit]")
    assert "sales@sepahan.example" in browser.text()
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    browser.open(base + re.sub(r"^https?://[^/]+", "", link))
    assert "/account/company/" in browser.js("location.pathname")

    # 2. Register the company, national ID typed in Persian digits.
    national_id = valid_national_id(777)
    browser.fill("#id_company-name_fa", "تولیدی لنت سپاهان")
    browser.fill("#id_company-national_id", national_id.translate(FA_DIGITS))
    browser.js("document.querySelector('#id_company-is_supplier').click()")
    browser.fill("#id_company-province", str(need.province_id))
    browser.screenshot(str(tmp_path / "company.png"))
    browser.click_and_wait("button[value=register]")
    assert browser.js("location.pathname") == "/account/"
    company = Company.objects.get(national_id=national_id)
    assert not company.is_verified

    # 3. An unverified company cannot declare yet; staff verify it.
    browser.open(f"{base}/account/needs/{need.pk}/declare/")
    assert browser.js("document.querySelector('#id_annual_capacity') === null")
    company_verify(company=company, by=staff)

    # 4. Declare readiness from the need's page.
    browser.open(f"{base}/needs/{need.pk}/")
    browser.click_and_wait(f"a[href='/account/needs/{need.pk}/declare/']")
    browser.fill("#id_annual_capacity", "۱٬۵۰۰")
    browser.fill("#id_lead_time_days", "۳۰")
    browser.fill("#id_certifications", "ISO 9001")
    browser.click_and_wait("form.mm-form button[type=submit]")
    interest = Interest.objects.get(need=need, supplier=company)
    assert interest.annual_capacity == 1500 and "کاوه" not in browser.text("h1")

    # 5. The buyer signs in, shortlists, and proposes a video meeting.
    sign_in(browser, base, "kaveh", "correct horse battery staple")
    browser.open(f"{base}/account/")
    browser.open(f"{base}/account/needs/{need.pk}/declarations/")
    assert "تولیدی لنت سپاهان" in browser.text()
    browser.open(f"{base}/account/declarations/{interest.pk}/")
    browser.click_and_wait("button[value=shortlist]")
    interest.refresh_from_db()
    assert interest.status == "shortlisted"
    browser.click_and_wait(f"a[href='/account/declarations/{interest.pk}/meeting/']")
    browser.js("document.querySelector('input[name=mode][value=video]').click()")
    browser.fill("#id_time", "10:00")
    browser.click_and_wait("form.mm-form button[type=submit]")
    meeting = Meeting.objects.get(interest=interest)
    assert meeting.status == "proposed" and meeting.mode == "video"
    assert meeting.video_url in browser.text()

    # 6. The supplier accepts; the need moves to "in talks".
    sign_in(browser, base, "sepahan", PASSWORD)
    browser.open(f"{base}/account/meetings/{meeting.pk}/")
    browser.click_and_wait("button[value=accept]")
    meeting.refresh_from_db()
    need.refresh_from_db()
    assert meeting.status == "confirmed" and need.status == NeedStatus.IN_TALKS
    browser.screenshot(str(tmp_path / "confirmed.png"))

    # 7. Both download the calendar file.
    supplier_ics = download(browser, f"/account/meetings/{meeting.pk}/meeting.ics")
    sign_in(browser, base, "kaveh", "correct horse battery staple")
    buyer_ics = download(browser, f"/account/meetings/{meeting.pk}/meeting.ics")
    # Each file is its reader's own: a download is a PUBLISH with no attendee at all, so it
    # carries no one's address; the portal organises.
    for ics, other in ((supplier_ics, "kaveh@example.com"), (buyer_ics, "sales@sepahan.example")):
        status, content_type, body = ics.split("\n", 2)
        assert status == "200" and content_type.startswith("text/calendar")
        assert "METHOD:PUBLISH" in body and "ATTENDEE" not in body
        assert "DTSTART;TZID=Asia/Tehran:" in body and meeting.video_url in body
        assert f"mailto:{other}" not in body

    # 8. The meeting takes place (time passes), and the buyer records the contract.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3), ends_at=timezone.now() - datetime.timedelta(hours=2)
    )
    browser.open(f"{base}/account/meetings/{meeting.pk}/")
    browser.js("document.querySelector('input[name=result][value=contract_signed]').click()")
    browser.fill("#id_contract_value_rials", "۲۵٬۰۰۰٬۰۰۰٬۰۰۰")
    browser.fill("#id_annual_quantity", "۱۲۰۰")
    today = jdatetime.date.today()
    browser.fill("#id_signed_on", f"{today.year}/{today.month:02d}/{today.day:02d}".translate(FA_DIGITS))
    browser.click_and_wait("form[action$='/outcome/'] button[type=submit]")
    browser.screenshot(str(tmp_path / "contract.png"))
    need.refresh_from_db()
    assert need.status == NeedStatus.CONTRACTED
    assert "قرارداد" in browser.text()

    # 9. The statistics count the contracted need's FX as saved.
    browser.open(f"{base}/api/stats/?format=json")  # JSON, not the browsable page DEBUG adds
    stats = json.loads(browser.text())
    assert stats["fx_saved"]["total_usd"] == 420000
    assert {r["slug"]: r["fx_saved_usd"] for r in stats["by_province"]}["qom"] == 420000
    assert stats["matchmaking"]["contracts_signed"] == 1
    assert stats["needs_contracted"] == 1
