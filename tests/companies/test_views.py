"""The supplier directory /companies/, a company page, and registering or joining a company."""

import re

import pytest

from companies.models import Company, CompanyMember
from tests.factories import (
    CompanyFactory,
    SupplierFactory,
    UserFactory,
    member,
    province,
    sector,
    valid_national_id,
)

pytestmark = pytest.mark.django_db


def shown(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-company="(\d+)"', response.content.decode())]


def supplier(**kwargs):
    sectors = kwargs.pop("sectors", ["metal"])
    company = SupplierFactory(**kwargs)
    company.sectors.set([sector(slug) for slug in sectors])
    return company


def test_directory_lists_verified_suppliers_only(client):
    listed = supplier()
    supplier(is_verified=False)
    CompanyFactory()  # a buyer
    assert shown(client.get("/companies/")) == [listed.pk]


def test_directory_filters_by_province_and_sector(client):
    wanted = supplier(province=province("isfahan"), sectors=["auto-parts", "metal"])
    supplier(province=province("isfahan"), sectors=["textile"])
    supplier(province=province("tehran"), sectors=["auto-parts"])
    assert shown(client.get("/companies/", {"province": "isfahan", "sector": "auto-parts"})) == [wanted.pk]


def test_directory_search_normalises_persian(client):
    wanted = supplier(name_fa="تولیدی قطعه‌سازی کاوه", capabilities="تولید لنت ترمز و کمک فنر")
    supplier(name_fa="نساجی البرز", capabilities="پارچه")
    for query in ("قطعه سازی", "كاوه", "لنت ترمز", "كمك"):
        assert shown(client.get("/companies/", {"q": query})) == [wanted.pk], query


def test_directory_lists_firms_in_persian_alphabetical_order(client):
    names = ["ورامین صنعت", "گرگان فلز", "کرمان ریخته\u200cگری", "پارس قطعه"]  # by code point ورامین is first
    firms = {name: supplier(name_fa=name) for name in names}
    expected = [firms[name].pk for name in ["پارس قطعه", "کرمان ریخته\u200cگری", "گرگان فلز", "ورامین صنعت"]]
    assert shown(client.get("/companies/")) == expected


def test_bad_filter_values_show_an_error_not_a_500(client):
    supplier()
    response = client.get("/companies/", {"province": "atlantis", "sector": "nothing"})
    assert response.status_code == 200
    assert response.content.decode().count('role="alert"') == 2
    assert len(shown(response)) == 1


def test_company_page_shows_sectors_capabilities_and_contact(client):
    company = supplier(name_fa="ریخته‌گری سپاهان", capabilities="ریخته‌گری دقیق قطعات فولادی", phone="031-1234567",
                       sectors=["steel-mining"])
    html = client.get(f"/companies/{company.pk}/").content.decode()
    assert "ریخته‌گری سپاهان" in html and "ریخته‌گری دقیق قطعات فولادی" in html
    assert "فولاد و معدن" in html and "۰۳۱-۱۲۳۴۵۶۷" in html


@pytest.mark.parametrize("make", [lambda: CompanyFactory(), lambda: SupplierFactory(is_verified=False)])
def test_buyers_and_unverified_firms_have_no_public_page(client, make):
    assert client.get(f"/companies/{make().pk}/").status_code == 404


@pytest.mark.parametrize("rows", [20, 100])
def test_directory_runs_at_most_eight_queries(client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        supplier(sectors=["metal", "auto-parts"])
    with django_assert_max_num_queries(8):
        response = client.get("/companies/", {"province": "qom", "sector": "metal", "q": "شرکت"})
    assert len(shown(response)) == min(rows, 24)
    with django_assert_max_num_queries(8):
        client.get(f"/companies/{shown(response)[0]}/")


# --- registering a company and joining one (/account/company/) ---------------------------------
def test_registering_a_company_with_persian_digits_leaves_it_unverified(client):
    user = UserFactory(username="owner")
    client.force_login(user)
    national_id = valid_national_id(501)
    persian = national_id.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = client.post("/account/company/", {
        "action": "register", "company-name_fa": "ریسندگی نمونه", "company-national_id": persian,
        "company-is_supplier": "on", "company-province": province("yazd").pk,
    })
    assert response.status_code == 302
    company = Company.objects.get(national_id=national_id)
    assert not company.is_verified
    assert CompanyMember.objects.get(user=user).is_approved



def test_a_bad_national_id_gets_a_clear_message(client):
    client.force_login(UserFactory(username="owner"))
    response = client.post("/en/account/company/", {
        "action": "register", "company-name_fa": "x", "company-national_id": "12345678901",
        "company-is_supplier": "on", "company-province": province("yazd").pk,
    })
    assert "check digit" in response.content.decode()
    assert not Company.objects.exists()



def test_joining_by_arabic_digit_national_id_waits_for_the_owner(client):
    company = CompanyFactory()
    owner = member(company, "owner")
    joiner = UserFactory(username="joiner")
    client.force_login(joiner)
    arabic = company.national_id.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    client.post("/account/company/", {"action": "join", "join-national_id": arabic})
    request = CompanyMember.objects.get(user=joiner)
    assert not request.is_approved
    client.force_login(owner)
    client.post(f"/account/members/{request.pk}/", {"action": "approve"})
    request.refresh_from_db()
    assert request.is_approved

