"""Staff print an exhibition's day, in real headless Chromium: the grid of rooms by time
slots prints on A4 landscape, the door sheets one A4 page per room."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from matchmaking.models import Interest, Meeting
from tests.factories import (
    TEHRAN,
    CompanyFactory,
    ExhibitionFactory,
    MeetingRoomFactory,
    ShelfFactory,
    SupplierFactory,
    TourFactory,
    displayed_need,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECRET_NAME = "صنایع رازدار قم"
A4_SHORT, A4_LONG = 595, 842  # points


def login_cookie(browser, live_server, user):
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser.set_cookie(live_server.url, settings.SESSION_COOKIE_NAME, session)


def pages(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page of a PDF written by Chromium (page objects are
    plain dictionaries there; only content streams are compressed)."""
    sizes = []
    for match in re.finditer(rb"/Type\s*/Page\b(?!s)", pdf):
        start = pdf.rfind(b"obj", 0, match.start())
        end = pdf.find(b"endobj", match.end())
        box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf[start:end])
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        sizes.append((x1 - x0, y1 - y0))
    return sizes


def _day() -> datetime.date:
    day = datetime.date.today() + datetime.timedelta(days=9)
    return day if day.weekday() != 4 else day + datetime.timedelta(days=1)


def _meeting(shelf, room, starts, *, anonymous=False, status=Meeting.Status.CONFIRMED, minutes=30, buyer=None):
    buyer = buyer or CompanyFactory()
    need = displayed_need(buyer=buyer, shelf=shelf, is_anonymous=anonymous, title="قطعه ریخته‌گری")
    interest = Interest.objects.create(
        need=need, supplier=SupplierFactory(name_fa="تولیدی سپاهان"), annual_capacity=Decimal("10"),
        lead_time_days=10, status=Interest.Status.SHORTLISTED,
    )
    return Meeting.objects.create(
        interest=interest, buyer=buyer, supplier=interest.supplier, mode=Meeting.Mode.IN_PERSON, room=room,
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=minutes), status=status,
    )


def test_staff_print_the_days_grid_in_landscape_and_one_door_sheet_per_room(browser, live_server, qom_staff, tmp_path):
    day = _day()

    def at(hour, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), TEHRAN)

    exhibition = ExhibitionFactory(slug="qom-print", address_fa="قم، شهرک صنعتی شکوهیه")
    shelf = ShelfFactory(exhibition=exhibition, positions=50)
    rooms = [MeetingRoomFactory(exhibition=exhibition, name=f"اتاق جلسات {n}") for n in ("۱", "۲", "۳")]
    secret = CompanyFactory(name_fa=SECRET_NAME)
    _meeting(shelf, rooms[0], at(9), anonymous=True, minutes=60, buyer=secret)
    _meeting(shelf, rooms[0], at(11), status=Meeting.Status.PROPOSED)
    for hour in range(8, 16):
        _meeting(shelf, rooms[1], at(hour, 30))
    TourFactory(exhibition=exhibition, starts_at=at(10), ends_at=at(12), registration_deadline=at(8),
                title="تور قطعه‌سازان", meeting_point="ورودی اصلی")
    login_cookie(browser, live_server, qom_staff)
    base = f"{live_server.url}/staff/exhibitions/{exhibition.slug}/agenda/{day.isoformat()}/"

    browser.open(base)
    text = browser.text()
    assert all(room.name in text for room in rooms) and SECRET_NAME in text and "تور قطعه‌سازان" in text
    browser.screenshot(str(tmp_path / "grid.png"))
    grid = pages(browser.print_pdf(str(tmp_path / "grid.pdf")))
    assert grid and all((round(w), round(h)) == (A4_LONG, A4_SHORT) for w, h in grid)  # A4 landscape

    browser.click_and_wait("a[href$='/doors/']")
    assert browser.js("document.querySelectorAll('section.door-sheet').length") == 3
    text = browser.text()
    assert SECRET_NAME not in text and "تولیدی سپاهان" in text
    browser.screenshot(str(tmp_path / "doors.png"))
    doors = pages(browser.print_pdf(str(tmp_path / "doors.pdf")))
    assert len(doors) == len(rooms)  # one page per room, the busiest included
    assert all((round(w), round(h)) == (A4_SHORT, A4_LONG) for w, h in doors)  # A4 portrait
