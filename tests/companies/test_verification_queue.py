"""The verification queue (issue 14, point 3): companies waiting for staff of their province,
oldest first; approve, or refuse with a reason mailed to the company's members, who may edit
the company and ask again. The admin's withdraw action asks for the reason too."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.services import language_set
from companies.models import Company, CompanyMember
from companies.services import company_refuse_verification, company_request_verification
from portal.dashboard import staff_dashboard
from tests.factories import CompanyFactory, UserFactory, member, province
from tests.race import run_concurrently

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
REASON = "The registration papers do not match the national ID."


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


QUEUE = "admin:companies_company_verification_queue"
APPROVE = "admin:companies_company_verification_approve"
REFUSE = "admin:companies_company_verification_refuse"
CHANGELIST = "admin:companies_company_changelist"


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def waiting(slug="qom", *, days=0, **kwargs):
    company = CompanyFactory(province=province(slug), is_verified=False, **kwargs)
    Company.objects.filter(pk=company.pk).update(verification_requested_at=NOW - datetime.timedelta(days=days))
    company.refresh_from_db()
    return company


def refused(slug="qom", **kwargs):
    company = waiting(slug, days=20, **kwargs)
    Company.objects.filter(pk=company.pk).update(refused_at=NOW, refusal_reason="No papers.")
    company.refresh_from_db()
    return company


# --- the queue ----------------------------------------------------------------------------------
def test_the_queue_lists_waiting_companies_oldest_first_with_their_age_in_days(client, qom_staff, clock):
    newest = waiting(days=0, name_en="Newest")
    oldest = waiting(days=12, name_en="Oldest")
    middle = waiting(days=3, name_en="Middle")
    CompanyFactory(province=province("qom"), is_verified=True)  # verified: not waiting
    refused()  # refused: not waiting until its members ask again
    client.force_login(qom_staff)
    response = client.get(en(QUEUE))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.company.pk for row in rows] == [oldest.pk, middle.pk, newest.pk]
    assert [row.age_days for row in rows] == [12, 3, 0]
    page = response.content.decode()
    assert page.index("Oldest") < page.index("Middle") < page.index("Newest")
    assert oldest.national_id in page


def test_the_queue_shows_ages_in_persian_digits_on_persian_pages(client, qom_staff, clock):
    waiting(days=12)
    client.force_login(qom_staff)
    with translation.override("fa"):
        url = reverse(QUEUE)
    page = client.get(url).content.decode()
    assert "۱۲" in page


def test_the_queue_counts_the_members_waiting_for_approval(client, qom_staff, clock):
    company = waiting(days=1)
    member(company, "owner")
    for name in ("asker-1", "asker-2"):
        CompanyMember.objects.create(company=company, user=UserFactory(username=name))
    client.force_login(qom_staff)
    [row] = client.get(en(QUEUE)).context["rows"]
    assert row.company.members_waiting == 2


def test_staff_of_another_province_do_not_see_the_company_in_their_queue(client, tehran_staff, clock):
    waiting("qom", days=4)
    in_tehran = waiting("tehran", days=1)
    client.force_login(tehran_staff)
    rows = client.get(en(QUEUE)).context["rows"]
    assert [row.company.pk for row in rows] == [in_tehran.pk]


def test_national_staff_see_every_province(client, national_staff, clock):
    companies = {waiting("qom", days=4).pk, waiting("tehran", days=1).pk}
    client.force_login(national_staff)
    assert {row.company.pk for row in client.get(en(QUEUE)).context["rows"]} == companies


def test_staff_of_another_province_get_404_on_approve_and_refuse(client, tehran_staff, clock):
    company = waiting("qom", days=4)
    member(company, "owner", email="owner@example.com")
    client.force_login(tehran_staff)
    assert client.post(en(APPROVE, company.pk)).status_code == 404
    assert client.get(en(REFUSE, company.pk)).status_code == 404
    assert client.post(en(REFUSE, company.pk), {"reason": REASON}).status_code == 404
    company.refresh_from_db()
    assert not company.is_verified and company.refused_at is None
    assert mail.outbox == []


def test_approving_from_the_queue_verifies_and_mails_the_members(
    client, qom_staff, clock, django_capture_on_commit_callbacks
):
    company = waiting(days=2)
    member(company, "owner", email="owner@example.com")
    client.force_login(qom_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(en(APPROVE, company.pk))
    assert response.status_code == 302 and response["Location"] == en(QUEUE)
    company.refresh_from_db()
    assert company.is_verified
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]


def test_refusing_from_the_queue_mails_each_member_in_their_language_with_the_reason(
    client, qom_staff, clock, django_capture_on_commit_callbacks
):
    company = waiting(days=2, name_en="Qom Valves", name_fa="شیرآلات قم")
    english_reader = member(company, "owner", email="owner@example.com")
    language_set(user=english_reader, language="en")
    persian_reader = UserFactory(username="colleague", email="colleague@example.com")
    CompanyMember.objects.create(company=company, user=persian_reader, is_approved=True)
    CompanyMember.objects.create(company=company, user=UserFactory(username="asker"))  # not approved: not told
    client.force_login(qom_staff)
    typed = "مدارك ثبت با شناسه ملي نمي‌خواند"  # Arabic kaf and yeh, as often typed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(en(REFUSE, company.pk), {"reason": typed})
    assert response.status_code == 302 and response["Location"] == en(QUEUE)
    company.refresh_from_db()
    assert not company.is_verified
    assert company.refused_at == NOW and company.refused_by == qom_staff
    assert company.refusal_reason == "مدارک ثبت با شناسه ملی نمی‌خواند"
    letters = {tuple(m.to): m for m in mail.outbox}
    assert set(letters) == {("owner@example.com",), ("colleague@example.com",)}
    english, persian = letters[("owner@example.com",)], letters[("colleague@example.com",)]
    assert english.subject == "Qom Valves was not verified"
    assert english.body.startswith("Hello owner,") and f"Reason: {company.refusal_reason}" in english.body
    with translation.override("fa"):
        assert persian.subject == gettext("%(company)s was not verified") % {"company": "شیرآلات قم"}
        assert gettext("Reason: %(reason)s") % {"reason": company.refusal_reason} in persian.body
    assert persian.body.startswith("colleague گرامی")  # the greeting in Persian


def test_a_refused_company_leaves_the_queue(client, qom_staff, clock):
    company = waiting(days=2)
    client.force_login(qom_staff)
    client.post(en(REFUSE, company.pk), {"reason": REASON})
    assert list(client.get(en(QUEUE)).context["rows"]) == []


def test_refusing_without_a_reason_is_refused_in_the_readers_language(client, qom_staff, clock):
    company = waiting(days=2)
    member(company, "owner", email="owner@example.com")
    client.force_login(qom_staff)
    response = client.post(en(REFUSE, company.pk), {"reason": "  "})
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    with translation.override("fa"):
        persian = client.post(reverse(REFUSE, args=[company.pk]), {"reason": ""})
        message = gettext("Give the reason: the company's members read it in their mail and on their account page.")
    assert persian.status_code == 200
    assert persian.context["form"].errors["reason"] == [message]
    company.refresh_from_db()
    assert company.refused_at is None
    assert mail.outbox == []


def test_the_refuse_form_names_the_company(client, qom_staff, clock):
    company = waiting(days=2, name_en="Qom Valves")
    client.force_login(qom_staff)
    response = client.get(en(REFUSE, company.pk))
    assert response.status_code == 200
    assert "Qom Valves" in response.content.decode() and 'name="reason"' in response.content.decode()


# --- the service --------------------------------------------------------------------------------
def test_the_refusal_service_wants_a_reason(qom_staff, clock):
    company = waiting(days=2)
    with translation.override("en"), pytest.raises(ValidationError, match="reason"):
        company_refuse_verification(company=company, by=qom_staff, reason=" \u200c ")
    company.refresh_from_db()
    assert company.refused_at is None


def test_staff_of_another_province_cannot_refuse_through_the_service(tehran_staff, clock):
    company = waiting("qom", days=2)
    with translation.override("en"), pytest.raises(ValidationError, match="staff of the company's province"):
        company_refuse_verification(company=company, by=tehran_staff, reason=REASON)
    company.refresh_from_db()
    assert company.refused_at is None


def test_a_refusal_mail_still_queued_when_the_company_is_verified_is_not_sent(
    qom_staff, clock, django_capture_on_commit_callbacks
):
    from companies.services import company_verify

    company = waiting(days=2)
    member(company, "owner", email="owner@example.com")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        company_refuse_verification(company=company, by=qom_staff, reason=REASON)
    company_verify(company=company, by=qom_staff)
    for callback in queued:
        callback()
    assert mail.outbox == []


# --- the members' side: see the refusal, edit, ask again ---------------------------------------
MEMBER_PAGE = "companies:verification-request"


def test_members_see_the_refusal_and_its_reason_on_their_account_page(client, clock):
    company = refused(name_en="Qom Valves")
    client.force_login(member(company, "owner"))
    page = client.get(en("matchmaking:account")).content.decode()
    assert "No papers." in page
    assert en(MEMBER_PAGE) in page


def test_a_member_edits_the_company_and_asks_again_and_it_is_back_in_the_queue(client, qom_staff, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    company = refused(name_en="Qom Valves")
    owner = member(company, "owner")
    client.force_login(owner)
    page = client.get(en(MEMBER_PAGE))
    assert page.status_code == 200 and "No papers." in page.content.decode()
    later = NOW + datetime.timedelta(days=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "", False)}
    data.update({"name_en": "Qom Valves Ltd", "sectors": [], "is_buyer": "on"})
    response = client.post(en(MEMBER_PAGE), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else None
    company.refresh_from_db()
    assert company.name_en == "Qom Valves Ltd"
    assert company.refused_at is None and company.refusal_reason == ""
    assert company.verification_requested_at == later
    client.force_login(qom_staff)
    rows = client.get(en(QUEUE)).context["rows"]
    assert [(row.company.pk, row.age_days) for row in rows] == [(company.pk, 0)]


def test_only_an_approved_member_may_ask_again(clock):
    company = refused()
    stranger = UserFactory(username="stranger")
    with translation.override("en"), pytest.raises(ValidationError):
        company_request_verification(company=company, by=stranger)
    company.refresh_from_db()
    assert company.refused_at is not None


def test_a_waiting_company_has_no_request_page(client, clock):
    company = waiting(days=1)
    client.force_login(member(company, "owner"))
    assert client.get(en(MEMBER_PAGE)).status_code == 302


# --- fixed queries --------------------------------------------------------------------------------
def _queue_queries(client, count):
    for i in range(count):
        company = waiting(days=i)
        CompanyMember.objects.create(company=company, user=UserFactory(username=f"asker-{count}-{i}"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(en(QUEUE))
    assert len(response.context["rows"]) == Company.objects.filter(is_verified=False, refused_at=None).count()
    return len(queries)


def test_the_queue_runs_a_fixed_number_of_queries_whatever_its_length(client, qom_staff, clock):
    client.force_login(qom_staff)
    few = _queue_queries(client, 2)
    Company.objects.all().delete()
    many = _queue_queries(client, 12)
    assert few == many


def test_the_dashboard_counts_the_companies_waiting_in_a_fixed_number_of_queries(qom_staff, clock):
    waiting("qom", days=1)
    waiting("tehran", days=1)
    with CaptureQueriesContext(connection) as few:
        assert staff_dashboard(user=qom_staff)["companies_waiting"] == 1
    for i in range(10):
        waiting("qom", days=i)
    qom_staff = type(qom_staff).objects.get(pk=qom_staff.pk)  # no per-request caches
    with CaptureQueriesContext(connection) as many:
        assert staff_dashboard(user=qom_staff)["companies_waiting"] == 11
    assert len(few) == len(many)


def test_the_dashboard_links_to_the_queue_with_the_count(client, qom_staff, clock):
    waiting("qom", days=1)
    client.force_login(qom_staff)
    page = client.get(en("admin:index")).content.decode()
    assert en(QUEUE) in page


# --- the admin's withdraw action asks for the reason ----------------------------------------------
def test_the_withdraw_action_asks_for_the_reason_first(client, qom_staff, clock):
    company = CompanyFactory(province=province("qom"), is_verified=True)
    client.force_login(qom_staff)
    response = client.post(en(CHANGELIST), {"action": "mark_unverified", "_selected_action": [company.pk]})
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    company.refresh_from_db()
    assert company.is_verified


def test_the_withdraw_action_mails_the_reason(client, qom_staff, clock, django_capture_on_commit_callbacks):
    company = CompanyFactory(province=province("qom"), is_verified=True, name_en="Qom Valves")
    english_reader = member(company, "owner", email="owner@example.com")
    language_set(user=english_reader, language="en")
    client.force_login(qom_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(en(CHANGELIST), {
            "action": "mark_unverified", "_selected_action": [company.pk], "post": "yes", "reason": REASON,
        })
    assert response.status_code == 302
    company.refresh_from_db()
    assert not company.is_verified
    assert company.refusal_reason == REASON and company.refused_by == qom_staff
    [letter] = mail.outbox
    assert letter.to == ["owner@example.com"] and REASON in letter.body and "withdrawn" in letter.subject


def test_the_withdraw_action_without_a_reason_changes_nothing(client, qom_staff, clock):
    company = CompanyFactory(province=province("qom"), is_verified=True)
    member(company, "owner", email="owner@example.com")
    client.force_login(qom_staff)
    response = client.post(en(CHANGELIST), {
        "action": "mark_unverified", "_selected_action": [company.pk], "post": "yes", "reason": "",
    })
    assert response.status_code == 200 and "Give the reason" in response.content.decode()
    company.refresh_from_db()
    assert company.is_verified
    assert mail.outbox == []


def test_a_withdrawn_company_is_not_in_the_queue(client, qom_staff, clock):
    company = CompanyFactory(province=province("qom"), is_verified=True)
    client.force_login(qom_staff)
    client.post(en(CHANGELIST), {
        "action": "mark_unverified", "_selected_action": [company.pk], "post": "yes", "reason": REASON,
    })
    assert list(client.get(en(QUEUE)).context["rows"]) == []


# --- two staff at once ------------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_staff_refusing_at_once_refuse_once_and_the_members_hear_once():
    """Both pass the view's "still waiting" check at the same moment: the row lock lets one
    refusal through; the other reads why nothing happened, and each member gets one letter."""
    from tests.factories import province_staff

    first, second = province_staff("qom-one", "qom"), province_staff("qom-two", "qom")
    company = CompanyFactory(province=province("qom"), is_verified=False)
    member(company, "owner", email="owner@example.com")
    outcomes = run_concurrently(
        lambda: company_refuse_verification(company=company, by=first, reason="First reason."),
        lambda: company_refuse_verification(company=company, by=second, reason="Second reason."),
    )
    assert sorted(o.ok for o in outcomes) == [False, True]
    assert isinstance(next(o.error for o in outcomes if not o.ok), ValidationError)
    company.refresh_from_db()
    winner = first if outcomes[0].ok else second
    assert company.refused_by == winner
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    assert company.refusal_reason in mail.outbox[0].body


def test_approving_a_company_a_colleague_refused_meanwhile_leaves_it_refused(
    client, qom_staff, clock, django_capture_on_commit_callbacks
):
    company = refused()
    member(company, "owner", email="owner@example.com")
    client.force_login(qom_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(en(APPROVE, company.pk), follow=True)
    company.refresh_from_db()
    assert not company.is_verified and company.is_refused
    assert "no longer waiting" in " ".join(str(m) for m in response.context["messages"])
    assert mail.outbox == []


def test_asking_again_keeps_what_staff_changed_meanwhile_in_fields_the_members_did_not_edit(clock):
    """The member's form was read before staff changed the company: only the fields the
    member changed are written over the stored row."""
    from companies.models import Company

    company = refused(name_en="Qom Valves")
    owner = member(company, "owner")
    Company.objects.filter(pk=company.pk).update(phone="025-3000000")  # staff, meanwhile
    company_request_verification(company=company, by=owner, changes={"name_en": "Qom Valves Ltd"})
    company.refresh_from_db()
    assert (company.name_en, company.phone, company.refused_at) == ("Qom Valves Ltd", "025-3000000", None)
