"""A supplier registers for a tour and cancels, in real headless Chromium; the cancellation
promotes the company waiting behind."""

import pytest
from django.conf import settings
from django.test import Client

from companies.selectors import company_for_user
from tests.factories import SupplierFactory, TourFactory
from tours.models import TourRegistration
from tours.services import tour_register

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def login_cookie(browser, live_server, user):
    client = Client()
    client.force_login(user)
    browser.set_cookie(live_server.url, settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_a_supplier_registers_then_cancels_and_the_waiting_company_is_promoted(
    browser, live_server, supplier_user, tmp_path
):
    browser.resize(390, 900)
    tour = TourFactory(capacity=3, title="تور بازدید قطعه‌سازان قم")
    login_cookie(browser, live_server, supplier_user)

    browser.open(f"{live_server.url}/tours/{tour.pk}/")
    assert "۳ صندلی خالی از ۳" in browser.text()
    browser.fill("#id_attendees", "۲")
    browser.fill("#id_attendee_names", "علی رضایی\nمریم احمدی")
    browser.click_and_wait(".tour-register form.tour-form button[type=submit]")
    status = browser.text("#registration-status")
    assert "قطعی" in status and "۲ نفر" in status
    assert "۱ صندلی خالی از ۳" in browser.text()

    waiting = tour_register(tour=tour, company=SupplierFactory(), attendees=2)
    assert waiting.status == "waitlisted"

    browser.click_and_wait(".cancel-form button")
    assert "ثبت‌نام شما لغو شد" in browser.text()
    browser.screenshot(str(tmp_path / "after-cancel.png"))
    mine = TourRegistration.objects.get(tour=tour, company=company_for_user(supplier_user))
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("cancelled", "confirmed")
