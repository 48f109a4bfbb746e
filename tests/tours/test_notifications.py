"""Tour mail goes to the people who act for the registered company today, one letter each."""

import datetime
import email
import re

import pytest
from django.core import mail
from icalendar import Calendar

from companies.models import CompanyMember
from tests.calendar_clients import agreed
from tests.factories import SupplierFactory, TourFactory, member
from tours.models import Tour, TourRegistration
from tours.notifications import TOUR_EVENTS
from tours.services import registration_cancel, tour_cancel, tour_register, tour_update
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


# --- issue 12: calendar files that every client updates ----------------------------------------
def _sent_calendar(message):
    """The text/calendar part as the mail server receives it, and what every client reads."""
    sent = email.message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    (seen,) = agreed(part.get_payload(decode=True))
    return part, seen


def _to(address: str):
    return next(m for m in mail.outbox if m.to == [address])


@pytest.mark.parametrize("event", TOUR_EVENTS)
def test_each_tour_letters_calendar_part_names_its_method_once(registered, event):
    registration = registered["registration"]
    if event == "cancelled":
        TourRegistration.objects.filter(pk=registration.pk).update(status=TourRegistration.Status.CANCELLED)
    if event == "tour_cancelled":
        Tour.objects.filter(pk=registration.tour_id).update(status=Tour.Status.CANCELLED)
    notify_tour_registration.call(registration.pk, event)
    assert mail.outbox
    for message in mail.outbox:
        part, seen = _sent_calendar(message)
        assert part.get_param("method") == seen.method
        assert seen.method == ("CANCEL" if event in ("cancelled", "tour_cancelled") else "REQUEST")
        assert [key for key, _ in part.get_params()].count("charset") == 1


def test_a_cancelled_registration_mails_a_cancel_that_replaces_the_booking(
    registered, django_capture_on_commit_callbacks
):
    registration = registered["registration"]
    notify_tour_registration.call(registration.pk, "confirmed")
    _, booked = _sent_calendar(_to("current@maker.example"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration, by=registered["current"])
    _part, withdrawn = _sent_calendar(_to("current@maker.example"))
    assert (booked.method, booked.status) == ("REQUEST", "CONFIRMED")
    assert (withdrawn.method, withdrawn.status) == ("CANCEL", "CANCELLED")
    assert withdrawn.uid == booked.uid and withdrawn.sequence > booked.sequence


def test_a_cancelled_tour_mails_every_registered_company_a_cancel(registered, django_capture_on_commit_callbacks):
    registration = registered["registration"]
    waiting = tour_register(tour=registration.tour, company=SupplierFactory(email="office@waits.example"), attendees=1)
    notify_tour_registration.call(registration.pk, "confirmed")
    _, booked = _sent_calendar(_to("current@maker.example"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tour_cancel(tour=registration.tour, reason="Road works")
    _, withdrawn = _sent_calendar(_to("current@maker.example"))
    assert (withdrawn.method, withdrawn.status, withdrawn.uid) == ("CANCEL", "CANCELLED", booked.uid)
    assert withdrawn.sequence > booked.sequence
    _, other = _sent_calendar(_to("office@waits.example"))
    assert (other.method, other.status) == ("CANCEL", "CANCELLED")
    assert other.uid != withdrawn.uid and waiting.pk


def test_a_changed_tour_sends_its_registrants_an_updated_request(
    registered, national_staff, django_capture_on_commit_callbacks
):
    registration = registered["registration"]
    tour = registration.tour
    gone = tour_register(tour=tour, company=SupplierFactory(email="office@gone.example"), attendees=1)
    registration_cancel(registration=gone)
    notify_tour_registration.call(registration.pk, "confirmed")
    _, booked = _sent_calendar(_to("current@maker.example"))
    mail.outbox.clear()
    later = datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        tour_update(tour=tour, by=national_staff, starts_at=tour.starts_at + later, ends_at=tour.ends_at + later)
    letter = _to("current@maker.example")
    _, moved = _sent_calendar(letter)
    assert (moved.method, moved.status, moved.uid) == ("REQUEST", "CONFIRMED", booked.uid)
    assert moved.sequence > booked.sequence
    assert moved.starts_at == booked.starts_at + later
    assert letter.subject == "Tour changed: Auto parts tour"
    assert "office@gone.example" not in [m.to[0] for m in mail.outbox]


def test_a_change_of_seats_alone_tells_nobody(registered, national_staff, django_capture_on_commit_callbacks):
    tour = registered["registration"].tour
    with django_capture_on_commit_callbacks(execute=True):
        tour_update(tour=tour, by=national_staff, capacity=tour.capacity + 5)
    assert mail.outbox == []


def test_one_attendee_is_written_in_the_singular(registered):
    registration = registered["registration"]
    TourRegistration.objects.filter(pk=registration.pk).update(attendees=1)
    notify_tour_registration.call(registration.pk, "confirmed")
    letter = _to("current@maker.example")
    assert "Your registration for 1 attendee is confirmed." in letter.body
    assert "1 attendees" not in letter.body


# --- issue 11: Persian digits in Persian mail -------------------------------------------------------
def test_a_persian_tour_letter_has_persian_digits_and_a_latin_link():
    company = SupplierFactory(email="office2@maker.example")
    tour = TourFactory(language=Tour.Language.PERSIAN, title="تور قطعه 3", meeting_point="درِ 2")
    registrar = member(company, "registrar", email="registrar@maker.example")
    registration = tour_register(tour=tour, company=company, attendees=2, by=registrar)
    mail.outbox.clear()

    notify_tour_registration.call(registration.pk, "confirmed")

    letter = _to("office2@maker.example")
    assert letter.subject == "ثبت‌نام تور قطعی شد: تور قطعه ۳"
    assert "برای ۲ نفر" in letter.body
    assert "درِ ۲" in letter.body  # stored text, shown in Persian digits
    assert f"/tours/{tour.pk}/" in letter.body  # the link keeps the digits a browser needs
    assert not re.search("[0-9]", re.sub(r"https?://\S+|\S+@\S+", "", letter.body + letter.subject))


# --- issue 11, point 4: each letter in its reader's language -----------------------------------
def _bilingual_registration(tour_language: str, members: int = 0):
    """A registration for a tour in `tour_language` by a company with a member who reads
    English, one who reads Persian, one who never chose, its own office address, and
    `members` more who read English."""
    from accounts.services import language_set

    company = SupplierFactory(name_fa="سازه پارس", name_en="Pars Build", email="office@pars.example")
    tour = TourFactory(language=tour_language, title="Bazaar tour")
    anglo = member(company, "anglo", email="anglo@pars.example")
    language_set(user=anglo, language="en")
    language_set(user=member(company, "farsi", email="farsi@pars.example"), language="fa")
    member(company, "unset", email="unset@pars.example")
    for n in range(members):
        language_set(user=member(company, f"extra-{n}", email=f"extra-{n}@pars.example"), language="en")
    registration = tour_register(tour=tour, company=company, attendees=2, by=anglo)
    mail.outbox.clear()
    return registration


def _reads(address: str) -> tuple[str, str, str]:
    """The subject, body and calendar description one reader gets."""
    letter = _to(address)
    sent = email.message_from_bytes(letter.message().as_bytes())
    (part,) = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    description = str(Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]["description"])
    return letter.subject, letter.body, description


def test_a_persian_tours_mail_and_calendar_reach_an_english_reader_in_english():
    registration = _bilingual_registration(Tour.Language.PERSIAN)
    notify_tour_registration.call(registration.pk, "confirmed")

    subject, body, description = _reads("anglo@pars.example")
    assert subject == "Tour registration confirmed: Bazaar tour"
    assert "Your registration for 2 attendees is confirmed." in body
    assert f"/en/tours/{registration.tour_id}/" in body
    assert description.startswith("Registration for Pars Build: 2 attendees (Confirmed).")
    for persian in ("farsi@pars.example", "unset@pars.example", "office@pars.example"):
        subject, body, description = _reads(persian)
        assert subject == "ثبت‌نام تور قطعی شد: Bazaar tour", persian
        assert "ثبت‌نام شما برای ۲ نفر قطعی شد." in body
        assert description.startswith("ثبت‌نام سازه پارس: ۲ نفر")


def test_an_english_tours_mail_reaches_a_persian_reader_in_persian_and_the_rest_in_english():
    """Who never chose a language, and the company's own address, read the tour's language."""
    registration = _bilingual_registration(Tour.Language.ENGLISH)
    notify_tour_registration.call(registration.pk, "confirmed")

    assert _reads("farsi@pars.example")[0] == "ثبت‌نام تور قطعی شد: Bazaar tour"
    for english in ("anglo@pars.example", "unset@pars.example", "office@pars.example"):
        assert _reads(english)[0] == "Tour registration confirmed: Bazaar tour", english


@pytest.mark.parametrize("members", [0, 6])
def test_a_tour_letters_queries_do_not_grow_with_its_readers(django_assert_max_num_queries, members):
    from tours.notifications import tour_registration_letters

    registration = _bilingual_registration(Tour.Language.PERSIAN, members)
    registration = TourRegistration.objects.select_related("tour__exhibition", "company").get(pk=registration.pk)
    with django_assert_max_num_queries(3):
        letters = tour_registration_letters(registration, "confirmed")
    assert len(letters) == members + 4
