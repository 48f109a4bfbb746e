"""Meeting mail and calendar files keep an anonymous buyer anonymous.

Each person gets a message of their own (never a shared To line), and what a supplier's
member reads (subject, headers, body, the .ics it imports or downloads) never names the
buyer nor shows the address of anyone on the buyer's side or of the province's staff."""

import email

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from exhibitions.models import StaffProvince
from matchmaking.models import Meeting
from matchmaking.services import meeting_cancel, meeting_propose, meeting_respond
from matchmaking.tasks import notify_interest, notify_meeting
from tests.calendar_clients import agreed
from tests.factories import (
    CompanyFactory,
    UserFactory,
    declaration,
    displayed_need,
    member,
    province,
    slot,
)

pytestmark = pytest.mark.django_db

EVENTS = {
    "proposed": Meeting.Status.PROPOSED,
    "confirmed": Meeting.Status.CONFIRMED,
    "declined": Meeting.Status.DECLINED,
    "cancelled": Meeting.Status.CANCELLED,
    "expired": Meeting.Status.EXPIRED,
    "reminder": Meeting.Status.CONFIRMED,
}


@pytest.fixture
def hidden():
    """A meeting on an anonymous Qom buyer's need: the buyer, its member, the supplier's
    member and the Qom staff who mediate for the buyer."""
    buyer = CompanyFactory(name_fa="صنایع رازدار قم", name_en="Secretive Industries", email="office@secretive.example")
    need = displayed_need(buyer=buyer, is_anonymous=True)
    interest = declaration(need=need)
    buyer_member = member(buyer, "razdar", email="ceo@secretive.example", first_name="Reza", last_name="Razdar")
    supplier_member = member(interest.supplier, "maker", email="sales@maker.example")
    staff = UserFactory(username="qom-staff", email="desk@qom.isipo.example", is_staff=True)
    StaffProvince.objects.create(user=staff, province=province("qom"))
    return {
        "buyer": buyer, "need": need, "interest": interest, "buyer_member": buyer_member,
        "supplier_member": supplier_member, "staff": staff,
        "secrets": ["رازدار", "Secretive", "Razdar", "secretive.example", "qom.isipo.example"],
    }


def _meeting(hidden, proposer: str) -> Meeting:
    by = hidden["buyer_member"] if proposer == "buyer" else hidden["staff"]
    return meeting_propose(interest=hidden["interest"], by=by, mode="video", starts_at=slot())


def _calendars(message) -> list[Calendar]:
    return [
        Calendar.from_ical(content if isinstance(content, bytes) else content.encode())
        for name, content, mimetype in message.attachments
        if name.endswith(".ics")
    ]


def _everything_in(message) -> str:
    """All a recipient can read: every header, the body and each attachment."""
    headers = "\n".join(f"{key}: {value}" for key, value in message.message().items())
    attachments = "\n".join(
        content.decode() if isinstance(content, bytes) else str(content) for _, content, _ in message.attachments
    )
    return f"{message.subject}\n{headers}\n{message.body}\n{attachments}"


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return [secret for secret in secrets if secret.lower() in text.lower()]


@pytest.mark.parametrize("proposer", ["buyer", "staff"])
@pytest.mark.parametrize("event", list(EVENTS))
def test_every_meeting_message_has_one_recipient_and_the_supplier_never_learns_the_buyer(hidden, proposer, event):
    meeting = _meeting(hidden, proposer)
    Meeting.objects.filter(pk=meeting.pk).update(status=EVENTS[event])
    mail.outbox.clear()
    notify_meeting.call(meeting.pk, event)

    assert mail.outbox
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert message.message()["To"] == message.to[0]
    to_supplier = [m for m in mail.outbox if m.to == [hidden["supplier_member"].email]]
    if proposer == "staff" or event != "declined":  # a declined buyer proposal goes to the buyer alone
        assert to_supplier
    for message in to_supplier:
        assert _leaks(_everything_in(message), hidden["secrets"]) == []
        for calendar in _calendars(message):
            event_ = calendar.walk("VEVENT")[0]
            assert _leaks(str(event_.get("organizer")), hidden["secrets"]) == []
            assert _leaks(str(event_["organizer"].params), hidden["secrets"]) == []
            attendees = event_.get("attendee") or []
            attendees = attendees if isinstance(attendees, list) else [attendees]
            assert {str(a) for a in attendees} <= {f"mailto:{hidden['supplier_member'].email}"}
            assert _leaks(str(event_.get("description")), hidden["secrets"]) == []


def test_the_buyers_own_member_still_reads_its_name_in_the_calendar_file(hidden):
    meeting = _meeting(hidden, "buyer")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    mail.outbox.clear()
    notify_meeting.call(meeting.pk, "confirmed")
    (letter,) = [m for m in mail.outbox if m.to == [hidden["buyer_member"].email]]
    (calendar,) = _calendars(letter)
    description = str(calendar.walk("VEVENT")[0]["description"])
    assert hidden["buyer"].name_fa in description or hidden["buyer"].name_en in description


@pytest.mark.parametrize(("event", "status", "method"), [
    ("confirmed", Meeting.Status.CONFIRMED, "REQUEST"),
    ("reminder", Meeting.Status.CONFIRMED, "REQUEST"),
    ("cancelled", Meeting.Status.CANCELLED, "CANCEL"),
])
def test_the_calendar_attachment_declares_the_method_its_body_uses(hidden, event, status, method):
    meeting = _meeting(hidden, "buyer")
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    mail.outbox.clear()
    notify_meeting.call(meeting.pk, event)
    (letter,) = [m for m in mail.outbox if m.to == [hidden["supplier_member"].email]]
    (calendar,) = _calendars(letter)
    assert str(calendar["method"]) == method
    (part,) = [p for p in letter.message().walk() if p.get_content_type() == "text/calendar"]
    content_type = part["Content-Type"].lower()
    assert part.get_param("method") == method
    assert content_type.count("charset") == 1


def _sent_calendar_part(message):
    """The text/calendar part of the message as the mail server receives it (its bytes,
    parsed back with the email package), and the calendar it carries."""
    sent = email.message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    return part, part.get_payload(decode=True)


@pytest.mark.parametrize("event", ["confirmed", "reminder", "cancelled"])
def test_the_sent_mail_names_the_calendars_method_once_with_one_charset(hidden, event):
    meeting = _meeting(hidden, "buyer")
    Meeting.objects.filter(pk=meeting.pk).update(status=EVENTS[event])
    mail.outbox.clear()
    notify_meeting.call(meeting.pk, event)
    assert mail.outbox
    for message in mail.outbox:
        if message.to == [hidden["staff"].email]:
            continue  # staff mediate; the file (with the video link) is the companies' own
        part, content = _sent_calendar_part(message)
        (seen,) = agreed(content)
        assert part.get_param("method") == seen.method == ("CANCEL" if event == "cancelled" else "REQUEST")
        assert [key for key, _ in part.get_params()].count("charset") == 1


def test_a_cancellation_replaces_the_confirmed_meeting_in_every_calendar_client(
    hidden, django_capture_on_commit_callbacks
):
    """Confirmed and cancelled within the same second: the CANCEL still outranks the REQUEST."""
    supplier = hidden["supplier_member"]
    meeting = _meeting(hidden, "buyer")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_respond(meeting=meeting, by=supplier, accept=True)
    (request,) = [m for m in mail.outbox if m.to == [supplier.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, by=hidden["buyer_member"], reason="a clash")
    (cancel,) = [m for m in mail.outbox if m.to == [supplier.email]]

    (booked,) = agreed(_sent_calendar_part(request)[1])
    (withdrawn,) = agreed(_sent_calendar_part(cancel)[1])
    assert (booked.method, booked.status) == ("REQUEST", "CONFIRMED")
    assert (withdrawn.method, withdrawn.status) == ("CANCEL", "CANCELLED")
    assert withdrawn.uid == booked.uid
    assert withdrawn.sequence > booked.sequence
    assert (withdrawn.starts_at, withdrawn.ends_at) == (booked.starts_at, booked.ends_at)


def test_the_calendar_file_links_the_meeting_page_and_rings_an_hour_before(hidden):
    meeting = _meeting(hidden, "buyer")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    mail.outbox.clear()
    notify_meeting.call(meeting.pk, "confirmed")
    (letter,) = [m for m in mail.outbox if m.to == [hidden["supplier_member"].email]]
    (seen,) = agreed(_sent_calendar_part(letter)[1])
    assert seen.url.startswith("http") and seen.url.endswith(reverse("matchmaking:meeting-detail", args=[meeting.pk]))
    assert seen.alarms == 1


def test_a_downloaded_meeting_file_is_published_not_an_invitation(client, hidden):
    meeting = _meeting(hidden, "buyer")
    client.force_login(hidden["supplier_member"])
    response = client.get(reverse("matchmaking:meeting-ics", args=[meeting.pk]))
    (seen,) = agreed(response.content)
    assert (seen.method, seen.status) == ("PUBLISH", "TENTATIVE")
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    (seen,) = agreed(client.get(reverse("matchmaking:meeting-ics", args=[meeting.pk])).content)
    assert (seen.method, seen.status) == ("PUBLISH", "CANCELLED")


def test_the_organiser_is_the_portal_not_the_person_who_proposed(hidden, settings):
    meeting = _meeting(hidden, "buyer")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    mail.outbox.clear()
    notify_meeting.call(meeting.pk, "confirmed")
    for message in mail.outbox:
        for calendar in _calendars(message):
            assert str(calendar.walk("VEVENT")[0]["organizer"]) == f"mailto:{settings.DEFAULT_FROM_EMAIL}"


def test_the_suppliers_downloaded_calendar_file_does_not_name_the_buyer(client, hidden):
    meeting = _meeting(hidden, "buyer")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    url = reverse("matchmaking:meeting-ics", args=[meeting.pk])
    client.force_login(hidden["supplier_member"])
    response = client.get(url)
    assert response.status_code == 200
    assert _leaks(response.content.decode(), hidden["secrets"]) == []
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    attendees = event.get("attendee") or []
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert {str(a) for a in attendees} <= {f"mailto:{hidden['supplier_member'].email}"}

    client.force_login(hidden["buyer_member"])
    own = client.get(url).content.decode()
    assert "رازدار" in own or "Secretive" in own


# --- the one label ---------------------------------------------------------------------------
def test_the_buyer_label_names_the_buyer_only_to_its_members_and_the_staff_of_its_province(hidden):
    need = hidden["need"]
    tehran_staff = UserFactory(username="tehran-staff", is_staff=True)
    StaffProvince.objects.create(user=tehran_staff, province=province("tehran"))
    with translation.override("en"):
        assert need.public_buyer_label() == "a manufacturer in Qom"
        assert need.buyer_label_for(None) == "a manufacturer in Qom"
        assert need.buyer_label_for(hidden["supplier_member"]) == "a manufacturer in Qom"
        assert need.buyer_label_for(tehran_staff) == "a manufacturer in Qom"
        assert need.buyer_label_for(hidden["buyer_member"]) == "Secretive Industries"
        assert need.buyer_label_for(hidden["staff"]) == "Secretive Industries"


def test_labelling_a_list_of_needs_costs_two_queries_per_viewer(hidden, django_assert_max_num_queries):
    # The viewer's companies, and the needs whose buyer revealed itself to them.
    for _ in range(5):
        displayed_need(buyer=hidden["buyer"], is_anonymous=True)
    needs = list(type(hidden["need"]).objects.with_list_related())
    viewer = hidden["supplier_member"]
    with django_assert_max_num_queries(2):
        labels = {need.buyer_label_for(viewer) for need in needs}
    assert labels == {need.public_buyer_label() for need in needs}


def test_public_pages_and_the_api_still_show_a_manufacturer_in_its_province(client, hidden):
    need = hidden["need"]
    page = client.get(f"/en/needs/{need.pk}/").content.decode()
    assert "a manufacturer in Qom" in page and "Secretive" not in page
    buyer = client.get(f"/api/needs/{need.pk}/").json()["buyer"]
    assert buyer == {"anonymous": True, "name_fa": "یک واحد تولیدی در استان قم", "name_en": "a manufacturer in Qom"}


# --- who mediates ----------------------------------------------------------------------------
@pytest.mark.parametrize("event", ["declared", "withdrawn"])
def test_a_former_officer_of_the_province_hears_nothing_about_an_anonymous_needs_declaration(hidden, event):
    former = UserFactory(username="former-qom", email="former@qom.isipo.example", is_staff=False)
    StaffProvince.objects.create(user=former, province=province("qom"))  # left behind when is_staff went off
    mail.outbox.clear()
    notify_interest.call(hidden["interest"].pk, event)
    recipients = [m.to[0] for m in mail.outbox]
    assert hidden["staff"].email in recipients
    assert former.email not in recipients


@pytest.mark.parametrize("event", list(EVENTS))
def test_a_former_officer_of_the_province_hears_nothing_about_an_anonymous_needs_meeting(hidden, event):
    former = UserFactory(username="former-qom", email="former@qom.isipo.example", is_staff=False)
    StaffProvince.objects.create(user=former, province=province("qom"))
    meeting = _meeting(hidden, "staff")
    Meeting.objects.filter(pk=meeting.pk).update(status=EVENTS[event])
    mail.outbox.clear()
    notify_meeting.call(meeting.pk, event)
    recipients = [m.to[0] for m in mail.outbox]
    assert recipients
    assert former.email not in recipients


# --- issue 11, point 4: each letter in its reader's language -----------------------------------
@pytest.fixture
def bilingual():
    """A named buyer's need with a member who reads English and one who reads Persian; the
    supplier's member reads English, its colleague never chose (Persian)."""
    from accounts.services import language_set

    buyer = CompanyFactory(name_fa="صنایع پارس", name_en="Pars Industries", email="")
    interest = declaration(need=displayed_need(buyer=buyer, title="لنت ترمز", title_en="Brake pads"))
    people = {
        "buyer_en": member(buyer, "buyer-en", email="buyer-en@pars.example"),
        "buyer_fa": member(buyer, "buyer-fa", email="buyer-fa@pars.example"),
        "supplier_en": member(interest.supplier, "supplier-en", email="supplier-en@maker.example"),
        "supplier_unset": member(interest.supplier, "supplier-unset", email="supplier-unset@maker.example"),
    }
    language_set(user=people["buyer_en"], language="en")
    language_set(user=people["buyer_fa"], language="fa")
    language_set(user=people["supplier_en"], language="en")
    type(interest.supplier).objects.filter(pk=interest.supplier_id).update(email="")
    return {"interest": interest, **people}


def _to(user):
    (letter,) = [m for m in mail.outbox if m.to == [user.email]]
    return letter


def test_a_declaration_is_mailed_to_each_buyer_member_in_their_own_language(bilingual):
    notify_interest.call(bilingual["interest"].pk, "declared")

    english, persian = _to(bilingual["buyer_en"]), _to(bilingual["buyer_fa"])
    assert english.subject == "New readiness declaration for “Brake pads”"
    assert english.body.rstrip().endswith("Permanent domestic-manufacturing exhibitions")
    assert f"/en/account/declarations/{bilingual['interest'].pk}/" in english.body
    assert persian.subject == "اعلام آمادگی تازه برای «لنت ترمز»"
    assert persian.body.rstrip().endswith("نمایشگاه‌های دائمی ساخت داخل")
    assert "/en/" not in persian.body


def test_a_meeting_and_its_calendar_file_reach_each_reader_in_their_own_language(bilingual):
    meeting = meeting_propose(interest=bilingual["interest"], by=bilingual["buyer_fa"], mode="video", starts_at=slot())
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    mail.outbox.clear()
    notify_meeting.call(meeting.pk, "confirmed")

    for reader, summary, mode in [
        ("supplier_en", "B2B meeting: Brake pads", "Mode: "),
        ("buyer_en", "B2B meeting: Brake pads", "Mode: "),
        ("buyer_fa", "جلسه تجاری: لنت ترمز", "شیوه: "),
        ("supplier_unset", "جلسه تجاری: لنت ترمز", "شیوه: "),
    ]:
        letter = _to(bilingual[reader])
        assert letter.subject.startswith("Meeting confirmed for" if summary.startswith("B2B") else "جلسه ")
        (calendar,) = _calendars(letter)
        event_ = calendar.walk("VEVENT")[0]
        assert str(event_["summary"]) == summary, reader
        assert str(event_["description"]).splitlines()[2].startswith(mode), reader


@pytest.mark.parametrize("members", [1, 6])
def test_a_declarations_mail_costs_the_same_queries_for_one_reader_or_many(
    bilingual, django_assert_max_num_queries, members
):
    from accounts.services import language_set

    interest = bilingual["interest"]
    for n in range(members):
        language_set(user=member(interest.need.buyer, f"extra-{n}", email=f"extra-{n}@pars.example"), language="en")
    interest = type(interest).objects.select_related("need__buyer", "need__province", "supplier").get(pk=interest.pk)
    from matchmaking.notifications import interest_letters

    with django_assert_max_num_queries(3):
        letters = interest_letters(interest, "declared")
    assert len(letters) == members + 2


@pytest.mark.parametrize("members", [1, 6])
def test_a_meetings_mail_costs_the_same_queries_for_one_reader_or_many(
    bilingual, django_assert_max_num_queries, members
):
    from accounts.services import language_set

    interest = bilingual["interest"]
    for n in range(members):
        language_set(user=member(interest.supplier, f"extra-{n}", email=f"extra-{n}@maker.example"), language="en")
    meeting = meeting_propose(interest=interest, by=bilingual["buyer_fa"], mode="video", starts_at=slot())
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    meeting = Meeting.objects.select_related(
        "interest__need__province", "interest__need__buyer", "buyer", "supplier", "room__exhibition"
    ).get(pk=meeting.pk)
    from matchmaking.notifications import meeting_letters

    with django_assert_max_num_queries(3):
        letters = meeting_letters(meeting, "confirmed")
    assert len(letters) == members + 4
