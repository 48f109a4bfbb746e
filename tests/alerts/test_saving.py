"""Saving a catalogue search: who may, what is stored (the catalogue's filter, normalised),
and the pages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from alerts.models import SavedSearch
from alerts.services import saved_search_create
from companies.models import Company
from companies.selectors import company_for_user
from tests.alerts.factories import saved_search, supplier_user
from tests.factories import CompanyFactory, member, province_staff

pytestmark = pytest.mark.django_db


def test_a_supplier_saves_the_catalogue_filter_from_the_confirm_page(client):
    user = supplier_user()
    client.force_login(user)
    query = "q=لنت ترمز ي&province=isfahan&sector=auto-parts&hs=۸۷۰۸&fx_min=۱۰۰٬۰۰۰&sort=newest&page=2"
    url = reverse("alerts:new") + "?" + QueryDict(query).urlencode()
    page = client.get(url)
    assert page.status_code == 200
    assert "ذخیره" in page.content.decode() or "Save" in page.content.decode()
    response = client.post(url, {"name": "  لنت ها ي  "})
    assert response.status_code == 302 and response["Location"] == reverse("alerts:list")
    search = SavedSearch.objects.get(user=user)
    assert search.name == "لنت ها ی"  # typed text normalised (Arabic yeh to Persian), stripped
    assert search.q == "لنت ترمز ی"
    assert search.province.slug == "isfahan" and search.sector.slug == "auto-parts"
    assert search.hs == "8708" and search.fx_min == Decimal(100000)
    assert dict(search.as_filters()) == {
        "q": ["لنت ترمز ی"], "province": ["isfahan"], "sector": ["auto-parts"], "hs": ["8708"], "fx_min": ["100000.00"],
    }


def test_the_confirm_page_reads_in_english(client):
    client.force_login(supplier_user())
    page = client.get("/en/alerts/new/?q=brake&hs=8708")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Save this search" in body and "HS code starts with" in body and "brake" in body


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    url = reverse("alerts:new") + "?q=brake&province=qom"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"] and "province%3Dqom" in response["Location"]
    assert client.post(url, {"name": "x"}).status_code == 302
    assert not SavedSearch.objects.exists()


@pytest.mark.usefixtures("english")
def test_a_buyer_only_company_is_refused_with_the_policy_sentence(client):
    user = member(CompanyFactory(), "buyer1")
    client.force_login(user)
    url = "/en/alerts/new/?q=brake"
    assert "Only companies registered as domestic suppliers can do this." in client.get(url).content.decode()
    client.post(url, {"name": "x"})
    assert not SavedSearch.objects.exists()
    with pytest.raises(ValidationError):
        saved_search_create(user=user, filters=QueryDict("q=brake"), name="x")


@pytest.mark.usefixtures("english")
def test_staff_are_refused(client):
    staff = province_staff("qom-staff", "qom")
    client.force_login(staff)
    body = client.get("/en/alerts/new/?q=brake").content.decode()
    assert "Staff accounts act as staff" in body
    with pytest.raises(ValidationError):
        saved_search_create(user=staff, filters=QueryDict(""), name="x")


@pytest.mark.usefixtures("english")
def test_an_unverified_supplier_is_refused(client):
    user = supplier_user()
    Company.objects.filter(pk=company_for_user(user).pk).update(is_verified=False)
    with pytest.raises(ValidationError, match="not been verified"):
        saved_search_create(user=user, filters=QueryDict(""), name="x")


@pytest.mark.usefixtures("english")
def test_a_bad_filter_value_is_refused_not_widened(client):
    user = supplier_user()
    with pytest.raises(ValidationError, match="HS code"):
        saved_search_create(user=user, filters=QueryDict("hs=abc"), name="x")
    client.force_login(user)
    page = client.post("/en/alerts/new/?hs=abc", {"name": "x"})
    assert page.status_code == 200 and "Enter the start of an HS code" in page.content.decode()
    assert not SavedSearch.objects.exists()


@pytest.mark.usefixtures("english")
def test_the_number_of_searches_is_limited(settings):
    settings.SAVED_SEARCHES_PER_USER = 2
    user = supplier_user()
    saved_search(user, "q=a")
    saved_search(user, "q=b")
    with pytest.raises(ValidationError, match="at most 2 saved searches"):
        saved_search_create(user=user, filters=QueryDict("q=c"), name="c")


def test_the_catalogue_offers_to_save_the_search_the_same_for_everyone(client):
    body = client.get(reverse("needs:list") + "?q=brake&province=qom").content.decode()
    assert reverse("alerts:new") + "?q=brake&amp;province=qom" in body


@pytest.mark.usefixtures("english")
def test_the_list_shows_the_filters_in_words_and_lets_the_user_stop_resume_and_delete(client):
    user = supplier_user()
    search = saved_search(user, "q=brake&province=isfahan&fx_max=500000", name="Brakes")
    other = saved_search(supplier_user("other"), "q=x", name="Not mine")
    client.force_login(user)
    body = client.get("/en/alerts/").content.decode()
    assert "Brakes" in body and "Isfahan" in body and "$500,000" in body and "Not mine" not in body
    client.post(reverse("alerts:subscription", args=[search.pk]), {"subscribed": "0"})
    search.refresh_from_db()
    assert search.unsubscribed
    client.post(reverse("alerts:subscription", args=[search.pk]), {"subscribed": "1"})
    search.refresh_from_db()
    assert not search.unsubscribed
    assert client.post(reverse("alerts:delete", args=[other.pk])).status_code == 404
    client.post(reverse("alerts:delete", args=[search.pk]))
    assert not SavedSearch.objects.filter(pk=search.pk).exists()
