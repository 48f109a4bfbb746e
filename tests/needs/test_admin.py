"""Need entry in the admin as Qom's provincial staff: photos, shelf place, lifecycle,
actions, search, Jalali dates, and no way into Tehran."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from needs import photos
from needs.models import Need, NeedStatus
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    displayed_need,
    jpeg_bytes,
    province,
    sector,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:needs_need_add")


def change_url(need):
    return reverse("admin:needs_need_change", args=[need.pk])


def photo(name="sample.jpg", colour=(200, 40, 40)):
    return SimpleUploadedFile(name, jpeg_bytes(colour=colour), content_type="image/jpeg")


def need_post(*, buyer, exhibition=None, shelf=None, position="", status="identified", photos=(), **overrides):
    data = {
        "title": "کیسه پلاستیکی صنعتی", "title_en": "Industrial plastic bags", "sector": sector("chemical").pk,
        "hs_code": "۳۹۲۳۲۱", "origin_country": "CN", "description": "", "description_en": "",
        "buyer": buyer.pk, "province": buyer.province_id, "display_consent": "on",
        "annual_quantity": "12000", "unit": "kg", "annual_fx_usd": "85000",
        "exhibition": exhibition.pk if exhibition else "", "shelf": shelf.pk if shelf else "",
        "shelf_position": position, "status": status, "identified_on": "۱۴۰۴/۰۷/۱۸",
        "photos-TOTAL_FORMS": str(len(photos)), "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0", "photos-MAX_NUM_FORMS": "1000",
    }
    for index, upload in enumerate(photos):
        data[f"photos-{index}-image"] = upload
        data[f"photos-{index}-caption"] = f"نمای {index + 1}"
        data[f"photos-{index}-order"] = str(index)
    data.update(overrides)
    return data


@pytest.fixture
def qom_place():
    exhibition = ExhibitionFactory(province=province("qom"), slug="qom-permanent")
    return exhibition, ShelfFactory(exhibition=exhibition, code="B-07", positions=6)


def test_qom_staff_add_a_need_with_two_photos_and_a_shelf_place(staff_client, qom_staff, qom_place):
    exhibition, shelf = qom_place
    buyer = CompanyFactory(province=province("qom"))
    response = staff_client.post(ADD_URL, need_post(
        buyer=buyer, exhibition=exhibition, shelf=shelf, position="3", status="on_display",
        photos=[photo("front.jpg"), photo("back.jpg", (20, 90, 200))],
    ))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    need = Need.objects.get(title="کیسه پلاستیکی صنعتی")
    assert (need.province.slug, need.shelf, need.shelf_position, need.status) == ("qom", shelf, 3, "on_display")
    assert need.hs_code == "392321" and need.identified_on == datetime.date(2025, 10, 10)
    assert need.entered_by == qom_staff
    photos = list(need.photos.order_by("order"))
    assert len(photos) == 2 and [p.is_primary for p in photos] == [True, False]
    assert all(p.thumbnail for p in photos) and "front" not in photos[0].image.name
    assert LogEntry.objects.get_for_object(need).filter(actor=qom_staff, action=LogEntry.Action.CREATE).exists()


def test_the_add_form_preselects_the_only_province_and_offers_only_its_places(staff_client, qom_place):
    other = ExhibitionFactory(province=province("tehran"), slug="tehran-permanent")
    ShelfFactory(exhibition=other, code="T-01")
    form = staff_client.get(ADD_URL).context["adminform"].form
    assert form.initial["province"] == province("qom").pk
    assert list(form.fields["province"].queryset) == [province("qom")]
    assert list(form.fields["exhibition"].queryset) == [qom_place[0]]
    assert list(form.fields["shelf"].queryset) == [qom_place[1]]
    assert [value for value, _label in form.fields["status"].choices] == ["identified", "on_display"]


def test_qom_staff_cannot_move_a_need_into_tehran(staff_client):
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")))
    tehran_buyer = CompanyFactory(province=province("tehran"))
    tehran_exhibition = ExhibitionFactory(province=province("tehran"), slug="tehran-x")
    response = staff_client.post(change_url(need), need_post(
        buyer=tehran_buyer, exhibition=tehran_exhibition, province=province("tehran").pk,
    ))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"buyer", "province", "exhibition"} <= set(errors)
    need.refresh_from_db()
    assert need.province.slug == "qom" and need.buyer.province.slug == "qom" and need.exhibition is None


def test_qom_staff_cannot_add_a_shelf_to_a_tehran_exhibition(staff_client):
    tehran_exhibition = ExhibitionFactory(province=province("tehran"), slug="tehran-y")
    response = staff_client.post(reverse("admin:exhibitions_shelf_add"), {
        "exhibition": tehran_exhibition.pk, "code": "Z-1", "positions": "4", "description": "",
    })
    assert response.status_code == 200 and "exhibition" in response.context["adminform"].form.errors
    assert not tehran_exhibition.shelves.exists()


def test_status_moves_only_along_the_lifecycle(staff_client):
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")))
    form = staff_client.get(change_url(need)).context["adminform"].form
    assert [v for v, _l in form.fields["status"].choices] == ["identified", "on_display", "withdrawn"]
    response = staff_client.post(change_url(need), need_post(buyer=need.buyer, status="contracted"))
    assert "status" in response.context["adminform"].form.errors
    need.refresh_from_db()
    assert need.status == NeedStatus.IDENTIFIED


def test_put_on_display_and_withdraw_actions(staff_client, qom_place):
    exhibition, shelf = qom_place
    buyer = CompanyFactory(province=province("qom"))
    ready = NeedFactory(buyer=buyer, exhibition=exhibition, shelf=shelf, shelf_position=1, display_consent=True)
    no_place = NeedFactory(buyer=buyer, display_consent=True)
    changelist = reverse("admin:needs_need_changelist")

    response = staff_client.post(
        changelist, {"action": "put_on_display", "_selected_action": [ready.pk, no_place.pk]}, follow=True
    )
    sent = [(m.level, str(m)) for m in response.context["messages"]]
    ready.refresh_from_db(), no_place.refresh_from_db()
    assert ready.status == "on_display" and no_place.status == "identified"
    assert [level for level, _text in sent] == [messages.SUCCESS, messages.ERROR]
    assert f"#{no_place.pk}" in sent[1][1] and f"#{ready.pk}" not in sent[1][1]

    staff_client.post(changelist, {"action": "withdraw", "_selected_action": [ready.pk]})
    ready.refresh_from_db()
    assert ready.status == "withdrawn" and ready.shelf is None and ready.shelf_position is None


def test_search_is_persian_normalised_and_finds_company_and_hs_code(staff_client):
    buyer = CompanyFactory(province=province("qom"), name_fa="صنایع بسته‌بندی یکتا")
    need = NeedFactory(buyer=buyer, title="کیسه پلاستیکی", hs_code="392321", is_anonymous=True)
    NeedFactory(buyer=CompanyFactory(province=province("qom")), title="لنت ترمز", hs_code="870830")
    changelist = reverse("admin:needs_need_changelist")
    for term in ["كيسه", "پلاستیکی", "بسته بندی يكتا", "3923", "۳۹۲۳"]:
        rows = list(staff_client.get(changelist, {"q": term}).context["cl"].queryset)
        assert rows == [need], term


def test_dates_are_jalali_in_the_persian_admin_and_gregorian_in_english(client, qom_staff):
    NeedFactory(buyer=CompanyFactory(province=province("qom")), identified_on=datetime.date(2025, 10, 10))
    client.force_login(qom_staff)
    assert "۱۸ مهر ۱۴۰۴" in client.get(reverse("admin:needs_need_changelist")).content.decode()
    assert "10 October 2025" in client.get("/en" + reverse("admin:needs_need_changelist")).content.decode()


def test_a_hostile_photo_in_the_inline_is_refused_and_the_need_is_not_created(staff_client):
    buyer = CompanyFactory(province=province("qom"))
    svg = SimpleUploadedFile("x.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>")
    response = staff_client.post(ADD_URL, need_post(buyer=buyer, photos=[svg]))
    assert response.status_code == 200
    photo_errors = response.context["inline_admin_formsets"][0].formset.errors[0]["image"]
    assert photo_errors == [str(photos.FORMAT_MESSAGE)]
    assert not Need.objects.filter(buyer=buyer).exists()


def test_two_primary_photos_are_refused(staff_client):
    buyer = CompanyFactory(province=province("qom"))
    data = need_post(buyer=buyer, photos=[photo(), photo("b.jpg")])
    data["photos-0-is_primary"] = data["photos-1-is_primary"] = "on"
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200 and not Need.objects.filter(buyer=buyer).exists()


def test_list_shows_the_primary_thumbnail_in_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    buyer = CompanyFactory(province=province("qom"))
    for index in range(12):
        need = NeedFactory(buyer=buyer, title=f"نیاز {index}")
        need.photos.create(image=photo(), is_primary=True)
    with django_assert_max_num_queries(16):
        response = staff_client.get(reverse("admin:needs_need_changelist"))
    assert response.content.decode().count('class="need-list-thumb"') == 12


def test_audit_trail_shows_who_changed_what(staff_client, qom_staff):
    need = displayed_need(buyer=CompanyFactory(province=province("qom")))
    data = need_post(
        buyer=need.buyer, exhibition=need.exhibition, shelf=need.shelf, position=str(need.shelf_position),
        status="on_display", annual_fx_usd="99000",
    )
    assert staff_client.post(change_url(need), data).status_code == 302
    entry = LogEntry.objects.get_for_object(need).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == qom_staff and "annual_fx_usd" in entry.changes_dict
    page = staff_client.get(reverse("admin:needs_need_auditlog", args=[need.pk])).content.decode()
    assert "99000" in page


def test_withdrawing_in_the_change_form_frees_the_shelf_place_like_the_action(staff_client, qom_place):
    """The change form's status goes through need_change_status too, so a withdrawn need's
    sample leaves its shelf (the form used to save the status and keep the place taken)."""
    exhibition, shelf = qom_place
    buyer = CompanyFactory(province=province("qom"))
    need = NeedFactory(buyer=buyer, exhibition=exhibition, shelf=shelf, shelf_position=2, display_consent=True,
                       status=NeedStatus.ON_DISPLAY)
    response = staff_client.post(change_url(need), need_post(
        buyer=buyer, exhibition=exhibition, shelf=shelf, position="2", status="withdrawn"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    need.refresh_from_db()
    assert need.status == NeedStatus.WITHDRAWN and need.shelf is None and need.shelf_position is None


def test_withdrawing_and_blanking_the_shelf_place_in_one_edit_is_no_server_error(staff_client, qom_place):
    exhibition, shelf = qom_place
    buyer = CompanyFactory(province=province("qom"))
    need = NeedFactory(buyer=buyer, exhibition=exhibition, shelf=shelf, shelf_position=3, display_consent=True,
                       status=NeedStatus.ON_DISPLAY)
    response = staff_client.post(change_url(need), need_post(buyer=buyer, exhibition=exhibition, status="withdrawn"))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.WITHDRAWN and need.shelf is None
