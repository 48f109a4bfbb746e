"""Shelf labels are printed only for needs the public catalogue shows, so every printed QR
code opens a page a visitor may see."""

import os
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
import segno
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageDraw

from core.text import to_persian_digits
from needs.models import NeedStatus
from needs.shelf_labels import need_public_url
from tests.factories import (
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    displayed_need,
    province,
)

pytestmark = pytest.mark.django_db

SITE_URL = "https://portal.example.ir"


def on_shelf(shown, **kwargs):
    """Another need of `shown`'s buyer at the next place of the same shelf."""
    return NeedFactory(
        buyer=shown.buyer, exhibition=shown.exhibition, shelf=shown.shelf,
        shelf_position=shown.shelf.needs.count() + 1, **kwargs,
    )


def labels_page(client, exhibition) -> str:
    response = client.get(reverse("admin:needs_need_shelf_labels", args=[exhibition.pk]))
    assert response.status_code == 200
    return response.content.decode()


def label_articles(page: str) -> list[str]:
    return re.findall(r'<article class="shelf-label">(.*?)</article>', page, re.DOTALL)


def qr_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of a QR code as segno draws it: one path of horizontal runs
    ("M2 2.5h7m1 0h6 ..."), in module units before the scale transform."""
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", path):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(values[0])))
            x += values[0]
    return dark


def decode_with_zbar(modules: set[tuple[int, int]], tmp_path) -> list[str]:
    """Decode the QR code with zbar (zbarimg, from zbar-tools), the way a phone's camera
    reads the print."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        if os.environ.get("CI"):
            pytest.fail("zbar-tools (zbarimg) is missing in CI: .ci/run installs it")
        pytest.skip("zbar-tools (zbarimg) is not installed: apt-get install zbar-tools")
    size, scale = max(max(x, y) for x, y in modules) + 3, 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in modules:
        draw.rectangle([x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1], fill=0)
    image.save(tmp_path / "label-qr.png")
    result = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(tmp_path / "label-qr.png")], capture_output=True, text=True, check=True,
    )
    return result.stdout.splitlines()


def test_a_need_on_a_shelf_without_display_consent_gets_no_label(client, qom_staff, settings):
    settings.SITE_URL = SITE_URL
    shelf = ShelfFactory(exhibition=ExhibitionFactory(province=province("qom")), code="B-07")
    shown = displayed_need(shelf=shelf, title="بلبرینگ نمایشی", title_en="Display bearing")
    # Talks started, then the company withdrew its consent to display.
    private = on_shelf(
        shown, title="قالب بدون رضایت", title_en="Private mould", status=NeedStatus.IN_TALKS, display_consent=False,
    )
    client.force_login(qom_staff)

    with translation.override("en"):
        page = labels_page(client, shelf.exhibition)

    articles = label_articles(page)
    assert len(articles) == 1 and shown.title_en in articles[0]
    assert private.title_en not in "".join(articles)
    assert f"/needs/{private.pk}/" not in page
    # Staff are told that one need was left out, and why.
    assert "1 need on this exhibition's shelves has no label" in page
    assert "the public catalogue does not show it" in page


def test_needs_that_are_not_on_display_are_left_out_and_counted(client, qom_staff):
    shelf = ShelfFactory(exhibition=ExhibitionFactory(province=province("qom")))
    shown = displayed_need(shelf=shelf)
    on_shelf(shown, status=NeedStatus.CONTRACTED, display_consent=False)
    on_shelf(shown, status=NeedStatus.IDENTIFIED, display_consent=True)
    client.force_login(qom_staff)

    with translation.override("en"):
        page = labels_page(client, shelf.exhibition)

    assert len(label_articles(page)) == 1
    assert "2 needs on this exhibition's shelves have no label" in page


def test_the_qr_code_of_a_public_need_opens_its_public_page(client, qom_staff, settings, tmp_path):
    settings.SITE_URL = SITE_URL
    need = displayed_need(province=province("qom"), title="پمپ هیدرولیک")
    client.force_login(qom_staff)

    [article] = label_articles(labels_page(client, need.exhibition))
    modules = qr_modules(re.search(r"<svg.*?</svg>", article, re.DOTALL).group(0))

    url = f"{SITE_URL}/needs/{need.pk}/"
    # The printed symbol is exactly the QR code of the public URL (segno is deterministic)...
    expected = segno.make(url, error="m")
    assert modules == {(x + 2, y + 2) for y, row in enumerate(expected.matrix) for x, dark in enumerate(row) if dark}
    # ...and that URL answers 200 to an anonymous visitor, showing this need.
    client.logout()
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200 and need.title in response.content.decode()

    assert decode_with_zbar(modules, tmp_path) == [url]


def labels_url(exhibition):
    return reverse("admin:needs_need_shelf_labels", args=[exhibition.pk])



def test_shelf_labels_have_place_title_sector_hs_code_and_a_qr_code_to_the_public_page(client, qom_staff, settings):
    settings.SITE_URL = "https://portal.example.ir"
    shelf = ShelfFactory(exhibition=ExhibitionFactory(province=province("qom")), code="A-03")
    shown = [displayed_need(shelf=shelf, title=f"نیاز {i}", hs_code=f"84082{i}") for i in range(3)]
    # On the same shelf, but not shown by the catalogue (no display consent): no label.
    hidden = NeedFactory(buyer=shown[0].buyer, title="نیاز شناسایی‌شده", exhibition=shelf.exhibition,
                         shelf=shelf, shelf_position=9, display_consent=False)
    client.force_login(qom_staff)

    # Reachable from the exhibition's admin page.
    change_page = client.get(reverse("admin:exhibitions_exhibition_change", args=[shelf.exhibition.pk])).content.decode()
    assert labels_url(shelf.exhibition) in change_page

    page = client.get(labels_url(shelf.exhibition)).content.decode()
    labels = page.split('class="shelf-label"')[1:]
    assert len(labels) == 3 and not any(hidden.title in label for label in labels)
    for need in shown:
        url = need_public_url(need)
        assert url == f"https://portal.example.ir/needs/{need.pk}/"
        # The printed QR code is exactly segno's encoding of the public URL.
        assert segno.make(url, error="m").svg_inline(scale=3, omitsize=True, border=2) in page
        assert to_persian_digits(need.title) in page and need.sector.name_fa in page  # "نیاز ۰"
    assert "A-03" in page and "۸۴۰۸۲۰" in page



def test_tehran_labels_are_404_for_qom_staff(client, qom_staff):
    tehran = ExhibitionFactory(province=province("tehran"), slug="tehran-z")
    client.force_login(qom_staff)
    assert client.get(labels_url(tehran)).status_code == 404



# --- labels for one need, one shelf, or a selection (issue 12, point 6) -------------------------
def one_need_url(need):
    return reverse("admin:needs_need_shelf_label", args=[need.pk])


def shelf_url(shelf):
    return reverse("admin:needs_need_shelf_labels_shelf", args=[shelf.pk])


def test_one_need_gets_its_own_label_from_its_change_page_and_its_row(client, qom_staff, settings, tmp_path):
    settings.SITE_URL = SITE_URL
    need = displayed_need(province=province("qom"), title="پمپ هیدرولیک")
    neighbour = on_shelf(need, title="شیر صنعتی", status=NeedStatus.ON_DISPLAY, display_consent=True)
    client.force_login(qom_staff)

    change_page = client.get(reverse("admin:needs_need_change", args=[need.pk])).content.decode()
    assert one_need_url(need) in change_page
    changelist = client.get(reverse("admin:needs_need_changelist")).content.decode()
    assert one_need_url(need) in changelist and one_need_url(neighbour) in changelist

    response = client.get(one_need_url(need))
    assert response.status_code == 200
    [article] = label_articles(response.content.decode())
    assert need.title in article and neighbour.title not in article
    modules = qr_modules(re.search(r"<svg.*?</svg>", article, re.DOTALL).group(0))
    assert decode_with_zbar(modules, tmp_path) == [f"{SITE_URL}/needs/{need.pk}/"]


def test_a_need_the_public_does_not_see_gets_no_label_and_the_page_says_why(client, qom_staff):
    need = displayed_need(province=province("qom"))
    hidden = on_shelf(need, title="قالب محرمانه", status=NeedStatus.IN_TALKS, display_consent=False)
    client.force_login(qom_staff)

    changelist = client.get(reverse("admin:needs_need_changelist")).content.decode()
    assert one_need_url(hidden) not in changelist  # no label link in its row

    with translation.override("en"):
        page = client.get(one_need_url(hidden)).content.decode()
    assert label_articles(page) == [] and f"/needs/{hidden.pk}/" not in page
    assert "This need gets no label" in page and "without display consent" in page


def test_a_shelf_prints_the_labels_of_its_own_needs_only(client, qom_staff):
    exhibition = ExhibitionFactory(province=province("qom"))
    shelf = ShelfFactory(exhibition=exhibition, code="C-01")
    other = ShelfFactory(exhibition=exhibition, code="C-02")
    ours = [displayed_need(shelf=shelf, title_en=f"Shelf need {i}") for i in range(2)]
    theirs = displayed_need(shelf=other, title_en="Other shelf need")
    on_shelf(ours[0], status=NeedStatus.IDENTIFIED, display_consent=True)
    client.force_login(qom_staff)

    # Reachable from the shelf list and from the exhibition's shelf rows.
    assert shelf_url(shelf) in client.get(reverse("admin:exhibitions_shelf_changelist")).content.decode()
    exhibition_page = client.get(reverse("admin:exhibitions_exhibition_change", args=[exhibition.pk]))
    assert shelf_url(shelf) in exhibition_page.content.decode() and shelf_url(other) in exhibition_page.content.decode()

    with translation.override("en"):
        page = client.get(shelf_url(shelf)).content.decode()
    articles = label_articles(page)
    assert len(articles) == 2 and all(any(n.title_en in a for a in articles) for n in ours)
    assert theirs.title_en not in page
    assert "1 need on this shelf has no label" in page


def test_staff_print_labels_for_the_needs_they_select(client, qom_staff):
    chosen = [displayed_need(province=province("qom"), title_en=f"Chosen need {i}") for i in range(2)]
    not_chosen = displayed_need(province=province("qom"), title_en="Need not chosen")
    not_shown = NeedFactory(buyer=chosen[0].buyer, title_en="Need off the shelves", display_consent=True)
    client.force_login(qom_staff)

    with translation.override("en"):
        response = client.post(reverse("admin:needs_need_changelist"), {
            "action": "print_shelf_labels", "_selected_action": [n.pk for n in [*chosen, not_shown]],
        })
    assert response.status_code == 200
    page = response.content.decode()
    articles = label_articles(page)
    assert len(articles) == 2 and all(any(n.title_en in a for a in articles) for n in chosen)
    assert not_chosen.title_en not in page
    assert "1 of the chosen needs gets no label" in page and "not on a shelf" in page


def test_qom_staff_get_no_label_of_a_tehran_need_or_shelf(client, qom_staff):
    tehran = displayed_need(province=province("tehran"), title="نیاز تهران")
    qom = displayed_need(province=province("qom"), title="نیاز قم")
    client.force_login(qom_staff)

    assert client.get(one_need_url(tehran)).status_code == 404
    assert client.get(shelf_url(tehran.shelf)).status_code == 404
    response = client.post(reverse("admin:needs_need_changelist"), {
        "action": "print_shelf_labels", "_selected_action": [tehran.pk, qom.pk],
    })
    page = response.content.decode()
    assert len(label_articles(page)) == 1 and qom.title in page and tehran.title not in page
