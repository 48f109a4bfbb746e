from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.text import to_persian_digits
from exhibitions.models import StaffProvince
from matchmaking.models import Interest
from matchmaking.services import interest_decide, interest_declare, interest_withdraw
from needs.models import NeedStatus
from tests.factories import (
    NeedFactory,
    SupplierFactory,
    UserFactory,
    declaration,
    displayed_need,
    member,
    parties,
    province,
)

pytestmark = pytest.mark.django_db

FIGURES = dict(annual_capacity=Decimal("1200"), lead_time_days=45, indicative_price_rials=9_000_000,
               certifications="ISO 9001", message="آماده‌ایم")


def test_verified_supplier_declares_and_the_buyer_is_mailed(django_capture_on_commit_callbacks):
    need = displayed_need()
    member(need.buyer, "buyer", email="buyer@example.com")
    supplier = SupplierFactory()
    user = member(supplier, "s1")
    with django_capture_on_commit_callbacks(execute=True):
        interest = interest_declare(need=need, supplier=supplier, by=user, **FIGURES)
    assert interest.status == Interest.Status.DECLARED
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert to_persian_digits(supplier.name) in mail.outbox[0].body  # "شرکت نمونه ۲۷": Persian mail, Persian digits


def test_an_unverified_company_cannot_declare():
    need = displayed_need()
    supplier = SupplierFactory(is_verified=False)
    user = member(supplier, "s1")
    with translation.override("en"), pytest.raises(ValidationError, match="not been verified"):
        interest_declare(need=need, supplier=supplier, by=user, **FIGURES)
    assert not Interest.objects.exists()


def test_an_unverified_company_sees_why_on_the_declare_page(client):
    need = displayed_need()
    supplier = SupplierFactory(is_verified=False)
    client.force_login(member(supplier, "s1"))
    response = client.post(f"/en/account/needs/{need.pk}/declare/", {"annual_capacity": "10", "lead_time_days": "5"})
    assert response.status_code == 200
    assert "not been verified" in response.content.decode()
    assert not Interest.objects.exists()


def test_a_need_not_on_display_refuses_declarations():
    need = NeedFactory(status=NeedStatus.IDENTIFIED)
    supplier = SupplierFactory()
    with pytest.raises(ValidationError):
        interest_declare(need=need, supplier=supplier, by=member(supplier, "s1"), **FIGURES)


def test_declaring_twice_updates_the_one_declaration():
    need = displayed_need()
    supplier = SupplierFactory()
    user = member(supplier, "s1")
    interest_declare(need=need, supplier=supplier, by=user, **FIGURES)
    interest_declare(need=need, supplier=supplier, by=user, **{**FIGURES, "lead_time_days": 20})
    assert Interest.objects.get().lead_time_days == 20


def test_withdrawn_then_declared_again_comes_back_as_declared():
    interest = declaration(status=Interest.Status.DECLARED)
    _, supplier_user = parties(interest)
    interest_withdraw(interest=interest, by=supplier_user)
    assert Interest.objects.get().status == Interest.Status.WITHDRAWN
    interest_declare(need=interest.need, supplier=interest.supplier, by=supplier_user, **FIGURES)
    assert Interest.objects.get().status == Interest.Status.DECLARED


def test_the_form_accepts_persian_digits_and_separators(client):
    need = displayed_need()
    supplier = SupplierFactory()
    client.force_login(member(supplier, "s1"))
    response = client.post(
        f"/account/needs/{need.pk}/declare/",
        {"annual_capacity": "۱٬۲۰۰", "lead_time_days": "۴۵", "indicative_price_rials": "۹,۵۰۰,۰۰۰"},
    )
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.annual_capacity == Decimal("1200") and interest.indicative_price_rials == 9_500_000


def test_the_buyer_shortlists_and_declines_with_a_reason(django_capture_on_commit_callbacks):
    interest = declaration(status=Interest.Status.DECLARED)
    buyer, _ = parties(interest)
    with pytest.raises(ValidationError):
        interest_decide(interest=interest, by=buyer, decision="decline", reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        interest_decide(interest=interest, by=buyer, decision="decline", reason="ظرفیت کم است")
    interest.refresh_from_db()
    assert interest.status == Interest.Status.DECLINED and interest.decline_reason == "ظرفیت کم است"
    assert "ظرفیت کم است" in mail.outbox[-1].body
    interest_decide(interest=interest, by=buyer, decision="shortlist")
    assert Interest.objects.get().status == Interest.Status.SHORTLISTED


def test_the_supplier_cannot_shortlist_itself():
    interest = declaration(status=Interest.Status.DECLARED)
    _, supplier_user = parties(interest)
    with pytest.raises(PermissionDenied):
        interest_decide(interest=interest, by=supplier_user, decision="shortlist")


def test_a_supplier_cannot_see_another_suppliers_declaration(client):
    interest = declaration(status=Interest.Status.DECLARED)
    rival = member(SupplierFactory(), "rival")
    client.force_login(rival)
    assert client.get(f"/account/declarations/{interest.pk}/").status_code == 404
    assert client.get(f"/account/needs/{interest.need_id}/declarations/").status_code == 404
    assert client.post(f"/account/declarations/{interest.pk}/withdraw/").status_code == 404
    assert Interest.objects.get().status == Interest.Status.DECLARED


def test_the_buyer_sees_every_declaration_on_its_need(client):
    interest = declaration(status=Interest.Status.DECLARED)
    other = declaration(need=interest.need, status=Interest.Status.DECLARED)
    buyer, _ = parties(interest)
    client.force_login(buyer)
    page = client.get(f"/en/account/needs/{interest.need_id}/declarations/").content.decode()
    assert interest.supplier.name_en in page and other.supplier.name_en in page


def test_staff_of_the_province_mediate_for_an_anonymous_buyer():
    need = displayed_need(is_anonymous=True)
    interest = declaration(need=need, status=Interest.Status.DECLARED)
    qom_staff = UserFactory(username="qom-staff", is_staff=True)
    StaffProvince.objects.create(user=qom_staff, province=province("qom"))
    tehran_staff = UserFactory(username="tehran-staff", is_staff=True)
    StaffProvince.objects.create(user=tehran_staff, province=province("tehran"))
    with pytest.raises(PermissionDenied):
        interest_decide(interest=interest, by=tehran_staff, decision="shortlist")
    interest_decide(interest=interest, by=qom_staff, decision="shortlist")
    assert Interest.objects.get().status == Interest.Status.SHORTLISTED


def test_suggestions_rank_same_sector_and_nearby_suppliers_and_skip_declared():
    from companies.models import Sector
    from matchmaking.selectors import suppliers_for_need

    need = displayed_need()  # auto-parts, Qom
    auto = Sector.objects.get(slug="auto-parts")
    near = SupplierFactory(province=province("tehran"), capabilities="ساخت لنت ترمز")
    near.sectors.add(auto)
    far = SupplierFactory(province=province("sistan-baluchestan"))
    far.sectors.add(auto)
    unrelated = SupplierFactory(province=province("qom"))
    unrelated.sectors.add(Sector.objects.get(slug="textile"))
    declared = SupplierFactory(province=province("qom"))
    declared.sectors.add(auto)
    declaration(need=need, supplier=declared)
    unverified = SupplierFactory(is_verified=False)
    unverified.sectors.add(auto)

    ranked = suppliers_for_need(need)
    assert ranked[:2] == [near, far]
    assert declared not in ranked and unrelated not in ranked and unverified not in ranked
