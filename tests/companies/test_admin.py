"""Verifying companies in the admin goes through companies.services.company_verify."""

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import CompanyMember
from tests.factories import CompanyFactory, UserFactory, member, province

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:companies_company_changelist")


def unverified_qom_company(**kwargs):
    return CompanyFactory(province=province("qom"), is_verified=False, **kwargs)


def test_the_verify_action_verifies_and_mails_each_approved_member(
    client, qom_staff, django_capture_on_commit_callbacks
):
    company = unverified_qom_company()
    member(company, "owner", email="owner@example.com")
    CompanyMember.objects.create(company=company, user=UserFactory(username="asking", email="asking@example.com"))
    client.force_login(qom_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "mark_verified", "_selected_action": [company.pk]}, follow=True)
    company.refresh_from_db()
    assert company.is_verified
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    # The admin speaks Persian; the message is an existing one: "1 company marked as verified."
    assert [str(m) for m in response.context["messages"]] == ["1 شرکت تأیید شد."]


def test_the_unverify_action_withdraws_verification(client, qom_staff):
    company = CompanyFactory(province=province("qom"), is_verified=True)
    client.force_login(qom_staff)
    client.post(CHANGELIST, {"action": "mark_unverified", "_selected_action": [company.pk]})
    company.refresh_from_db()
    assert not company.is_verified


def test_staff_of_another_province_cannot_verify_through_the_admin(client, tehran_staff):
    company = unverified_qom_company()
    member(company, "owner", email="owner@example.com")
    client.force_login(tehran_staff)
    client.post(CHANGELIST, {"action": "mark_verified", "_selected_action": [company.pk]})
    company.refresh_from_db()
    assert not company.is_verified
    assert mail.outbox == []


def test_the_change_form_shows_verification_read_only(client, qom_staff):
    company = unverified_qom_company()
    client.force_login(qom_staff)
    response = client.get(reverse("admin:companies_company_change", args=[company.pk]))
    assert response.status_code == 200
    assert "is_verified" not in response.context["adminform"].form.fields
    assert 'name="is_verified"' not in response.content.decode()


def test_a_staff_accounts_membership_cannot_be_approved_in_the_admin(client, qom_staff, tehran_staff):
    company = CompanyFactory(province=province("qom"))
    request = CompanyMember.objects.create(company=company, user=tehran_staff, role="member")
    client.force_login(qom_staff)
    response = client.post(
        reverse("admin:companies_companymember_change", args=[request.pk]), {"role": "member", "is_approved": "on"}
    )
    assert response.status_code == 200  # the form again, with the policy's refusal
    request.refresh_from_db()
    assert not request.is_approved
