"""The public site as a person sees it, in real headless Chromium: home, the catalogue with a
filter, a need, an exhibition and the statistics, in Persian and English, on a 390 px phone
and a 1280 px desktop. Screenshots go to tests/screenshots/ (the pictures kept in docs/screenshots/
are made by scripts/screenshots.py)."""

import datetime
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from demo import photos as demo_photos
from exhibitions.models import Exhibition, Shelf
from needs.models import NeedPhoto
from tests.factories import CompanyFactory, displayed_need, province, sector

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "screenshots"


def _photo(need):
    image = demo_photos.draw_sample(title=need.title, hs_code=need.hs_code, colour=need.sector.colour, shape=7, number=need.pk)
    stem = f"needs/test/need-{need.pk}"
    default_storage.save(f"{stem}.jpg", ContentFile(demo_photos.encode_jpeg(image)))
    default_storage.save(f"{stem}-thumb.jpg", ContentFile(demo_photos.encode_jpeg(image, demo_photos.THUMB_SIZE, 75)))
    NeedPhoto.objects.filter(need=need).delete()
    NeedPhoto.objects.create(need=need, image=f"{stem}.jpg", thumbnail=f"{stem}-thumb.jpg", is_primary=True)


@pytest.fixture
def site(settings):
    """A small demo programme (31 provinces, 16 open exhibitions, photos) plus two Isfahan
    auto-parts needs above $1M at a known shelf place, and a smaller one."""
    settings.ROOT_URLCONF = "tests.browser.public_urls"
    call_command("seed_demo", "--needs", "60", stdout=open(os.devnull, "w"))
    isfahan = Exhibition.objects.get(slug="isfahan")
    shelf = Shelf.objects.create(exhibition=isfahan, code="Z-07", positions=12)
    buyer = CompanyFactory(province=province("isfahan"), name_fa="صنایع قطعه‌سازی سپاهان", name_en="Sepahan Auto Parts")
    big = displayed_need(buyer=buyer, shelf=shelf, shelf_position=3, title="رینگ پیستون موتور دیزل",
                         title_en="Diesel engine piston rings", hs_code="840991", annual_fx_usd=Decimal("2450000"),
                         identified_on=datetime.date(2025, 10, 22))
    other = displayed_need(buyer=buyer, shelf=shelf, shelf_position=4, title="دیسک و صفحه کلاچ",
                           title_en="Clutch disc and plate", hs_code="870893", annual_fx_usd=Decimal("1310000"),
                           is_anonymous=True)
    small = displayed_need(buyer=buyer, shelf=shelf, shelf_position=5, title="واشر سرسیلندر",
                           title_en="Cylinder head gasket", hs_code="848410", annual_fx_usd=Decimal("400000"))
    for need in (big, other, small):
        need.sector = sector("auto-parts")
        need.save()
        _photo(need)
    return {"big": big, "other": other, "small": small}


def save_shot(browser, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    browser.screenshot(str(path))


def no_sideways_scroll(browser) -> bool:
    """Nothing sticks out of the window on either side (in right-to-left pages overflow goes
    left, where scrollWidth does not see it); charts and wide tables scroll inside their own
    box (.chart-wrap, .scroll-box)."""
    return browser.js(
        "document.documentElement.scrollWidth <= window.innerWidth + 1 && "
        "[...document.querySelectorAll('body *')]"
        ".filter(e => !e.closest('.chart-wrap, .scroll-box, .skip, .visually-hidden, option'))"
        ".every(e => { const r = e.getBoundingClientRect();"
        " return r.width === 0 || (r.left >= -1 && r.right <= window.innerWidth + 1); })"
    )


def images_loaded(browser, selector: str) -> bool:
    """Every image matching `selector` loaded (lazy ones after scrolling them into view)."""
    check = f"[...document.querySelectorAll({selector!r})].every(img => img.complete && img.naturalWidth > 0)"
    browser.js(f"document.querySelectorAll({selector!r}).forEach(img => img.loading = 'eager')")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if browser.js(check):
            browser.js("window.scrollTo(0, 0)")
            return True
        time.sleep(0.1)
    return False


def text_without_shelf_codes(browser, selector: str) -> str:
    """What a reader sees of `selector` less the shelf codes, which stay as painted on the
    shelves (Latin, in a left-to-right <bdi class="shelf-code">)."""
    return browser.js(
        f"(() => {{ const el = document.querySelector({selector!r}).cloneNode(true);"
        " el.querySelectorAll('.shelf-code bdi, bdi.shelf-code').forEach(code => code.remove()); return el.innerText; })()"
    )


CATALOGUE_FILTER = "?province=isfahan&sector=auto-parts&fx_min=1000000"


@pytest.mark.parametrize("width", [390, 1280])
def test_persian_pages_read_right_to_left_with_persian_digits(browser, live_server, site, width):
    browser.resize(width, 900)
    base = live_server.url
    big = site["big"]

    browser.open(f"{base}/")
    assert browser.js("document.documentElement.dir") == "rtl"
    assert browser.js("document.documentElement.lang") == "fa"
    assert browser.js("getComputedStyle(document.body).fontFamily").strip('\"').startswith("Vazirmatn")
    assert browser.js("document.fonts.check('16px Vazirmatn')")
    needs_figure = browser.text('[data-figure="needs"]')
    assert needs_figure == "۶۳" and not any(ch.isascii() and ch.isdigit() for ch in text_without_shelf_codes(browser, "main"))
    assert images_loaded(browser, ".card-photo img") and no_sideways_scroll(browser)
    save_shot(browser, f"home-fa-{width}")

    # A supplier looks for auto parts needs in Isfahan above $1M.
    browser.open(f"{base}/needs/{CATALOGUE_FILTER}")
    titles = browser.js("[...document.querySelectorAll('.card-title')].map(e => e.innerText)")
    assert set(titles) >= {"رینگ پیستون موتور دیزل", "دیسک و صفحه کلاچ"} and "واشر سرسیلندر" not in titles
    assert browser.js("document.querySelector('#id_province').value") == "isfahan"
    count = browser.text(".result-count")
    assert count.endswith("نیاز") and any(ch in "۰۱۲۳۴۵۶۷۸۹" for ch in count)
    assert images_loaded(browser, ".card-photo img") and no_sideways_scroll(browser)
    save_shot(browser, f"catalogue-fa-{width}")

    # ... opens one, sees its photo and exactly which shelf to visit.
    browser.open(f"{base}/needs/{big.pk}/")
    assert browser.text("h1") == "رینگ پیستون موتور دیزل"
    assert "قفسه Z-07، جایگاه ۳" in browser.text(".where")
    assert "نمایشگاه دائمی ساخت داخل استان اصفهان" in browser.text(".where")
    assert "۲٫۴۵ میلیون دلار" in browser.text(".fx-big")
    # ... and when it was identified, in the Jalali calendar.
    assert "۳۰ مهر ۱۴۰۴" in browser.text(".facts")
    assert images_loaded(browser, ".gallery img") and no_sideways_scroll(browser)
    save_shot(browser, f"need-fa-{width}")

    # The anonymous need names no buyer.
    browser.open(f"{base}/needs/{site['other'].pk}/")
    assert "یک واحد تولیدی در استان اصفهان" in browser.text(".facts") and "سپاهان" not in browser.text("main")

    browser.open(f"{base}/exhibitions/isfahan/")
    assert "قفسه Z-07" in browser.text(".on-display")
    assert no_sideways_scroll(browser)
    save_shot(browser, f"exhibition-fa-{width}")

    browser.open(f"{base}/stats/")
    assert browser.text('[data-figure="provinces"]') == "۱۶"
    assert browser.js("document.querySelectorAll('svg.tiles g.province').length") == 31
    assert no_sideways_scroll(browser)
    save_shot(browser, f"stats-fa-{width}")


@pytest.mark.parametrize("width", [390, 1280])
def test_english_pages_read_left_to_right_with_gregorian_dates(browser, live_server, site, width):
    browser.resize(width, 900)
    base = live_server.url
    big = site["big"]

    browser.open(f"{base}/en/")
    assert browser.js("document.documentElement.dir") == "ltr"
    assert browser.text('[data-figure="needs"]') == "63"
    # The language switch leads to the same page in Persian.
    assert browser.js("document.querySelector('a.lang').getAttribute('href')") == "/"
    save_shot(browser, f"home-en-{width}")

    browser.open(f"{base}/en/needs/{CATALOGUE_FILTER}")
    titles = browser.js("[...document.querySelectorAll('.card-title')].map(e => e.innerText)")
    assert set(titles) >= {"Diesel engine piston rings", "Clutch disc and plate"} and "Cylinder head gasket" not in titles
    save_shot(browser, f"catalogue-en-{width}")

    browser.open(f"{base}/en/needs/{big.pk}/")
    assert "Shelf Z-07, place 3" in browser.text(".where")
    assert "$2.45 million" in browser.text(".fx-big")
    # The date the need was identified, in the Gregorian calendar (Jalali 30 Mehr 1404).
    assert "22 October 2025" in browser.text(".facts")
    assert "1404" not in browser.text(".facts") and "Mehr" not in browser.text(".facts")
    assert images_loaded(browser, ".gallery img") and no_sideways_scroll(browser)
    save_shot(browser, f"need-en-{width}")

    browser.open(f"{base}/en/exhibitions/")
    assert "4 October 2025" in browser.text("main")
    save_shot(browser, f"exhibitions-en-{width}")

    browser.open(f"{base}/en/stats/")
    assert browser.text('[data-figure="provinces"]') == "16"
    assert no_sideways_scroll(browser)
    save_shot(browser, f"stats-en-{width}")
