"""The events that mail people now also land in the right reader's inbox (one per app)."""

from decimal import Decimal

import pytest
from django.core import mail

from companies.services import company_verify
from matchmaking.services import interest_declare
from notices.models import Notification
from tests.factories import (
    CompanyFactory,
    SupplierFactory,
    TourFactory,
    displayed_need,
    member,
    province,
    province_staff,
)
from tours.services import tour_register

pytestmark = pytest.mark.django_db


def test_a_declaration_lands_in_the_buyers_inbox_not_the_suppliers(django_capture_on_commit_callbacks):
    need = displayed_need()
    buyer = member(need.buyer, "buyer", email="buyer@example.com")
    supplier = SupplierFactory()
    declarer = member(supplier, "declarer", email="declarer@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        interest = interest_declare(
            need=need, supplier=supplier, by=declarer, annual_capacity=Decimal(100), lead_time_days=10,
        )
    [note] = Notification.objects.all()
    assert (note.user, note.event) == (buyer, "declaration")
    assert note.link == f"/account/declarations/{interest.pk}/"
    assert note.body == mail.outbox[0].body  # the same letter, composed for the same reader


def test_a_tour_registration_lands_in_each_members_inbox(django_capture_on_commit_callbacks):
    company = SupplierFactory(email="office@example.com")
    first, second = member(company, "first"), member(company, "second")
    tour = TourFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tour_register(tour=tour, company=company, attendees=2)
    notes = Notification.objects.order_by("user__username")
    assert [(n.user, n.event, n.link) for n in notes] == [
        (first, "tour", f"/tours/{tour.pk}/"), (second, "tour", f"/tours/{tour.pk}/"),
    ]
    # The company's own address still gets its mail, and no inbox row.
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.com", "office@example.com", "second@example.com"]


def test_a_company_verification_lands_in_its_members_inboxes(django_capture_on_commit_callbacks):
    company = CompanyFactory(province=province("alborz"), is_verified=False)
    owner = member(company, "owner", email="owner@example.com")
    staff = province_staff("karaj-staff", "alborz")
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=company, by=staff)
    [note] = Notification.objects.all()
    assert (note.user, note.event, note.link) == (owner, "company", "/account/")
    assert note.read_at is None
