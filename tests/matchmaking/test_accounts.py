import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from companies.models import Company, CompanyMember
from companies.services import company_verify
from tests.factories import CompanyFactory, UserFactory, province, valid_national_id
from tests.matchmaking.mm_helpers import member

pytestmark = pytest.mark.django_db
PASSWORD = "a-Long passphrase 42"


def _link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def test_sign_up_mails_a_link_that_activates_and_signs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/account/signup/", {
            "username": "sepahan", "email": "Sales@Sepahan.example", "password1": PASSWORD, "password2": PASSWORD,
        })
    assert response.status_code == 200 and "sales@sepahan.example" in response.content.decode()
    user = get_user_model().objects.get(username="sepahan")
    assert not user.is_active and user.email == "sales@sepahan.example"
    assert mail.outbox[0].to == ["sales@sepahan.example"]

    login = client.post("/en/account/login/", {"username": "sepahan", "password": PASSWORD})
    assert "Confirm your email address first" in login.content.decode()

    response = client.get(_link(mail.outbox[0].body))
    assert response.status_code == 302 and response["Location"].endswith("/account/company/")
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/account/").status_code == 200


def test_a_wrong_confirmation_link_is_refused(client):
    assert client.get("/account/confirm/MQ/wrong-token/").status_code == 400


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


def test_staff_verify_a_company_through_the_service(qom_staff):
    company = CompanyFactory(is_verified=False)  # in Qom
    company_verify(company=company, by=qom_staff)
    company.refresh_from_db()
    assert company.is_verified


def test_password_reset_mails_a_working_link(client):
    UserFactory(username="forgetful", email="f@example.com")
    client.post("/en/account/password-reset/", {"email": "f@example.com"})
    link = _link(mail.outbox[0].body)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert client.post("/account/login/", {"username": "forgetful", "password": PASSWORD}).status_code == 302


def test_login_is_locked_after_repeated_failures(client, settings):
    UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en/account/login/", {"username": "target", "password": "wrong"})
    response = client.post("/en/account/login/", {"username": "target", "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_the_dashboard_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    from tests.matchmaking.mm_helpers import declaration, parties

    for _ in range(3):
        interest = declaration()
    buyer, supplier = parties(interest)
    client.force_login(supplier)
    with django_assert_max_num_queries(20):
        assert client.get("/account/").status_code == 200
