"""Qom's provincial staff, in real headless Chromium: log in to the admin and add a need with
a photo and a shelf place, picking the company through the autocomplete as a person would."""

import io

import pytest
from PIL import Image

from needs.models import Need
from tests.factories import CompanyFactory, ExhibitionFactory, ShelfFactory, province

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
