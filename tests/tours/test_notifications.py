"""Tour mail goes to the people who act for the registered company today, one letter each."""

import pytest
from django.core import mail

from companies.models import CompanyMember
from tests.factories import SupplierFactory, TourFactory, member
from tours.models import Tour, TourRegistration
from tours.notifications import TOUR_EVENTS
from tours.services import tour_register
from tours.tasks import notify_tour_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    """An English tour a supplier registered for, by a member who has since left the
    company; another member who was deactivated; and one who still acts for it."""
    company = SupplierFactory(email="office@maker.example")
    tour = TourFactory(language=Tour.Language.ENGLISH, title="Auto parts tour")
    registrar = member(company, "registrar", email="registrar@maker.example")
    registration = tour_register(tour=tour, company=company, attendees=2, by=registrar)
    CompanyMember.objects.filter(user=registrar).delete()  # left the company
    deactivated = member(company, "deactivated", email="gone@maker.example")
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    current = member(company, "current", email="current@maker.example")
    mail.outbox.clear()
    return {"registration": registration, "registrar": registrar, "deactivated": deactivated, "current": current}


@pytest.mark.parametrize("event", TOUR_EVENTS)
def test_tour_mail_reaches_only_the_companys_current_people_one_letter_each(registered, event):
    notify_tour_registration.call(registered["registration"].pk, event)

    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert message.message()["To"] == message.to[0]
    assert sorted(m.to[0] for m in mail.outbox) == ["current@maker.example", "office@maker.example"]


def test_a_tour_letter_keeps_its_wording_and_is_signed_by_the_programme(registered):
    notify_tour_registration.call(registered["registration"].pk, "confirmed")

    letter = next(m for m in mail.outbox if m.to == ["current@maker.example"])
    assert letter.subject == "Tour registration confirmed: Auto parts tour"
    assert letter.body.startswith("Hello,")
    assert "Your registration for 2 attendees is confirmed." in letter.body
    assert "Tour: Auto parts tour" in letter.body
    assert "Tour page: http" in letter.body
    assert letter.body.rstrip().endswith("Permanent domestic-manufacturing exhibitions")


def test_a_registration_with_nobody_to_write_to_sends_nothing(registered):
    registration: TourRegistration = registered["registration"]
    type(registration.company).objects.filter(pk=registration.company_id).update(email="")
    CompanyMember.objects.filter(company=registration.company).delete()

    assert notify_tour_registration.call(registration.pk, "confirmed") == 0
    assert mail.outbox == []
