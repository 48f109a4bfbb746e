"""Who may approve a company's members and who may verify a company (companies/services.py)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from companies.models import CompanyMember
from companies.selectors import approved_company_ids
from companies.services import (
    company_join_request,
    company_member_approve,
    company_member_reject,
    company_verify,
)
from core.text import to_persian_digits
from matchmaking.models import Interest
from tests.factories import (
    CompanyFactory,
    SupplierFactory,
    UserFactory,
    declaration,
    displayed_need,
    member,
    province,
    province_staff,
)
from tests.race import run_concurrently

pytestmark = pytest.mark.django_db


@pytest.fixture
def east_azerbaijan_staff(db):
    return province_staff("tabriz-staff", "east-azerbaijan")


@pytest.fixture
def alborz_staff(db):
    return province_staff("karaj-staff", "alborz")


@pytest.fixture
def alborz_buyer(db):
    return CompanyFactory(province=province("alborz"), name_en="Alborz Brake Co")


def join_request(company, username="joiner"):
    return CompanyMember.objects.create(company=company, user=UserFactory(username=username), role="member")


def test_staff_of_east_azerbaijan_cannot_approve_a_member_of_an_alborz_company(east_azerbaijan_staff, alborz_buyer):
    request = join_request(alborz_buyer)
    with translation.override("en"), pytest.raises(ValidationError, match="Only an owner of the company"):
        company_member_approve(member=request, by=east_azerbaijan_staff)
    request.refresh_from_db()
    assert not request.is_approved


def test_staff_of_east_azerbaijan_cannot_turn_down_a_request_to_an_alborz_company(east_azerbaijan_staff, alborz_buyer):
    request = join_request(alborz_buyer)
    with pytest.raises(ValidationError):
        company_member_reject(member=request, by=east_azerbaijan_staff)
    assert CompanyMember.objects.filter(pk=request.pk).exists()


def test_staff_of_alborz_approve_a_member_of_an_alborz_company(alborz_staff, alborz_buyer):
    request = join_request(alborz_buyer)
    company_member_approve(member=request, by=alborz_staff)
    request.refresh_from_db()
    assert request.is_approved


def test_the_owner_approves_a_member(alborz_buyer):
    owner = member(alborz_buyer, "owner")
    request = join_request(alborz_buyer)
    company_member_approve(member=request, by=owner)
    request.refresh_from_db()
    assert request.is_approved


def test_an_approved_plain_member_cannot_approve_another(alborz_buyer):
    colleague = UserFactory(username="colleague")
    CompanyMember.objects.create(company=alborz_buyer, user=colleague, role="member", is_approved=True)
    request = join_request(alborz_buyer)
    with pytest.raises(ValidationError):
        company_member_approve(member=request, by=colleague)


def test_staff_cannot_ask_to_join_a_company(east_azerbaijan_staff, alborz_buyer):
    with translation.override("en"), pytest.raises(ValidationError, match="Staff accounts act as staff"):
        company_join_request(user=east_azerbaijan_staff, national_id=alborz_buyer.national_id)
    assert not CompanyMember.objects.filter(user=east_azerbaijan_staff).exists()


def test_staff_of_another_province_cannot_join_approve_and_read_a_buyers_declarations(
    client, east_azerbaijan_staff, alborz_buyer
):
    """The hole as it was exploited: join by national ID on the site, approve oneself, read."""
    need = displayed_need(buyer=alborz_buyer)
    interest = declaration(need=need, supplier=SupplierFactory(), status=Interest.Status.DECLARED)
    client.force_login(east_azerbaijan_staff)
    page = client.post("/en/account/company/", {"action": "join", "join-national_id": alborz_buyer.national_id})
    assert "Staff accounts act as staff" in page.content.decode()
    assert not CompanyMember.objects.filter(user=east_azerbaijan_staff).exists()
    assert client.get(f"/en/account/declarations/{interest.pk}/").status_code == 404
    assert client.get(f"/en/account/needs/{need.pk}/declarations/").status_code == 404


def test_staff_of_another_province_see_the_refusal_on_the_account_page(client, east_azerbaijan_staff, alborz_buyer):
    request = join_request(alborz_buyer)
    client.force_login(east_azerbaijan_staff)
    response = client.post(f"/en/account/members/{request.pk}/", {"action": "approve"}, follow=True)
    assert "Only an owner of the company" in response.content.decode()
    request.refresh_from_db()
    assert not request.is_approved


def test_staff_of_another_province_cannot_verify_a_company(east_azerbaijan_staff, alborz_buyer):
    alborz_buyer.is_verified = False
    alborz_buyer.save()
    with translation.override("en"), pytest.raises(ValidationError, match="staff of the company's province"):
        company_verify(company=alborz_buyer, by=east_azerbaijan_staff)
    alborz_buyer.refresh_from_db()
    assert not alborz_buyer.is_verified


def test_staff_of_the_province_verify_a_company_and_each_approved_member_gets_one_mail(
    alborz_staff, alborz_buyer, django_capture_on_commit_callbacks
):
    alborz_buyer.is_verified = False
    alborz_buyer.save()
    member(alborz_buyer, "owner", email="owner@example.com")
    colleague = UserFactory(username="colleague", email="colleague@example.com")
    CompanyMember.objects.create(company=alborz_buyer, user=colleague, role="member", is_approved=True)
    join_request(alborz_buyer, "pending")  # not yet approved: not told
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=alborz_buyer, by=alborz_staff)
    alborz_buyer.refresh_from_db()
    assert alborz_buyer.is_verified
    assert sorted(m.to for m in mail.outbox) == [["colleague@example.com"], ["owner@example.com"]]
    assert all(to_persian_digits(alborz_buyer.name_fa) in m.subject + m.body for m in mail.outbox)  # Persian digits


def test_verifying_an_already_verified_company_mails_nobody(
    alborz_staff, alborz_buyer, django_capture_on_commit_callbacks
):
    member(alborz_buyer, "owner", email="owner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=alborz_buyer, by=alborz_staff)
    assert mail.outbox == []


def test_withdrawing_verification_tells_each_approved_member_why(
    alborz_staff, alborz_buyer, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "en"
    member(alborz_buyer, "owner", email="owner@example.com")
    colleague = UserFactory(username="colleague", email="colleague@example.com")
    CompanyMember.objects.create(company=alborz_buyer, user=colleague, role="member", is_approved=True)
    join_request(alborz_buyer, "pending")  # not yet approved: not told
    reason = "The registration papers have expired; send the new ones to the provincial office."
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=alborz_buyer, by=alborz_staff, verified=False, reason=reason)
    alborz_buyer.refresh_from_db()
    assert not alborz_buyer.is_verified
    assert sorted(m.to for m in mail.outbox) == [["colleague@example.com"], ["owner@example.com"]]
    for letter in mail.outbox:
        assert "Alborz Brake Co" in letter.subject and "withdrawn" in letter.subject
        assert reason in letter.body


def test_withdrawing_verification_without_a_reason_still_tells_the_members(
    alborz_staff, alborz_buyer, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "en"
    member(alborz_buyer, "owner", email="owner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=alborz_buyer, by=alborz_staff, verified=False)
    [letter] = mail.outbox
    assert "withdrawn" in letter.subject and "Reason" not in letter.body


def test_withdrawing_from_an_unverified_company_mails_nobody(
    alborz_staff, alborz_buyer, django_capture_on_commit_callbacks
):
    alborz_buyer.is_verified = False
    alborz_buyer.save()
    member(alborz_buyer, "owner", email="owner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=alborz_buyer, by=alborz_staff, verified=False, reason="Still no papers.")
    assert mail.outbox == []


def test_a_withdrawal_mail_still_queued_when_the_company_is_verified_again_is_not_sent(
    alborz_staff, alborz_buyer, django_capture_on_commit_callbacks
):
    member(alborz_buyer, "owner", email="owner@example.com")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        company_verify(company=alborz_buyer, by=alborz_staff, verified=False, reason="Papers expired.")
    company_verify(company=alborz_buyer, by=alborz_staff, verified=True)  # before the worker ran
    for callback in queued:
        callback()
    assert mail.outbox == []


def test_staff_verify_a_company_through_the_service(qom_staff):
    company = CompanyFactory(is_verified=False)  # in Qom
    company_verify(company=company, by=qom_staff)
    company.refresh_from_db()
    assert company.is_verified



def test_a_member_of_one_company_can_never_be_approved_into_another(alborz_staff, alborz_buyer):
    """What the admin once did: a second row for a user who acts for another company, then
    approved. The database refuses the row, so nothing is left to approve."""
    elsewhere = member(CompanyFactory(province=province("alborz")), "owner-elsewhere")
    with pytest.raises(IntegrityError), transaction.atomic():
        request = CompanyMember.objects.create(company=alborz_buyer, user=elsewhere, role="member")
        company_member_approve(member=request, by=alborz_staff)
    assert approved_company_ids(elsewhere) == {CompanyMember.objects.get(user=elsewhere).company_id}
    assert not alborz_buyer.members.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_user_asking_to_join_two_companies_at_once_gets_one_request_and_the_policys_refusal():
    """Both requests pass the "no company yet" check at the same moment: one is stored, the
    other is refused with the sentence the user reads when asking twice, never a crash."""
    first, second = CompanyFactory(), CompanyFactory()
    user = UserFactory(username="in-a-hurry")
    outcomes = run_concurrently(
        *[(lambda c=c: company_join_request(user=user, national_id=c.national_id)) for c in (first, second)]
    )
    assert sorted(o.ok for o in outcomes) == [False, True]
    refused = next(o.error for o in outcomes if not o.ok)
    with pytest.raises(ValidationError) as asking_again:
        company_join_request(user=user, national_id=first.national_id)
    assert isinstance(refused, ValidationError) and refused.messages == asking_again.value.messages
    assert CompanyMember.objects.filter(user=user).count() == 1
