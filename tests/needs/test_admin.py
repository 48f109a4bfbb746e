"""Need entry in the admin as Qom's provincial staff: photos, shelf place, lifecycle,
actions, search, Jalali dates, and no way into Tehran."""

import datetime
import os
import re
import time
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

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
    assert "۹۹٬۰۰۰" in page  # the new value, in the reader's digits


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


# --- the free positions of the chosen shelf (issue 12, point 6) ------------------------------------
def places_url(shelf, prefix=""):
    return f"{prefix}{reverse('admin:needs_need_shelf_places')}?shelf={shelf.pk}"


@pytest.fixture
def half_full_shelf():
    """Shelf K-01 of Qom with 8 places; a Qom buyer's samples sit at places 2 and 4."""
    exhibition = ExhibitionFactory(province=province("qom"), slug="qom-places")
    shelf = ShelfFactory(exhibition=exhibition, code="K-01", positions=8)
    buyer = CompanyFactory(province=province("qom"))
    NeedFactory(buyer=buyer, exhibition=exhibition, shelf=shelf, shelf_position=2, title="شیر کشویی")
    NeedFactory(buyer=buyer, exhibition=exhibition, shelf=shelf, shelf_position=4, title="قالب تزریق")
    return shelf


def test_the_need_form_shows_the_free_and_taken_places_of_its_shelf(staff_client, half_full_shelf):
    need = half_full_shelf.needs.get(shelf_position=2)
    help_text = str(staff_client.get(change_url(need)).context["adminform"].form.fields["shelf"].help_text)
    assert "۱، ۳، ۵–۸" in help_text  # free
    assert "۲ (" in help_text and "۴ (قالب تزریق)" in help_text  # taken: by this need, and by which other


def test_after_a_failed_save_the_form_shows_the_places_of_the_shelf_that_was_chosen(staff_client, half_full_shelf):
    buyer = CompanyFactory(province=province("qom"))
    response = staff_client.post(ADD_URL, need_post(
        buyer=buyer, exhibition=half_full_shelf.exhibition, shelf=half_full_shelf, position="4", hs_code="12",
    ))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "hs_code" in form.errors  # and place 4 is taken
    assert "۱، ۳، ۵–۸" in str(form.fields["shelf"].help_text)
    # The field carries what the script needs to ask again when staff pick another shelf.
    page = response.content.decode()
    assert f'data-places-url="{reverse("admin:needs_need_shelf_places")}"' in page
    assert "portal-admin/shelf-places.js" in page


def test_the_places_endpoint_answers_in_the_readers_digits(staff_client, half_full_shelf):
    answer = staff_client.get(places_url(half_full_shelf)).json()
    assert answer["free"] == [1, 3, 5, 6, 7, 8]
    assert [(place["position"], place["title"]) for place in answer["taken"]] == [(2, "شیر کشویی"), (4, "قالب تزریق")]
    assert "۱، ۳، ۵–۸" in answer["free_text"] and "قالب تزریق" in answer["taken_text"]

    english = staff_client.get(places_url(half_full_shelf, prefix="/en")).json()
    assert "1, 3, 5–8" in english["free_text"]


def test_the_places_endpoint_is_for_staff_of_the_shelfs_province_only(client, tehran_staff, half_full_shelf):
    assert client.get(places_url(half_full_shelf)).status_code == 302  # to the admin login
    client.force_login(tehran_staff)
    assert client.get(places_url(half_full_shelf)).status_code == 404
    assert client.get(reverse("admin:needs_need_shelf_places") + "?shelf=abc").status_code == 404


# --- a chosen photo survives a failed save ---------------------------------------------------------
def held_token(page: str, index: int = 0) -> str:
    match = re.search(rf'name="photos-{index}-image-held" value="([^"]+)"', page)
    assert match, "no kept photo in the form"
    return match.group(1)


def held_files():
    from django.core.files.storage import default_storage

    try:
        return default_storage.listdir(photos.HELD_DIR)[1]
    except FileNotFoundError:
        return []


def test_a_chosen_photo_is_kept_when_the_need_form_fails_and_saved_on_the_next_try(
    staff_client, django_capture_on_commit_callbacks,
):
    buyer = CompanyFactory(province=province("qom"))
    green = (20, 160, 60)
    response = staff_client.post(ADD_URL, need_post(buyer=buyer, photos=[photo("front.jpg", green)], hs_code="12"))
    assert response.status_code == 200 and "hs_code" in response.context["adminform"].form.errors
    page = response.content.decode()
    token = held_token(page)
    assert "front.jpg" in page and 'src="data:image/jpeg;base64,' in page

    # Staff fix the HS code and save again without choosing the photo a second time.
    data = need_post(buyer=buyer, photos=[photo()])
    del data["photos-0-image"]
    data["photos-0-image-held"] = token
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors

    stored = Need.objects.get(buyer=buyer).photos.get()
    assert stored.is_primary and stored.thumbnail and "front" not in stored.image.name
    with Image.open(stored.image.path) as image:
        red, green_, blue = image.convert("RGB").getpixel((10, 10))
    assert abs(red - 20) < 12 and abs(green_ - 160) < 12 and abs(blue - 60) < 12
    assert held_files() == []  # nothing held once it is saved


def test_a_forged_kept_photo_token_attaches_nothing(staff_client):
    buyer = CompanyFactory(province=province("qom"))
    data = need_post(buyer=buyer, photos=[photo()])
    del data["photos-0-image"]
    data["photos-0-image-held"] = "needs/held/../../settings.py:forged"
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "image" in response.context["inline_admin_formsets"][0].formset.errors[0]
    assert not Need.objects.filter(buyer=buyer).exists()


def test_a_hostile_file_is_never_kept(staff_client):
    buyer = CompanyFactory(province=province("qom"))
    svg = SimpleUploadedFile("x.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>")
    page = staff_client.post(ADD_URL, need_post(buyer=buyer, photos=[svg], hs_code="12")).content.decode()
    assert 'name="photos-0-image-held"' not in page and held_files() == []


def test_kept_photos_older_than_a_day_are_removed_when_another_is_kept(staff_client):
    buyer = CompanyFactory(province=province("qom"))
    first = staff_client.post(ADD_URL, need_post(buyer=buyer, photos=[photo("old.jpg")], hs_code="12"))
    old_token = held_token(first.content.decode())
    old_files = held_files()
    assert len(old_files) == 2  # the photo and its thumbnail
    # Staff walked away from that form two days ago.
    from django.conf import settings

    two_days_ago = time.time() - 2 * 24 * 3600
    for name in old_files:
        os.utime(os.path.join(settings.MEDIA_ROOT, photos.HELD_DIR, name), (two_days_ago, two_days_ago))

    staff_client.post(ADD_URL, need_post(buyer=buyer, photos=[photo("new.jpg")], hs_code="12"))
    remaining = held_files()
    assert len(remaining) == 2 and not set(remaining) & set(old_files)

    # The old form's token now finds nothing: staff are asked to choose the photo again.
    data = need_post(buyer=buyer, photos=[photo()])
    del data["photos-0-image"]
    data["photos-0-image-held"] = old_token
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200 and "image" in response.context["inline_admin_formsets"][0].formset.errors[0]


def test_the_photo_admin_keeps_a_chosen_photo_too(staff_client, django_capture_on_commit_callbacks):
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")))
    add = reverse("admin:needs_needphoto_add")
    response = staff_client.post(add, {"need": "", "image": photo("side.jpg"), "caption": "", "order": "0"})
    assert response.status_code == 200 and "need" in response.context["adminform"].form.errors
    token = re.search(r'name="image-held" value="([^"]+)"', response.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(add, {"need": need.pk, "image-held": token, "caption": "", "order": "0"})
    assert response.status_code == 302
    assert need.photos.get().thumbnail and held_files() == []


# --- accessibility and Persian of the need pages (issue 11) ------------------------------------
class _Elements(HTMLParser):
    """Every element of a page with its attributes, the text inside it and the alt texts of
    the images inside it: enough to tell what a screen reader would name a link or field."""

    VOID = frozenset({"img", "input", "br", "hr", "meta", "link", "source", "col", "area", "wbr"})

    def __init__(self):
        super().__init__()
        self.elements, self._open = [], []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "ancestors": list(self._open)}
        self.elements.append(element)
        if tag == "img":
            for ancestor in self._open:
                ancestor["text"] += (element["attrs"].get("alt") or "")
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


def elements(html: str) -> list[dict]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def inside(element, **attrs) -> bool:
    return any(all(a["attrs"].get(k) == v for k, v in attrs.items()) for a in element["ancestors"])


def test_every_link_of_the_need_list_has_a_name(staff_client):
    buyer = CompanyFactory(province=province("qom"))
    for index in range(3):
        NeedFactory(buyer=buyer, title=f"نیاز {index}").photos.create(image=photo(), is_primary=True)
    page = elements(staff_client.get(reverse("admin:needs_need_changelist")).content.decode())
    links = [e for e in page if e["tag"] == "a" and inside(e, id="result_list")]
    assert links
    nameless = [e["attrs"].get("href") for e in links if not (e["text"].strip() or e["attrs"].get("aria-label"))]
    assert nameless == []


def test_every_field_of_the_photo_rows_has_a_label(staff_client):
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")))
    need.photos.create(image=photo(), caption="نمای روبه‌رو", is_primary=True)
    page = elements(staff_client.get(change_url(need)).content.decode())
    labelled = {e["attrs"].get("for") for e in page if e["tag"] == "label"}
    fields = [
        e for e in page
        if e["tag"] in ("input", "select", "textarea") and inside(e, id="photos-group")
        and e["attrs"].get("type") != "hidden"
    ]
    assert len(fields) >= 8  # the photo's row and the empty one: image, caption, order, primary (and delete)
    unlabelled = [
        e["attrs"].get("name") for e in fields
        if not (e["attrs"].get("aria-label") or e["attrs"].get("aria-labelledby") or e["attrs"].get("id") in labelled)
    ]
    assert unlabelled == []


def test_an_import_reports_its_result_in_persian(staff_client):
    from tests.needs.test_resources import HEADERS, good_rows, xlsx

    buyers = [CompanyFactory(province=province("qom")) for _ in range(2)]
    rows = [row for row in good_rows(buyers, count=11) if row[HEADERS.index("status")] == "identified"][:2]
    preview = staff_client.post(reverse("admin:needs_need_import"), {"format": "0", "import_file": xlsx(rows), "resource": "0"})
    assert "confirm_form" in preview.context, preview.context["result"].invalid_rows
    done = staff_client.post(reverse("admin:needs_need_process_import"), preview.context["confirm_form"].initial, follow=True)
    said = [str(m) for m in done.context["messages"]]
    assert Need.objects.count() == 2
    assert said == ["ورود نیازها انجام شد: ۲ تازه، ۰ به‌روزشده، ۰ حذف‌شده و ۰ بی‌تغییر."]


def test_the_export_page_names_the_columns_in_persian(staff_client):
    html = staff_client.get(reverse("admin:needs_need_export")).content.decode()
    assert "Annual Fx Usd" not in html and "Select all" not in html and "This exporter" not in html
    assert "ارزش ارزی سالانه (دلار)" in html


def test_a_title_typed_on_an_arabic_keyboard_is_stored_with_persian_letters(staff_client, qom_place):
    """ي and ك from an Arabic keyboard, and blanks at the ends, are stored as the Persian
    letters (Need.clean, so the admin, imports and services all store the same text)."""
    buyer = CompanyFactory(province=province("qom"))
    response = staff_client.post(ADD_URL, need_post(
        buyer=buyer, title="  قطعه يدكي موتور ", description="كيسه براي نمونه",
    ))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    need = Need.objects.get(buyer=buyer)
    assert (need.title, need.description) == ("قطعه یدکی موتور", "کیسه برای نمونه")



@pytest.mark.parametrize("lang, code, meaning", [
    ("fa", "buyer_national_id", "شناسهٔ ملی شرکت خریدار"),
    ("fa", "annual_fx_usd", "ارزش ارزی سالانه (دلار)"),
    ("en", "annual_fx_usd", "Annual FX value (USD)"),
])
def test_the_import_page_explains_each_column_in_the_readers_language(staff_client, lang, code, meaning):
    """The file's headers are codes (an exported file imports back as written), so the
    import page lists each code beside what it means, in the page's language; the codes stay
    Latin (class="latin") on a Persian page."""
    prefix = "" if lang == "fa" else "/en"
    html = staff_client.get(prefix + reverse("admin:needs_need_import").removeprefix("/en")).content.decode()
    rows = re.findall(r'<tr>\s*<td><code class="latin">([a-z_]+)</code></td>\s*<td>([^<]*)</td>', html)
    assert (code, meaning) in rows, rows
    assert len(rows) == 19
    assert "This importer" not in html
