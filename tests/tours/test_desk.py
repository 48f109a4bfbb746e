"""The organiser's desk: registrations, the waiting list, check-ins and no-shows, a search by
company name, messages to every registrant; and the no-show figures of a tour series."""

import datetime
import re
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.services import language_set
from tests.factories import (
    ExhibitionFactory,
    SupplierFactory,
    TourFactory,
    member,
    province,
)
from tours.models import Tour, TourMessage, TourRegistration
from tours.services import (
    attendance_mark,
    registration_cancel,
    tour_message_send,
    tour_register,
)
from tours.tasks import send_tour_message

pytestmark = pytest.mark.django_db


def qom_tour(**kwargs) -> Tour:
    return TourFactory(exhibition=ExhibitionFactory(province=province("qom")), **kwargs)


def move(tour: Tour, *, hours_ago: float) -> Tour:
    """Start the tour `hours_ago` hours ago (two hours long); its registration has closed."""
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    Tour.objects.filter(pk=tour.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2),
        registration_deadline=start - datetime.timedelta(hours=1),
    )
    tour.refresh_from_db()
    return tour


def section(page: str, anchor: str) -> str:
    match = re.search(rf'<section[^>]*id="{anchor}".*?</section>', page, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def ended_tour():
    """A Qom tour that ended an hour ago: one company came, one did not, one waited, one cancelled."""
    tour = qom_tour(capacity=4, title="تور قطعات قم")
    came = tour_register(tour=tour, company=SupplierFactory(name_fa="ریخته‌گری البرز"), attendees=2)
    absent = tour_register(tour=tour, company=SupplierFactory(name_fa="پلاستیک پارس"), attendees=2)
    tour_register(tour=tour, company=SupplierFactory(name_fa="کیمیا صنعت"), attendees=3)
    gone = tour_register(tour=tour, company=SupplierFactory(name_fa="فولاد رفته"), attendees=3)
    registration_cancel(registration=gone)
    move(tour, hours_ago=1.5)
    attendance_mark(registration=came, attended=2)
    move(tour, hours_ago=3)
    return {"tour": tour, "came": came, "absent": absent}


def test_the_desk_shows_confirmed_waiting_checked_in_and_no_shows_with_counts(client, qom_staff, ended_tour):
    client.force_login(qom_staff)
    page = client.get(reverse("tours:roster", args=[ended_tour["tour"].pk])).content.decode()

    assert "ریخته‌گری البرز" in section(page, "confirmed") and "پلاستیک پارس" in section(page, "confirmed")
    assert "کیمیا صنعت" in section(page, "waiting") and "کیمیا صنعت" not in section(page, "confirmed")
    assert "ریخته‌گری البرز" in section(page, "checked-in") and "پلاستیک پارس" not in section(page, "checked-in")
    assert "پلاستیک پارس" in section(page, "no-shows") and "ریخته‌گری البرز" not in section(page, "no-shows")
    assert "فولاد رفته" in section(page, "cancelled")
    tabs = re.search(r'<nav class="desk-tabs.*?</nav>', page, re.S).group(0)
    badges = re.findall(r'href="#([a-z-]+)">[^<]*<span class="count-badge">([^<]+)</span>', tabs)
    assert dict(badges) == {"confirmed": "۲", "waiting": "۱", "checked-in": "۱", "no-shows": "۱", "cancelled": "۱",
                            "messages": "۰"}


def test_no_shows_appear_only_once_the_tour_has_ended(client, qom_staff):
    tour = qom_tour()
    tour_register(tour=tour, company=SupplierFactory(name_fa="پلاستیک پارس"), attendees=1)
    move(tour, hours_ago=0.5)
    client.force_login(qom_staff)
    page = client.get(reverse("tours:roster", args=[tour.pk])).content.decode()
    assert section(page, "no-shows") == "" and "پلاستیک پارس" in section(page, "confirmed")


def test_the_desk_searches_company_names_as_persian_is_typed(client, qom_staff, ended_tour):
    client.force_login(qom_staff)
    url = reverse("tours:roster", args=[ended_tour["tour"].pk])
    # Arabic yeh and kaf, as an Arabic keyboard types them, and a space for the joiner.
    page = client.get(url, {"q": "كيميا"}).content.decode()
    assert "کیمیا صنعت" in section(page, "waiting")
    assert "ریخته‌گری البرز" not in page.split('id="search-note"')[1]
    page = client.get(url, {"q": "ريخته گري"}).content.decode()
    assert "ریخته‌گری البرز" in section(page, "confirmed") and "پلاستیک پارس" not in section(page, "confirmed")


def test_the_desk_runs_a_fixed_number_of_queries(client, qom_staff):
    tour = qom_tour(capacity=200)
    tour_register(tour=tour, company=SupplierFactory(), attendees=1)
    client.force_login(qom_staff)
    url = reverse("tours:roster", args=[tour.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "صنعت"})
    for n in range(25):
        tour_register(tour=tour, company=SupplierFactory(), attendees=1 + n % 3)
    tour_send(tour, qom_staff)
    tour_send(tour, qom_staff)
    move(tour, hours_ago=3)
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"q": "صنعت"})
    assert len(many.captured_queries) == len(few.captured_queries)


def tour_send(tour, by, audience="all", token=None):
    return tour_message_send(tour=tour, by=by, audience=audience, subject="جابجایی محل", body="متن", token=token or uuid.uuid4())


def test_an_organiser_messages_every_registrant_once_per_form(client, qom_staff, django_capture_on_commit_callbacks):
    tour = qom_tour(capacity=1, language=Tour.Language.PERSIAN)
    confirmed = SupplierFactory(email="office@alborz.example")
    english = member(confirmed, "alborz-sales", email="sales@alborz.example")
    language_set(user=english, language="en")
    tour_register(tour=tour, company=confirmed, attendees=1)
    waiting = SupplierFactory(email="office@pars.example")
    tour_register(tour=tour, company=waiting, attendees=1)
    cancelled = SupplierFactory(email="office@gone.example")
    registration_cancel(registration=tour_register(tour=tour, company=cancelled, attendees=1))
    mail.outbox.clear()
    client.force_login(qom_staff)
    page = client.get(reverse("tours:roster", args=[tour.pk])).content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', page).group(1)
    form = {"audience": "all", "subject": "تغيير محل ديدار", "body": "ورودی شمالی\nساعت ۹", "token": token}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("tours:message", args=[tour.pk]), form)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("tours:message", args=[tour.pk]), form, follow=True)

    assert first.status_code == 302 and TourMessage.objects.count() == 1
    message = TourMessage.objects.get()
    assert message.subject == "تغییر محل دیدار"  # stored with Persian yeh and kaf
    assert "قبلاً فرستاده شده" in again.content.decode() or "already sent" in again.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "office@alborz.example", "office@pars.example", "sales@alborz.example",
    ]
    for letter in mail.outbox:
        assert len(letter.to) == 1 and "ورودی شمالی" in letter.body and letter.subject.startswith("تغییر محل دیدار")
    english_letter = next(m for m in mail.outbox if m.to == ["sales@alborz.example"])
    assert english_letter.body.startswith("Hello,") and "A message from the organiser" in english_letter.body
    persian_letter = next(m for m in mail.outbox if m.to == ["office@pars.example"])
    assert not persian_letter.body.startswith("Hello,")
    message.refresh_from_db()
    assert message.recipients == 3
    sent = client.get(reverse("tours:roster", args=[tour.pk])).content.decode()
    assert "تغییر محل دیدار" in section(sent, "messages")


def test_a_message_reaches_only_its_audience_and_a_task_run_twice_sends_once(qom_staff):
    tour = qom_tour(capacity=1)
    tour_register(tour=tour, company=SupplierFactory(email="in@example.com"), attendees=1)
    tour_register(tour=tour, company=SupplierFactory(email="waiting@example.com"), attendees=1)
    message, created = tour_send(tour, qom_staff, audience="waitlisted")
    mail.outbox.clear()
    assert created and send_tour_message.call(message.pk) == 1
    assert send_tour_message.call(message.pk) == 0
    assert [m.to for m in mail.outbox] == [["waiting@example.com"]]


def test_only_those_who_manage_the_tour_message_its_registrants(client, tehran_staff, organiser_user, supplier_user):
    tour = qom_tour()
    for outsider in (tehran_staff, organiser_user, supplier_user):
        client.force_login(outsider)
        response = client.post(reverse("tours:message", args=[tour.pk]),
                               {"audience": "all", "subject": "x", "body": "y", "token": str(uuid.uuid4())})
        assert response.status_code == 404
    assert not TourMessage.objects.exists()
    with pytest.raises(PermissionDenied):
        tour_send(tour, tehran_staff)


def test_an_empty_message_comes_back_with_its_errors(client, qom_staff):
    tour = qom_tour()
    client.force_login(qom_staff)
    response = client.post(reverse("tours:message", args=[tour.pk]),
                           {"audience": "all", "subject": "", "body": "", "token": str(uuid.uuid4())})
    assert response.status_code == 400 and not TourMessage.objects.exists()


# --- the series ---------------------------------------------------------------------------
def series_of(n: int, *, registrations: int = 2):
    """`n` weekly Qom tours of one series, all but the last ended; the first company of each
    ended tour came (2 of its 2 seats), the others did not."""
    series = uuid.uuid4()
    exhibition = ExhibitionFactory(province=province("qom"))
    tours = []
    for week in range(n):
        tour = TourFactory(exhibition=exhibition, series=series, capacity=50, title="تور هفتگی")
        regs = [tour_register(tour=tour, company=SupplierFactory(), attendees=2) for _ in range(registrations)]
        if week < n - 1:
            move(tour, hours_ago=24 * 7 * (n - week))
            Tour.objects.filter(pk=tour.pk).update(ends_at=timezone.now() - datetime.timedelta(days=7 * (n - week) - 1))
            TourRegistration.objects.filter(pk=regs[0].pk).update(attended=2, checked_in_at=timezone.now())
        tours.append(tour)
    return series, tours


def test_the_series_page_shows_no_shows_per_tour_and_in_total(client, qom_staff):
    series, tours = series_of(3)
    client.force_login(qom_staff)
    page = client.get(reverse("tours:series", args=[series])).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1].split("</tbody>")[0], re.S)
    cells = [re.findall(r'<td class="num">(.*?)</td>', row) for row in rows]
    assert cells[0][:3] == ["۴", "۲", "۲"] and cells[0][4] in ("۵۰%", "۵۰٪")
    assert cells[2][1:3] == ["–", "–"]  # still ahead: not counted
    foot = page.split("<tfoot>")[1]
    assert re.findall(r'<td class="num">(.*?)</td>', foot)[:3] == ["۸", "۴", "۴"]
    desk = client.get(reverse("tours:roster", args=[tours[0].pk])).content.decode()
    assert reverse("tours:series", args=[series]) in desk


def test_the_series_page_is_only_for_those_who_manage_it(client, tehran_staff, supplier_user):
    series, _tours = series_of(2)
    for outsider in (tehran_staff, supplier_user):
        client.force_login(outsider)
        assert client.get(reverse("tours:series", args=[series])).status_code == 404
    client.force_login(tehran_staff)
    assert client.get(reverse("tours:series", args=[uuid.uuid4()])).status_code == 404


def test_the_series_page_runs_a_fixed_number_of_queries(client, qom_staff):
    small, _ = series_of(2, registrations=1)
    large, _ = series_of(6, registrations=4)
    client.force_login(qom_staff)
    client.get(reverse("tours:series", args=[small]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tours:series", args=[small]))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("tours:series", args=[large]))
    assert len(many.captured_queries) == len(few.captured_queries)
