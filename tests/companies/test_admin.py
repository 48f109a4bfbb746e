"""Verifying companies and deciding membership requests in the admin go through companies.services."""

import re

import pytest
from django.contrib import messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from companies.models import CompanyMember
from companies.policies import ensure_may_become_member
from companies.services import company_member_reject
from tests.factories import CompanyFactory, NeedFactory, UserFactory, member, province

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
    # The action first asks for the reason (tests/companies/test_verification_queue.py), then withdraws.
    client.post(CHANGELIST, {
        "action": "mark_unverified", "_selected_action": [company.pk], "post": "yes", "reason": "Papers expired.",
    })
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
    request.refresh_from_db()
    assert not request.is_approved


# --- memberships: only through companies.services ----------------------------------------------
MEMBERS = reverse("admin:companies_companymember_changelist")


def company_post(company, **rows) -> dict:
    """The company change form as posted, with `rows` typed into the members inline."""
    data = {
        "name_fa": company.name_fa, "name_en": company.name_en, "national_id": company.national_id,
        "province": company.province_id, "town": "", "is_buyer": "on", "capabilities": "", "contact_person": "",
        "phone": "", "email": "", "website": "", "address": "",
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000",
        "certificates-TOTAL_FORMS": "0", "certificates-INITIAL_FORMS": "0",
        "certificates-MIN_NUM_FORMS": "0", "certificates-MAX_NUM_FORMS": "1000",
    }
    data.update({f"members-0-{name}": value for name, value in rows.items()})
    return data


def test_national_staff_cannot_make_a_member_of_one_company_an_owner_of_another_in_the_admin(client, national_staff):
    acting_for_a = member(CompanyFactory(), "owner-of-a")
    company_b = CompanyFactory()
    client.force_login(national_staff)
    client.post(
        reverse("admin:companies_company_change", args=[company_b.pk]),
        company_post(company_b, user=acting_for_a.pk, role="owner", is_approved="on"),
    )
    added = client.post(
        reverse("admin:companies_companymember_add"),
        {"user": acting_for_a.pk, "company": company_b.pk, "role": "owner", "is_approved": "on"},
    )
    assert added.status_code == 403
    assert not company_b.members.exists()
    assert CompanyMember.objects.filter(user=acting_for_a).count() == 1


def test_the_membership_change_form_is_read_only(client, national_staff):
    request = CompanyMember.objects.create(company=CompanyFactory(), user=UserFactory(username="asking"))
    client.force_login(national_staff)
    change = reverse("admin:companies_companymember_change", args=[request.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert set(page.context["adminform"].form.fields) == set()
    client.post(change, {"user": request.user_id, "company": request.company_id, "role": "owner", "is_approved": "on"})
    request.refresh_from_db()
    assert (request.role, request.is_approved) == ("member", False)


def refusal(check) -> str:
    """The sentence a policy or service refuses with, in the admin's language."""
    with pytest.raises(ValidationError) as refused:
        check()
    return " ".join(refused.value.messages)


def test_the_approve_action_approves_requests_of_the_staffs_province_only(client, qom_staff):
    ours = CompanyMember.objects.create(company=unverified_qom_company(), user=UserFactory(username="qom-asker"))
    theirs = CompanyMember.objects.create(
        company=CompanyFactory(province=province("tehran")), user=UserFactory(username="tehran-asker")
    )
    client.force_login(qom_staff)
    response = client.post(
        MEMBERS, {"action": "approve_requests", "_selected_action": [ours.pk, theirs.pk]}, follow=True
    )
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.is_approved and not theirs.is_approved
    assert len([m for m in response.context["messages"] if m.level == messages.SUCCESS]) == 1


def test_the_approve_action_shows_the_policys_refusal_of_a_staff_account(client, qom_staff, tehran_staff):
    request = CompanyMember.objects.create(company=unverified_qom_company(), user=tehran_staff)
    client.force_login(qom_staff)
    response = client.post(MEMBERS, {"action": "approve_requests", "_selected_action": [request.pk]}, follow=True)
    request.refresh_from_db()
    assert not request.is_approved
    assert [str(m) for m in response.context["messages"]] == [
        f"{request}: {refusal(lambda: ensure_may_become_member(tehran_staff))}"
    ]


def test_the_turn_down_action_removes_requests_and_refuses_approved_members(client, qom_staff):
    company = unverified_qom_company()
    owner = member(company, "owner")
    asking = CompanyMember.objects.create(company=company, user=UserFactory(username="asking"))
    approved = CompanyMember.objects.get(user=owner)
    client.force_login(qom_staff)
    response = client.post(
        MEMBERS, {"action": "reject_requests", "_selected_action": [asking.pk, approved.pk]}, follow=True
    )
    assert list(company.members.values_list("user__username", flat=True)) == ["owner"]
    texts = [str(m) for m in response.context["messages"]]
    assert f"{approved}: {refusal(lambda: company_member_reject(member=approved, by=qom_staff))}" in texts
    assert len(texts) == 2


# --- a buyer keeps the province and role its needs rely on (needs/checks.py) --------------------
def company_change(company, **fields) -> dict:
    """The company change form as posted with `fields` changed and no member rows."""
    return {**company_post(company), "members-TOTAL_FORMS": "0", **fields}


def test_a_buyer_with_needs_cannot_move_to_another_province(superuser_client):
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")))
    company = need.buyer
    response = superuser_client.post(
        reverse("admin:companies_company_change", args=[company.pk]),
        company_change(company, province=province("tehran").pk),
    )
    assert response.status_code == 200 and "province" in response.context["adminform"].form.errors
    company.refresh_from_db()
    assert company.province.slug == "qom"


def test_a_buyer_with_needs_cannot_stop_being_a_buyer(superuser_client):
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")))
    company = need.buyer
    data = company_change(company, is_supplier="on")
    del data["is_buyer"]
    response = superuser_client.post(reverse("admin:companies_company_change", args=[company.pk]), data)
    assert response.status_code == 200 and "is_buyer" in response.context["adminform"].form.errors
    company.refresh_from_db()
    assert company.is_buyer


def test_a_buyer_whose_needs_are_all_withdrawn_may_move(superuser_client):
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")), status="withdrawn")
    company = need.buyer
    response = superuser_client.post(
        reverse("admin:companies_company_change", args=[company.pk]),
        company_change(company, province=province("tehran").pk),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    company.refresh_from_db()
    assert company.province.slug == "tehran"


def test_the_admin_lists_companies_in_persian_order(superuser_client):
    names = ["ورامین صنعت", "گرگان فلز", "کرمان ریخته\u200cگری", "پارس قطعه"]  # by code point ورامین is first
    firms = {name: CompanyFactory(name_fa=name) for name in names}
    html = superuser_client.get(CHANGELIST).content.decode()
    listed = [int(pk) for pk in dict.fromkeys(re.findall(r'href="/[a-z/]*admin/companies/company/(\d+)/change/', html))]
    assert listed == [firms[name].pk for name in ["پارس قطعه", "کرمان ریخته\u200cگری", "گرگان فلز", "ورامین صنعت"]]
