"""A shelf place reads the same on every page, as it is printed on the shelf label:
"قفسه A-07، جایگاه ۴" / "Shelf A-07, place 4", the code always in Latin letters and digits
(marked for the Persian-digits pass and isolated left to right)."""

import re

import pytest
from django.utils import translation

from needs.templatetags.need_tags import shelf_place, shelf_place_text
from tests.factories import (
    ExhibitionFactory,
    ShelfFactory,
    TourFactory,
    declaration,
    displayed_need,
    parties,
    province,
    sector,
)

pytestmark = pytest.mark.django_db

CODE = '<bdi class="latin shelf-code" dir="ltr" translate="no">A-07</bdi>'


@pytest.fixture
def need():
    exhibition = ExhibitionFactory(province=province("qom"))
    return displayed_need(shelf=ShelfFactory(exhibition=exhibition, code="A-07"), shelf_position=4, sector=sector("auto-parts"))


def test_a_shelf_place_reads_as_on_the_label(need):
    assert shelf_place(need) == f"قفسه {CODE}، جایگاه ۴"
    assert shelf_place_text(need) == "قفسه A-07، جایگاه ۴"
    with translation.override("en"):
        assert shelf_place(need) == f"Shelf {CODE}, place 4"
        assert shelf_place_text(need) == "Shelf A-07, place 4"


def test_a_need_off_the_shelves_has_no_place():
    assert shelf_place(displayed_need().__class__(title="x")) == ""


def _places(html: str) -> list[str]:
    return re.findall(r"(?:قفسه|Shelf) <bdi class=\"latin shelf-code\"[^>]*>[^<]+</bdi>[،,] (?:جایگاه|place) [۰-۹0-9]+", html)


def test_the_tour_page_the_declaration_page_and_the_catalogue_show_one_format(client, need):
    tour = TourFactory(exhibition=need.exhibition)
    tour.sectors.set([need.sector])
    interest = declaration(need=need)
    _buyer, supplier = parties(interest)
    expected = f"قفسه {CODE}، جایگاه ۴"
    assert expected in _places(client.get(f"/tours/{tour.pk}/").content.decode())
    assert expected in _places(client.get(f"/needs/{need.pk}/").content.decode())
    assert expected in _places(client.get("/needs/").content.decode())
    client.force_login(supplier)
    assert expected in _places(client.get(f"/account/declarations/{interest.pk}/").content.decode())
