"""The event-day agenda: the staff grid of rooms x slots for one exhibition and day, the door
sheets of its rooms, and each company's own agenda on /account/ and as one .ics file."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from core.formats import date as reader_date
from core.ics import event_uid
from matchmaking.agenda import company_agenda, exhibition_day_agenda
from matchmaking.models import Interest, Meeting
from tests.calendar_clients import agreed
from tests.factories import (
    TEHRAN,
    CompanyFactory,
    ExhibitionFactory,
    MeetingRoomFactory,
    ShelfFactory,
    SupplierFactory,
    TourFactory,
    displayed_need,
    member,
    province,
)
from tours.models import TourRegistration

pytestmark = pytest.mark.django_db


def _ahead(days: int) -> datetime.date:
    day = datetime.date.today() + datetime.timedelta(days=days)
    return day if day.weekday() != 4 else day + datetime.timedelta(days=1)  # exhibitions close on Fridays


DAY = _ahead(10)
SECRET_NAME = "صنایع رازدار قم"


def at(hour: int, minute: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), TEHRAN)


def meeting(shelf, *, room=None, starts, minutes=30, status=Meeting.Status.CONFIRMED, buyer=None, supplier=None,
            anonymous=False):
    """A live meeting between a fresh buyer and supplier (the database refuses a company or a
    room in two overlapping live meetings, so each gets its own pair unless given)."""
    buyer = buyer or CompanyFactory(province=shelf.exhibition.province)
    need = displayed_need(buyer=buyer, shelf=shelf, is_anonymous=anonymous)
    interest = Interest.objects.create(
        need=need, supplier=supplier or SupplierFactory(), annual_capacity=Decimal("10"), lead_time_days=10,
        status=Interest.Status.SHORTLISTED,
    )
    return Meeting.objects.create(
        interest=interest, buyer=buyer, supplier=interest.supplier,
        mode=Meeting.Mode.IN_PERSON if room else Meeting.Mode.VIDEO, room=room,
        video_url="" if room else f"https://meet.example/isipo-{need.pk}",
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=minutes), status=status,
    )


@pytest.fixture
def day():
    """A Qom exhibition open 08:00-16:00 with two rooms; on DAY: an hour-long confirmed
    meeting of an anonymous buyer in room A, a proposed one in room B, a video meeting, a
    cancelled meeting (not shown), a meeting the day after (not shown) and a tour."""
    exhibition = ExhibitionFactory(
        slug="qom-agenda", address_fa="قم، شهرک صنعتی شکوهیه، بلوار اصلی", address_en="Shokouhieh, Qom",
    )
    shelf = ShelfFactory(exhibition=exhibition, positions=500)
    room_a = MeetingRoomFactory(exhibition=exhibition, name="اتاق الف")
    room_b = MeetingRoomFactory(exhibition=exhibition, name="اتاق ب")
    secret = CompanyFactory(name_fa=SECRET_NAME, name_en="Secretive Industries")
    supplier = SupplierFactory(name_fa="تولیدی سپاهان", province=province("isfahan"))
    confirmed = meeting(shelf, room=room_a, starts=at(10), minutes=60, buyer=secret, supplier=supplier, anonymous=True)
    proposed = meeting(shelf, room=room_b, starts=at(10, 30), status=Meeting.Status.PROPOSED)
    video = meeting(shelf, starts=at(12), buyer=secret, supplier=supplier, anonymous=True)
    meeting(shelf, room=room_b, starts=at(14), status=Meeting.Status.CANCELLED)
    meeting(shelf, room=room_a, starts=at(10, day=DAY + datetime.timedelta(days=1)))
    tour = TourFactory(
        exhibition=exhibition, title="تور تأمین‌کنندگان", starts_at=at(9), ends_at=at(11),
        registration_deadline=at(9) - datetime.timedelta(days=2), meeting_point="ورودی اصلی سالن",
    )
    registration = TourRegistration.objects.create(tour=tour, company=supplier, attendees=2)
    return {
        "exhibition": exhibition, "shelf": shelf, "room_a": room_a, "room_b": room_b, "confirmed": confirmed,
        "proposed": proposed, "video": video, "tour": tour, "registration": registration,
        "supplier": supplier, "secret": secret,
    }


def _row(agenda, kind, room=None):
    return next(row for row in agenda.rows if row.kind == kind and (room is None or row.room == room))


def _busy(row):
    return [cell for cell in row.cells if cell.entries]


# --- the grid ------------------------------------------------------------------------------
def test_the_grid_has_a_row_per_room_and_the_slots_of_the_opening_hours(day, national_staff):
    agenda = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=national_staff)
    assert agenda.slot_minutes == 30
    assert [timezone.localtime(s).time() for s in (agenda.slots[0], agenda.slots[-1])] == [
        datetime.time(8, 0), datetime.time(15, 30)]
    assert len(agenda.slots) == 16
    assert [row.room for row in agenda.rows if row.kind == "room"] == [day["room_a"], day["room_b"]]
    for row in agenda.rows:
        assert sum(cell.span for cell in row.cells) == len(agenda.slots)


def test_a_meeting_spans_its_slots_and_says_whether_it_is_confirmed(day, national_staff):
    agenda = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=national_staff)
    (cell_a,) = _busy(_row(agenda, "room", day["room_a"]))
    assert (timezone.localtime(cell_a.starts_at).time(), cell_a.span) == (datetime.time(10, 0), 2)
    assert [(e.meeting, e.status) for e in cell_a.entries] == [(day["confirmed"], "confirmed")]
    (cell_b,) = _busy(_row(agenda, "room", day["room_b"]))  # the cancelled meeting is not there
    assert (timezone.localtime(cell_b.starts_at).time(), cell_b.span) == (datetime.time(10, 30), 1)
    assert [(e.meeting, e.status) for e in cell_b.entries] == [(day["proposed"], "proposed")]
    assert agenda.counts == {"confirmed": 1, "proposed": 1, "video": 1, "tours": 1}


def test_video_meetings_and_the_days_tours_have_their_own_rows(day, national_staff):
    agenda = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=national_staff)
    (video,) = _busy(_row(agenda, "video"))
    assert video.entries[0].meeting == day["video"]
    (tour,) = _busy(_row(agenda, "tours"))
    assert (timezone.localtime(tour.starts_at).time(), tour.span) == (datetime.time(9, 0), 4)
    assert tour.entries[0].tour == day["tour"] and tour.entries[0].place == "ورودی اصلی سالن"


def test_a_cancelled_tour_is_left_out(day, national_staff):
    day["tour"].status = day["tour"].Status.CANCELLED
    day["tour"].save()
    agenda = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=national_staff)
    assert not _busy(_row(agenda, "tours"))


def test_the_slots_shrink_to_fit_a_meeting_off_the_half_hour(day, national_staff):
    meeting(day["shelf"], room=day["room_b"], starts=at(13, 15), minutes=30)
    agenda = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=national_staff)
    assert agenda.slot_minutes == 15 and len(agenda.slots) == 32
    cell = next(c for c in _busy(_row(agenda, "room", day["room_a"])))
    assert cell.span == 4


def test_a_meeting_outside_the_opening_hours_widens_the_grid(day, national_staff):
    meeting(day["shelf"], room=day["room_b"], starts=at(16, 30))
    agenda = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=national_staff)
    assert timezone.localtime(agenda.slots[-1]).time() == datetime.time(16, 30)


def test_staff_of_the_province_see_the_anonymous_buyer_and_the_door_sees_the_public_label(
    day, qom_staff, tehran_staff
):
    agenda = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=qom_staff)
    (cell_a,) = _busy(_row(agenda, "room", day["room_a"]))
    assert cell_a.entries[0].buyer == SECRET_NAME
    door = next(sheet for sheet in agenda.door_sheets if sheet.room == day["room_a"])
    assert [entry.meeting for entry in door.entries] == [day["confirmed"]]
    assert door.entries[0].buyer == day["confirmed"].interest.need.public_buyer_label() != SECRET_NAME
    other = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=tehran_staff)
    assert SECRET_NAME not in {e.buyer for row in other.rows for c in row.cells for e in c.entries}


def test_every_room_gets_a_door_sheet_even_an_empty_one(day, national_staff):
    empty = MeetingRoomFactory(exhibition=day["exhibition"], name="اتاق پ")
    agenda = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=national_staff)
    assert [sheet.room for sheet in agenda.door_sheets] == [day["room_a"], day["room_b"], empty]
    assert agenda.door_sheets[-1].entries == []


def _grow(day, n: int):
    """n more rooms, each with two meetings, and n more tours on DAY."""
    for i in range(n):
        room = MeetingRoomFactory(exhibition=day["exhibition"])
        meeting(day["shelf"], room=room, starts=at(8), anonymous=True)
        meeting(day["shelf"], room=room, starts=at(9, 30), minutes=60, status=Meeting.Status.PROPOSED)
        meeting(day["shelf"], starts=at(13))
        TourFactory(exhibition=day["exhibition"], starts_at=at(13), ends_at=at(15),
                    registration_deadline=at(8) - datetime.timedelta(days=1))


def test_the_grid_costs_a_fixed_number_of_queries_whatever_the_day_holds(
    day, qom_staff, django_assert_num_queries
):
    def count():
        viewer = type(qom_staff).objects.get(pk=qom_staff.pk)  # nothing cached on the user
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            agenda = exhibition_day_agenda(exhibition=day["exhibition"], day=DAY, viewer=viewer)
            [e.buyer for row in agenda.rows for c in row.cells for e in c.entries]
            [e.buyer for sheet in agenda.door_sheets for e in sheet.entries]
        return len(queries)

    small = count()
    _grow(day, 4)
    assert count() == small


# --- the staff pages -----------------------------------------------------------------------
def _grid_url(day, on=DAY, doors=False):
    name = "matchmaking:exhibition-agenda-doors" if doors else "matchmaking:exhibition-agenda"
    return reverse(name, args=[day["exhibition"].slug, on.isoformat()])


def test_staff_of_the_province_open_the_grid_with_jalali_dates_and_the_next_and_previous_days(day, client, qom_staff):
    client.force_login(qom_staff)
    response = client.get(_grid_url(day))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("fa"):
        assert reader_date(DAY) in html  # Jalali, in Persian digits
    assert SECRET_NAME in html and "اتاق الف" in html and "ورودی اصلی سالن" in html
    assert _grid_url(day, DAY - datetime.timedelta(days=1)) in html
    assert _grid_url(day, DAY + datetime.timedelta(days=1)) in html
    assert _grid_url(day, doors=True) in html
    assert "agenda.css" in html and "<style" not in html and " style=" not in html
    assert day["video"].video_url not in html  # only the two companies get the link


def test_the_door_sheets_show_each_room_with_the_public_label(day, client, qom_staff):
    client.force_login(qom_staff)
    html = client.get(_grid_url(day, doors=True)).content.decode()
    assert html.count("<section class=\"door-sheet") == 2
    assert SECRET_NAME not in html
    assert day["confirmed"].interest.need.public_buyer_label() in html
    assert "تولیدی سپاهان" in html


def test_the_grid_in_english_shows_gregorian_dates(day, client, national_staff):
    client.force_login(national_staff)
    html = client.get("/en" + _grid_url(day)).content.decode()
    assert DAY.strftime("%-d %B %Y") in html


def test_staff_of_another_province_get_404(day, client, tehran_staff):
    client.force_login(tehran_staff)
    assert client.get(_grid_url(day)).status_code == 404
    assert client.get(_grid_url(day, doors=True)).status_code == 404


def test_national_staff_open_any_province(day, client, national_staff):
    client.force_login(national_staff)
    assert client.get(_grid_url(day)).status_code == 200


def test_a_company_member_is_sent_to_the_staff_sign_in(day, client):
    client.force_login(member(day["supplier"], "sepahan"))
    response = client.get(_grid_url(day))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_day_that_is_no_date_is_404(day, client, qom_staff):
    client.force_login(qom_staff)
    assert client.get(f"/staff/exhibitions/{day['exhibition'].slug}/agenda/2026-02-31/").status_code == 404


def test_the_picker_takes_a_jalali_date_and_goes_to_that_day(day, client, qom_staff):
    client.force_login(qom_staff)
    url = reverse("matchmaking:exhibition-agenda-pick", args=[day["exhibition"].slug])
    from core.widgets import jalali_date_text

    response = client.get(url, {"day": jalali_date_text(DAY)})
    assert response.status_code == 302 and response["Location"] == _grid_url(day)


def test_the_exhibition_change_page_links_to_its_agenda(day, client, qom_staff):
    client.force_login(qom_staff)
    html = client.get(reverse("admin:exhibitions_exhibition_change", args=[day["exhibition"].pk])).content.decode()
    assert reverse("matchmaking:exhibition-agenda-pick", args=[day["exhibition"].slug]) in html


@pytest.mark.parametrize("doors", [False, True])
def test_the_staff_pages_cost_a_fixed_number_of_queries(day, client, qom_staff, doors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(qom_staff)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_grid_url(day, doors=doors)).status_code == 200
        return len(queries)

    small = count()
    _grow(day, 4)
    assert count() == small


# --- a company's own agenda ----------------------------------------------------------------
def test_a_companys_agenda_lists_its_coming_meetings_and_tours_in_time_order(day):
    viewer = member(day["supplier"], "sepahan")
    past = meeting(day["shelf"], room=day["room_a"], starts=timezone.now() - datetime.timedelta(days=1),
                   supplier=day["supplier"])
    with translation.override("fa"):
        items = company_agenda(company=day["supplier"], viewer=viewer, since=timezone.now())
    assert [(item.kind, item.starts_at) for item in items] == [
        ("tour", at(9)), ("meeting", at(10)), ("meeting", at(12))]
    assert past not in [item.meeting for item in items]
    tour, in_person, video = items
    assert tour.place == "ورودی اصلی سالن" and tour.address == "قم، شهرک صنعتی شکوهیه، بلوار اصلی"
    assert in_person.room == day["room_a"] and in_person.address == "قم، شهرک صنعتی شکوهیه، بلوار اصلی"
    assert video.video_url == day["video"].video_url
    assert SECRET_NAME not in {item.counterpart for item in items}


def test_the_buyer_sees_its_own_name_hidden_from_no_one_and_the_supplier_by_name(day):
    viewer = member(day["secret"], "razdar")
    items = company_agenda(company=day["secret"], viewer=viewer, since=timezone.now())
    assert [item.counterpart for item in items] == ["تولیدی سپاهان", "تولیدی سپاهان"]


def test_the_account_page_shows_the_agenda_with_address_and_video_link(day, client):
    client.force_login(member(day["supplier"], "sepahan"))
    html = client.get("/account/").content.decode()
    assert 'id="agenda-h"' in html
    assert "قم، شهرک صنعتی شکوهیه، بلوار اصلی" in html and day["video"].video_url in html
    assert reverse("matchmaking:account-agenda-ics") in html
    assert SECRET_NAME not in html


def test_the_agenda_file_holds_the_coming_meetings_and_tours_for_every_calendar_client(day, client):
    client.force_login(member(day["supplier"], "sepahan"))
    response = client.get(reverse("matchmaking:account-agenda-ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    assert "attachment" in response["Content-Disposition"]
    uids = {event.uid for event in agreed(response.content)}
    assert uids == {
        event_uid("meeting", day["confirmed"].pk), event_uid("meeting", day["video"].pk),
        event_uid("tour-registration", day["registration"].pk),
    }
    calendar = Calendar.from_ical(response.content)
    text = response.content.decode()
    assert SECRET_NAME not in text and "Secretive" not in text
    locations = [str(e.get("location")) for e in calendar.walk("VEVENT")]
    assert any("شکوهیه" in location for location in locations)


def test_the_agenda_file_needs_a_company(client, qom_staff):
    client.force_login(qom_staff)
    assert client.get(reverse("matchmaking:account-agenda-ics")).status_code == 404


def test_the_company_agenda_costs_a_fixed_number_of_queries(day, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member(day["supplier"], "sepahan"))

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = ["/account/", reverse("matchmaking:account-agenda-ics")]
    small = [count(url) for url in urls]
    for i in range(4):
        room = MeetingRoomFactory(exhibition=day["exhibition"])
        meeting(day["shelf"], room=room, starts=at(8 + i * 2, day=DAY + datetime.timedelta(days=2)),
                supplier=day["supplier"], anonymous=True)
        TourRegistration.objects.create(
            tour=TourFactory(exhibition=day["exhibition"], starts_at=at(13, day=DAY + datetime.timedelta(days=i + 3)),
                             ends_at=at(15, day=DAY + datetime.timedelta(days=i + 3)),
                             registration_deadline=at(8)),
            company=day["supplier"],
        )
    assert [count(url) for url in urls] == small
