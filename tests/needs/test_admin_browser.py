"""Qom's provincial staff, in real headless Chromium: log in to the admin and add a need with
a photo and a shelf place, picking the company through the autocomplete as a person would;
see the chosen shelf's free positions; keep a chosen photo through a failed save."""

import io

import pytest
from PIL import Image

from needs.models import Need
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    province,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_qom_staff_log_in_and_add_a_need_with_a_photo(live_server, browser, qom_staff, tmp_path):
    exhibition = ExhibitionFactory(province=province("qom"), slug="qom-browser")
    ShelfFactory(exhibition=exhibition, code="D-02", positions=8)
    CompanyFactory(province=province("qom"), name_fa="صنایع شیمیایی البرز قم")
    CompanyFactory(province=province("tehran"), name_fa="صنایع شیمیایی تهران")
    photo = tmp_path / "sample.jpg"
    out = io.BytesIO()
    Image.effect_noise((900, 600), 50).convert("RGB").save(out, "JPEG")
    photo.write_bytes(out.getvalue())

    browser.resize(1280, 1000)
    browser.open(f"{live_server.url}/admin/login/?next=/admin/needs/need/add/")
    browser.fill("#id_username", "qom-staff")
    browser.fill("#id_password", "Gol-Sorkh-8841")
    browser.click_and_wait("input[type=submit]")
    assert browser.url().endswith("/admin/needs/need/add/"), browser.text()[:500]

    browser.fill("#id_title", "رزین پلی‌استر")
    browser.fill("#id_hs_code", "۳۹۰۷۹۱")
    browser.js("document.querySelector('#id_sector').value = document.querySelector('#id_sector option:nth-child(2)').value")
    browser.fill("#id_annual_quantity", "۲۵۰۰")
    browser.fill("#id_annual_fx_usd", "120000")
    browser.js("document.querySelector('#id_display_consent').checked = true")

    # The company autocomplete: open it, type, pick the one result (Tehran's never shows).
    browser.js("document.querySelector('#id_buyer').closest('.related-widget-wrapper, div').querySelector('.select2-selection').dispatchEvent(new MouseEvent('mousedown', {bubbles: true}))")
    browser.wait_for("document.querySelector('.select2-search__field') !== null")
    browser.js("const f = document.querySelector('.select2-search__field'); f.value = 'شیمیایی'; f.dispatchEvent(new Event('input', {bubbles: true}))")
    option = ".select2-results__option[aria-selected]:not(.loading-results)"
    browser.wait_for(f"document.querySelectorAll('{option}').length > 0")
    offered = browser.js(f"[...document.querySelectorAll('{option}')].map(o => o.innerText)")
    assert offered == ["صنایع شیمیایی البرز قم"]
    browser.js(f"document.querySelector('{option}').dispatchEvent(new MouseEvent('mouseup', {{bubbles: true}}))")
    browser.wait_for("document.querySelector('#id_buyer').value !== ''")

    browser.js("document.querySelector('#id_exhibition').value = document.querySelector('#id_exhibition option:nth-child(2)').value")
    browser.js("document.querySelector('#id_shelf').value = document.querySelector('#id_shelf option:nth-child(2)').value")
    browser.fill("#id_shelf_position", "۴")
    browser.js("document.querySelector('#id_status').value = 'on_display'")
    browser.set_files("#id_photos-0-image", [str(photo)])
    browser.fill("#id_photos-0-caption", "نمونه روی قفسه")
    browser.screenshot(str(tmp_path / "need-form.png"))
    browser.click_and_wait("input[name=_save]")

    errors = browser.js("[...document.querySelectorAll('.errorlist, .errornote')].map(e => (e.closest('.form-row, fieldset, td')?.className || '') + ': ' + e.innerText)")
    assert browser.url().endswith("/admin/needs/need/"), errors
    assert "رزین پلی‌استر" in browser.text("#result_list")
    assert browser.js("document.querySelectorAll('#result_list img.need-list-thumb').length") == 1

    need = Need.objects.get(title="رزین پلی‌استر")
    assert (need.province.slug, need.status, need.shelf.code, need.shelf_position) == ("qom", "on_display", "D-02", 4)
    assert need.hs_code == "390791" and need.entered_by == qom_staff
    stored = need.photos.get()
    assert stored.is_primary and stored.thumbnail and "sample" not in stored.image.name


def log_in(browser, live_server, next_path):
    browser.open(f"{live_server.url}/admin/login/?next={next_path}")
    browser.fill("#id_username", "qom-staff")
    browser.fill("#id_password", "Gol-Sorkh-8841")
    browser.click_and_wait("input[type=submit]")
    assert browser.url().endswith(next_path), browser.text()[:500]


def test_picking_a_shelf_shows_its_free_positions_under_the_field(live_server, browser, qom_staff, tmp_path):
    exhibition = ExhibitionFactory(province=province("qom"), slug="qom-places-browser")
    ShelfFactory(exhibition=exhibition, code="E-01", positions=3)
    shelf = ShelfFactory(exhibition=exhibition, code="E-02", positions=8)
    buyer = CompanyFactory(province=province("qom"))
    for position, title in [(2, "شیر کشویی"), (4, "قالب تزریق")]:
        NeedFactory(buyer=buyer, exhibition=exhibition, shelf=shelf, shelf_position=position, title=title)

    log_in(browser, live_server, "/admin/needs/need/add/")
    help_text = "document.querySelector('#id_shelf_helptext').innerText"
    assert "۱" not in browser.js(help_text)  # no shelf chosen yet
    browser.fill("#id_shelf", str(shelf.pk))  # picks the option and fires "change"
    browser.wait_for(f"{help_text}.includes('۱، ۳، ۵–۸')")
    assert "۴ (قالب تزریق)" in browser.js(help_text)
    browser.screenshot(str(tmp_path / "shelf-places.png"))

    browser.resize(390, 900)
    browser.fill("#id_shelf", "")
    browser.wait_for(f"!{help_text}.includes('۵–۸')")
    browser.fill("#id_shelf", str(shelf.pk))
    browser.wait_for(f"{help_text}.includes('۱، ۳، ۵–۸')")


def test_a_photo_chosen_before_a_failed_save_is_saved_with_the_next_try(live_server, browser, qom_staff, tmp_path):
    CompanyFactory(province=province("qom"), name_fa="صنایع شیمیایی البرز قم")
    buyer = CompanyFactory(province=province("qom"), name_fa="ریخته‌گری قم")
    photo = tmp_path / "front.jpg"
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 160, 60)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())

    log_in(browser, live_server, "/admin/needs/need/add/")
    browser.fill("#id_title", "قطعه ریختگی")
    browser.fill("#id_hs_code", "۷۳۲۵۹۹")
    browser.js("document.querySelector('#id_sector').value = document.querySelector('#id_sector option:nth-child(2)').value")
    browser.fill("#id_annual_quantity", "۴۰۰")
    browser.fill("#id_annual_fx_usd", "50000")
    # The buyer is left out: the save fails.
    browser.set_files("#id_photos-0-image", [str(photo)])
    browser.click_and_wait("input[name=_save]")
    assert browser.js("document.querySelector('.errornote') !== null")
    assert "front.jpg" in browser.text(".held-photo")
    assert browser.js("document.querySelector('.held-photo img').naturalWidth") > 0  # the thumbnail draws under the CSP
    browser.screenshot(str(tmp_path / "kept-photo.png"))

    # Staff pick the buyer (a plain select once the autocomplete's value is set) and save again.
    browser.js(
        f"const s = document.querySelector('#id_buyer'); s.add(new Option('x', '{buyer.pk}', true, true));"
        " s.dispatchEvent(new Event('change', {bubbles: true}))"
    )
    browser.click_and_wait("input[name=_save]")
    assert browser.url().endswith("/admin/needs/need/"), browser.text(".errornote, .errorlist")
    stored = Need.objects.get(title="قطعه ریختگی").photos.get()
    assert stored.is_primary and stored.thumbnail and "front" not in stored.image.name


def test_the_action_counter_the_admin_script_writes_has_persian_digits(live_server, browser, qom_staff):
    """Django's actions.js rewrites "0 of 2 selected" when a box is ticked, after the
    server-side digits pass; static/portal-admin/persian-digits.js converts what it writes."""
    qom = province("qom")
    for _ in range(2):
        NeedFactory(province=qom, buyer=CompanyFactory(province=qom))
    browser.resize(1280, 900)
    browser.open(f"{live_server.url}/admin/login/?next=/admin/needs/need/")
    browser.fill("#id_username", "qom-staff")
    browser.fill("#id_password", "Gol-Sorkh-8841")
    browser.click_and_wait("input[type=submit]")
    assert browser.url().endswith("/admin/needs/need/"), browser.text()[:500]
    browser.js("document.querySelector('input.action-select').click()")
    browser.wait_for("/[۱]/.test(document.querySelector('.action-counter').innerText)")
    counter = browser.js("document.querySelector('.action-counter').innerText")
    assert not any(ch.isascii() and ch.isdigit() for ch in counter), counter
    assert "۱" in counter and "۲" in counter
