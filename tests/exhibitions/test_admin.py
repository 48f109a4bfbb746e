"""The exhibition and shelf admin refuse a change that would break a rule of the needs or
tours that depend on them (the rules those apps register in exhibitions.models' checks)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from exhibitions.models import Exhibition, IndustrialTown, MeetingRoom
from tests.factories import (
    ExhibitionFactory,
    NeedFactory,
    TourFactory,
    displayed_need,
    next_week_at,
    province,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def change_url(exhibition):
    with translation.override("en"):  # the English admin, so the reasons can be read
        return reverse("admin:exhibitions_exhibition_change", args=[exhibition.pk])


def shelf_change_url(shelf):
    with translation.override("en"):
        return reverse("admin:exhibitions_shelf_change", args=[shelf.pk])


def exhibition_post(exhibition, **overrides) -> dict:
    """The exhibition's change form as posted, its shelves listed in the inline unchanged;
    `overrides` are what staff typed (a shelf's positions as shelf_<pk>_positions)."""
    shelves = list(exhibition.shelves.order_by("code"))
    data = {
        "title_fa": exhibition.title_fa, "title_en": exhibition.title_en, "slug": exhibition.slug,
        "province": exhibition.province_id, "town": exhibition.town_id, "status": exhibition.status,
        "opened_on": exhibition.opened_on.isoformat() if exhibition.opened_on else "",
        "venue_fa": exhibition.venue_fa, "venue_en": "", "address_fa": "", "address_en": "",
        "opening_hours_fa": "", "opening_hours_en": "", "phone": "",
        "opens_at": exhibition.opens_at.strftime("%H:%M"), "closes_at": exhibition.closes_at.strftime("%H:%M"),
        "visitor_capacity": str(exhibition.visitor_capacity),
        "shelves-TOTAL_FORMS": str(len(shelves)), "shelves-INITIAL_FORMS": str(len(shelves)),
        "shelves-MIN_NUM_FORMS": "0", "shelves-MAX_NUM_FORMS": "1000",
        "meeting_rooms-TOTAL_FORMS": "0", "meeting_rooms-INITIAL_FORMS": "0",
        "meeting_rooms-MIN_NUM_FORMS": "0", "meeting_rooms-MAX_NUM_FORMS": "1000",
    }
    for index, shelf in enumerate(shelves):
        data.update({
            f"shelves-{index}-id": shelf.pk, f"shelves-{index}-exhibition": exhibition.pk,
            f"shelves-{index}-code": shelf.code, f"shelves-{index}-description": shelf.description,
            f"shelves-{index}-positions": str(overrides.pop(f"shelf_{shelf.pk}_positions", shelf.positions)),
        })
    data.update(overrides)
    return data


def form_errors(response) -> dict:
    assert response.status_code == 200, "the change was saved"
    return response.context["adminform"].form.errors


def stored(exhibition) -> Exhibition:
    return Exhibition.objects.get(pk=exhibition.pk)


# --- the needs shown in the exhibition --------------------------------------------------------
def test_closing_an_exhibition_with_a_need_on_display_is_refused_and_nothing_is_saved(staff_client):
    need = displayed_need(province=province("qom"))
    exhibition = need.exhibition
    response = staff_client.post(change_url(exhibition), exhibition_post(exhibition, status="closed", phone="025-1"))
    assert "status" in form_errors(response)
    assert (stored(exhibition).status, stored(exhibition).phone) == ("open", "")
    need.refresh_from_db()
    assert need.status == "on_display"


def test_an_exhibition_whose_needs_are_withdrawn_can_close(staff_client):
    exhibition = ExhibitionFactory(province=province("qom"))
    NeedFactory(buyer__province=province("qom"), exhibition=exhibition, status="withdrawn")
    response = staff_client.post(change_url(exhibition), exhibition_post(exhibition, status="closed"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert stored(exhibition).status == "closed"


def test_moving_an_exhibition_with_needs_to_another_province_is_refused(superuser_client):
    need = displayed_need(province=province("qom"))
    exhibition = need.exhibition
    tehran = province("tehran")
    response = superuser_client.post(change_url(exhibition), exhibition_post(
        exhibition, province=tehran.pk, town=IndustrialTown.objects.filter(province=tehran).first().pk,
    ))
    assert "province" in form_errors(response)
    assert stored(exhibition).province.slug == "qom"


# --- the tours scheduled there ----------------------------------------------------------------
@pytest.fixture
def toured():
    """An open Qom exhibition (08:00-16:00, 60 visitors) with two scheduled tours next week,
    10:00-12:00 and 11:00-13:00, of 10 seats each: 20 visitors in the hall from 11 to 12."""
    exhibition = ExhibitionFactory(province=province("qom"))
    TourFactory(exhibition=exhibition, starts_at=next_week_at(10))
    TourFactory(exhibition=exhibition, starts_at=next_week_at(11))
    return exhibition


def test_shrinking_the_capacity_below_the_scheduled_tours_is_refused(staff_client, toured):
    response = staff_client.post(change_url(toured), exhibition_post(toured, visitor_capacity="15"))
    errors = form_errors(response)
    assert "visitor_capacity" in errors and "only 5 seats are free" in " ".join(errors["visitor_capacity"])
    assert stored(toured).visitor_capacity == 60


def test_the_capacity_may_shrink_to_what_the_tours_need(staff_client, toured):
    response = staff_client.post(change_url(toured), exhibition_post(toured, visitor_capacity="20"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert stored(toured).visitor_capacity == 20


def test_moving_the_hours_so_that_a_scheduled_tour_falls_outside_them_is_refused(staff_client, toured):
    response = staff_client.post(change_url(toured), exhibition_post(toured, closes_at="12:30"))
    errors = form_errors(response)
    assert "opening hours, 08:00 to 12:30" in " ".join(errors["closes_at"])
    assert stored(toured).closes_at == datetime.time(16, 0)


def test_hours_that_still_hold_every_tour_are_saved(staff_client, toured):
    response = staff_client.post(change_url(toured), exhibition_post(toured, opens_at="09:00", closes_at="13:00"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (stored(toured).opens_at, stored(toured).closes_at) == (datetime.time(9), datetime.time(13))


def test_closing_an_exhibition_with_tours_ahead_is_refused(staff_client, toured):
    response = staff_client.post(change_url(toured), exhibition_post(toured, status="closed"))
    assert "status" in form_errors(response)
    assert stored(toured).status == "open"


# --- shelves: positions hold samples ----------------------------------------------------------
def test_a_shelf_in_the_exhibition_form_cannot_lose_a_place_that_holds_a_sample(staff_client):
    need = displayed_need(province=province("qom"), shelf_position=5)
    exhibition, shelf = need.exhibition, need.shelf
    data = exhibition_post(exhibition, **{f"shelf_{shelf.pk}_positions": "4"})
    response = staff_client.post(change_url(exhibition), data)
    assert response.status_code == 200
    shelf_errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert "positions" in shelf_errors
    shelf.refresh_from_db()
    assert shelf.positions == 12


def test_the_shelf_admin_cannot_drop_positions_below_a_samples_place(staff_client):
    need = displayed_need(province=province("qom"), shelf_position=5)
    shelf = need.shelf
    response = staff_client.post(shelf_change_url(shelf), {
        "exhibition": shelf.exhibition_id, "code": shelf.code, "positions": "4", "description": "",
    })
    assert "positions" in form_errors(response)
    shelf.refresh_from_db()
    assert shelf.positions == 12
    ok = staff_client.post(shelf_change_url(shelf), {
        "exhibition": shelf.exhibition_id, "code": shelf.code, "positions": "5", "description": "",
    })
    assert ok.status_code == 302
    shelf.refresh_from_db()
    assert shelf.positions == 5


# --- the meetings booked in its rooms ---------------------------------------------------------
def test_closing_an_exhibition_whose_rooms_hold_meetings_ahead_is_refused(staff_client):
    from matchmaking.services import meeting_propose
    from tests.factories import MeetingRoomFactory, declaration, parties, slot

    interest = declaration(need=displayed_need(province=province("qom")))  # shown in another exhibition
    rooms_only = ExhibitionFactory(province=province("qom"))
    buyer, _supplier = parties(interest)
    meeting_propose(interest=interest, by=buyer, mode="in_person", starts_at=slot(),
                    room=MeetingRoomFactory(exhibition=rooms_only))
    response = staff_client.post(change_url(rooms_only), exhibition_post(rooms_only, status="closed"))
    assert "Meetings are booked in this exhibition's rooms" in " ".join(form_errors(response).get("status", []))
    assert stored(rooms_only).status == "open"


def listed_pks(response, model: str) -> list[int]:
    """The objects of an admin changelist, top to bottom."""
    pks = re.findall(rf'href="/[a-z/]*admin/exhibitions/{model}/(\d+)/change/', response.content.decode())
    return list(dict.fromkeys(int(pk) for pk in pks))


def test_the_admin_lists_provinces_towns_and_exhibitions_in_persian_order(superuser_client):
    # By code point, the names with چ ک گ (kerman, gilan) would follow those with ه (hamadan).
    order = ["tehran", "kerman", "gilan", "hamadan"]
    exhibitions = {slug: ExhibitionFactory(province=province(slug), slug=slug) for slug in reversed(order)}
    provinces = listed_pks(superuser_client.get(reverse("admin:exhibitions_province_changelist")), "province")
    assert [p for p in provinces if p in {province(slug).pk for slug in order}] == [province(s).pk for s in order]
    exhibition_rows = listed_pks(superuser_client.get(reverse("admin:exhibitions_exhibition_changelist")), "exhibition")
    assert exhibition_rows == [exhibitions[slug].pk for slug in order]
    towns = listed_pks(superuser_client.get(reverse("admin:exhibitions_industrialtown_changelist"), {"all": ""}), "industrialtown")
    names = [IndustrialTown.objects.get(pk=pk).province.slug for pk in towns]
    assert names.index("tehran") < names.index("kerman") < names.index("gilan") < names.index("hamadan")


def test_the_admin_lists_an_exhibitions_meeting_rooms_in_persian_order(superuser_client):
    exhibition = ExhibitionFactory(province=province("qom"), slug="qom")
    rooms = {name: MeetingRoom.objects.create(exhibition=exhibition, name=name) for name in ["ونوس", "گلستان", "پردیس"]}
    listed = listed_pks(superuser_client.get(reverse("admin:exhibitions_meetingroom_changelist")), "meetingroom")
    assert listed == [rooms[name].pk for name in ["پردیس", "گلستان", "ونوس"]]
