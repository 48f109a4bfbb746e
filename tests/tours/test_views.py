"""The tour pages as people use them: browse, register, cancel, organise, roster, check in."""

import datetime

import jdatetime
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from companies.selectors import company_for_user
from tests.factories import (
    ExhibitionFactory,
    SupplierFactory,
    TourFactory,
    displayed_need,
    province,
    sector,
)
from tours.models import Tour, TourRegistration
from tours.services import tour_register

pytestmark = pytest.mark.django_db


def test_tour_list_shows_upcoming_tours_with_seats_left_and_filters_by_province(client):
    qom = TourFactory(exhibition=ExhibitionFactory(province=province("qom")), title="تور قم", capacity=12)
    TourFactory(exhibition=ExhibitionFactory(province=province("tehran")), title="تور تهران")
    past = TourFactory(title="تور گذشته")
    Tour.objects.filter(pk=past.pk).update(starts_at=timezone.now() - datetime.timedelta(days=2),
                                           ends_at=timezone.now() - datetime.timedelta(days=2, hours=-1),
                                           registration_deadline=timezone.now() - datetime.timedelta(days=3))
    tour_register(tour=qom, company=SupplierFactory(), attendees=3)
    page = client.get(reverse("tours:list")).content.decode()
    assert "تور قم" in page and "تور تهران" in page and "تور گذشته" not in page
    assert "۹ صندلی خالی از ۱۲" in page
    filtered = client.get(reverse("tours:list"), {"province": "qom"}).content.decode()
    assert "تور قم" in filtered and "تور تهران" not in filtered


def test_tour_list_filters_by_jalali_date_and_sector_and_survives_a_bad_date(client):
    tour = TourFactory(title="تور نساجی")
    tour.sectors.set([sector("textile")])
    TourFactory(title="تور دیگر")
    day = jdatetime.date.fromgregorian(date=timezone.localtime(tour.starts_at).date())
    jalali = day.strftime("%Y/%m/%d").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    page = client.get(reverse("tours:list"), {"date_from": jalali, "date_to": jalali, "sector": "textile"})
    assert "تور نساجی" in page.content.decode() and "تور دیگر" not in page.content.decode()
    bad = client.get(reverse("tours:list"), {"date_from": "1404/13/40", "sector": "textile"})
    assert bad.status_code == 200
    assert "تور نساجی" in bad.content.decode() and "تور دیگر" not in bad.content.decode()


def test_tour_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        TourFactory().sectors.set([sector("metal"), sector("food")])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("tours:list"))
    for _ in range(15):
        TourFactory().sectors.set([sector("metal")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("tours:list"))


def test_tour_page_lists_the_needs_on_display_in_its_sectors(client):
    need = displayed_need(title="بلبرینگ چرخ", sector=sector("auto-parts"))
    other = displayed_need(shelf=need.shelf, title="پارچه", sector=sector("textile"))
    tour = TourFactory(exhibition=need.exhibition)
    tour.sectors.set([sector("auto-parts")])
    page = client.get(reverse("tours:detail", args=[tour.pk])).content.decode()
    assert "بلبرینگ چرخ" in page and other.title not in page


def test_a_supplier_registers_edits_and_cancels_from_the_tour_page(client, supplier_user):
    tour = TourFactory(capacity=10)
    client.force_login(supplier_user)
    url = reverse("tours:register", args=[tour.pk])
    response = client.post(url, {"attendees": "۲", "attendee_names": "علی رضایی\nمریم احمدی"}, follow=True)
    registration = TourRegistration.objects.get(tour=tour)
    assert (registration.status, registration.attendees) == ("confirmed", 2)
    assert "ثبت‌نام شما قطعی شد" in response.content.decode()
    client.post(url, {"attendees": "3", "attendee_names": "علی رضایی"})
    registration.refresh_from_db()
    assert registration.attendees == 3
    client.post(reverse("tours:registration-cancel", args=[tour.pk]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_bad_input_keeps_what_was_typed_and_says_why(client, supplier_user):
    tour = TourFactory(capacity=2)
    client.force_login(supplier_user)
    response = client.post(
        reverse("tours:register", args=[tour.pk]), {"attendees": "5", "attendee_names": "نام اول"}
    )
    assert response.status_code == 400
    assert "نام اول" in response.content.decode()
    assert not TourRegistration.objects.exists()


def test_a_buyer_cannot_register(client, buyer_user):
    tour = TourFactory()
    client.force_login(buyer_user)
    response = client.post(reverse("tours:register", args=[tour.pk]), {"attendees": 1})
    assert response.status_code == 400
    assert not TourRegistration.objects.exists()


def test_the_registration_offers_an_ics_file_in_tehran_time(client, supplier_user):
    tour = TourFactory()
    tour_register(tour=tour, company=company_for_user(supplier_user), attendees=1)
    client.force_login(supplier_user)
    response = client.get(reverse("tours:registration-ics", args=[tour.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VTIMEZONE" in body and "TZID:Asia/Tehran" in body
    local = timezone.localtime(tour.starts_at)
    assert f"DTSTART;TZID=Asia/Tehran:{local:%Y%m%dT%H%M%S}" in body


# --- organisers ---------------------------------------------------------------------------------
def test_an_organiser_schedules_a_month_of_weekly_tours_at_qom(client, organiser_user):
    qom = ExhibitionFactory(province=province("qom"), visitor_capacity=40)
    first = timezone.localdate() + datetime.timedelta(days=5)
    jalali = jdatetime.date.fromgregorian(date=first).strftime("%Y/%m/%d")
    client.force_login(organiser_user)
    response = client.post(reverse("tours:create"), {
        "exhibition": qom.pk, "title": "تور هفتگی قطعه‌سازان", "organiser_name": "اتاق بازرگانی قم",
        "date": jalali, "start_time": "۱۰:۰۰", "end_time": "12:00", "capacity": "15", "deadline_hours": "24",
        "weeks": "4", "sectors": [sector("auto-parts").pk], "meeting_point": "ورودی اصلی", "language": "fa",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    tours = list(Tour.objects.filter(exhibition=qom).order_by("starts_at"))
    assert len(tours) == 4
    assert [timezone.localtime(t.starts_at).date() for t in tours] == [first + datetime.timedelta(weeks=w) for w in range(4)]
    assert all(timezone.localtime(t.starts_at).hour == 10 for t in tours)


def test_scheduling_outside_opening_hours_is_refused_with_a_clear_message(client, organiser_user):
    hall = ExhibitionFactory()
    client.force_login(organiser_user)
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = client.post(reverse("tours:create"), {
        "exhibition": hall.pk, "title": "تور عصر", "date": day, "start_time": "15:00", "end_time": "18:00",
        "capacity": 10, "deadline_hours": 24, "weeks": 1, "meeting_point": "ورودی", "language": "fa",
    })
    assert response.status_code == 400
    assert "ساعات کار نمایشگاه" in response.content.decode()
    assert not Tour.objects.exists()


def test_non_organisers_cannot_schedule_or_see_rosters(client, supplier_user):
    tour = TourFactory()
    client.force_login(supplier_user)
    assert client.get(reverse("tours:create")).status_code == 403
    assert client.get(reverse("tours:roster", args=[tour.pk])).status_code == 404
    assert client.get(reverse("tours:roster-csv", args=[tour.pk])).status_code == 404


def test_the_roster_prints_and_exports_csv_and_checks_people_in(client, organiser_user):
    tour = TourFactory(organiser=organiser_user, capacity=3)
    a = tour_register(tour=tour, company=SupplierFactory(name_fa="ریخته‌گری البرز"), attendees=2,
                      attendee_names="رضا\nسارا")
    tour_register(tour=tour, company=SupplierFactory(name_fa="پلاستیک پارس"), attendees=2)
    client.force_login(organiser_user)
    page = client.get(reverse("tours:roster", args=[tour.pk])).content.decode()
    assert "ریخته‌گری البرز" in page and "پلاستیک پارس" in page
    csv_text = client.get(reverse("tours:roster-csv", args=[tour.pk])).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert len(lines) == 3 and "ریخته‌گری البرز" in lines[1] and "رضا; سارا" in lines[1]
    Tour.objects.filter(pk=tour.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=1), ends_at=timezone.now() + datetime.timedelta(hours=1),
        registration_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    client.post(reverse("tours:attendance", args=[tour.pk, a.pk]), {"attended": "۲"})
    a.refresh_from_db()
    assert a.attended == 2
    assert Tour.objects.get(pk=tour.pk).status == "held"


def test_an_organiser_cancels_a_tour_and_cannot_touch_others_tours(client, organiser_user):
    mine = TourFactory(organiser=organiser_user)
    theirs = TourFactory()
    client.force_login(organiser_user)
    assert client.get(reverse("tours:cancel", args=[theirs.pk])).status_code == 404
    client.post(reverse("tours:cancel", args=[mine.pk]), {"reason": "تعطیلی"})
    assert Tour.objects.get(pk=mine.pk).status == "cancelled"
    assert Tour.objects.get(pk=theirs.pk).status == "scheduled"


def test_pages_render_in_english(client, organiser_user):
    tour = TourFactory(organiser=organiser_user)
    client.force_login(organiser_user)
    for name, args in [("list", []), ("detail", [tour.pk]), ("create", []), ("organise", []),
                       ("roster", [tour.pk]), ("cancel", [tour.pk])]:
        with translation.override("en"):
            url = reverse(f"tours:{name}", args=args)
        assert url.startswith("/en/")
        response = client.get(url)
        assert response.status_code == 200, name
        assert 'lang="en"' in response.content.decode()


def test_rule_messages_use_persian_digits_in_persian(client, supplier_user):
    tour = TourFactory(capacity=4)
    client.force_login(supplier_user)
    with translation.override("fa"):
        url = reverse("tours:register", args=[tour.pk])
    response = client.post(url, {"attendees": "۹"})
    assert "این تور در مجموع ۴ صندلی دارد؛ گروهی ۹ نفره" in response.content.decode()


def test_a_signed_in_user_who_may_not_register_reads_the_policys_own_reason(client, buyer_user):
    """The page shows the sentence companies.policies.ensure_may_supply refuses with, not a copy."""
    tour = TourFactory()
    client.force_login(buyer_user)
    with translation.override("en"):
        page = client.get(reverse("tours:detail", args=[tour.pk])).content.decode()
    assert "Only companies registered as domestic suppliers can do this." in page
    assert "<form method=\"post\" action=\"/en/tours/" not in page
