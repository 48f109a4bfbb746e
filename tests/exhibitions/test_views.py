"""The exhibitions pages: every province's status, and one exhibition's shelves and tours."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from exhibitions.models import Exhibition
from needs.models import NeedPhoto
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    TourFactory,
    displayed_need,
    province,
)

pytestmark = pytest.mark.django_db


def test_list_shows_every_province_with_status_pilot_flag_and_opening_date(client):
    ExhibitionFactory(province=province("isfahan"), slug="isfahan", is_pilot=True, opened_on=datetime.date(2025, 10, 5))
    ExhibitionFactory(province=province("mazandaran"), slug="mazandaran", is_pilot=True,
                      status=Exhibition.Status.EQUIPPING, opened_on=None)
    ExhibitionFactory(province=province("ilam"), slug="ilam", status=Exhibition.Status.PLANNED, opened_on=None)
    html = client.get("/exhibitions/").content.decode()
    statuses = dict(re.findall(r'data-province="([a-z-]+)" data-status="(\w+)"', html))
    assert len(statuses) == 31  # provinces without an exhibition are listed as planned
    assert statuses["isfahan"] == "open" and statuses["mazandaran"] == "equipping" and statuses["ilam"] == "planned"
    assert statuses["yazd"] == "planned"
    assert "۱۳ مهر ۱۴۰۴" in html  # 5 October 2025, Jalali
    assert html.count('class="badge pilot"') == 2
    en = client.get("/en/exhibitions/").content.decode()
    assert "5 October 2025" in en


def listed(html: str, status: str) -> list[str]:
    return re.findall(rf'data-province="([a-z-]+)" data-status="{status}"', html)


# By code point چ ک گ come after ه: chaharmahal, kurdistan ... gilan would follow hamadan.
PROVINCES_IN_PERSIAN_ORDER = [
    "east-azerbaijan", "west-azerbaijan", "ardabil", "isfahan", "alborz", "ilam", "bushehr", "tehran",
    "chaharmahal-bakhtiari", "south-khorasan", "razavi-khorasan", "north-khorasan", "khuzestan", "zanjan",
    "semnan", "sistan-baluchestan", "fars", "qazvin", "qom", "kurdistan", "kerman", "kermanshah",
    "kohgiluyeh-boyer-ahmad", "golestan", "gilan", "lorestan", "mazandaran", "markazi", "hormozgan",
    "hamadan", "yazd",
]


def test_list_puts_provinces_in_persian_alphabetical_order(client):
    assert listed(client.get("/exhibitions/").content.decode(), "planned") == PROVINCES_IN_PERSIAN_ORDER


def test_english_list_puts_provinces_in_english_alphabetical_order(client):
    planned = listed(client.get("/en/exhibitions/").content.decode(), "planned")
    assert planned[:4] == ["alborz", "ardabil", "bushehr", "chaharmahal-bakhtiari"]
    assert planned[-2:] == ["yazd", "zanjan"]


def test_exhibitions_opened_on_the_same_day_are_listed_in_persian_order(client):
    for slug in ("hamadan", "kerman", "gilan", "chaharmahal-bakhtiari"):
        ExhibitionFactory(province=province(slug), slug=slug, opened_on=datetime.date(2025, 10, 4))
    ExhibitionFactory(province=province("yazd"), slug="yazd", opened_on=datetime.date(2025, 9, 1))  # opened first
    html = client.get("/exhibitions/").content.decode()
    assert listed(html, "open") == ["yazd", "chaharmahal-bakhtiari", "kerman", "gilan", "hamadan"]


def test_list_counts_samples_on_display(client):
    shelf = ShelfFactory(exhibition=ExhibitionFactory(province=province("qom"), slug="qom"))
    for _ in range(3):
        displayed_need(shelf=shelf)
    NeedFactory(buyer=CompanyFactory(), exhibition=shelf.exhibition)  # identified: not counted
    assert "۳ نمونه در نمایش" in client.get("/exhibitions/").content.decode()


def test_detail_shows_venue_hours_needs_grouped_by_shelf_and_upcoming_tours(client):
    exhibition = ExhibitionFactory(
        province=province("qom"), slug="qom", venue_fa="مرکز خدمات شکوهیه", opening_hours_fa="شنبه تا چهارشنبه ۸ تا ۱۶",
        address_fa="شهرک صنعتی شکوهیه",
    )
    a, b = ShelfFactory(exhibition=exhibition, code="A-01"), ShelfFactory(exhibition=exhibition, code="B-02")
    first = displayed_need(shelf=b, title="لنت ترمز", shelf_position=2)
    second = displayed_need(shelf=a, title="کمک فنر", shelf_position=5)
    TourFactory(exhibition=exhibition, title="تور قطعه‌سازان")
    past = TourFactory(exhibition=exhibition, title="تور گذشته")
    type(past).objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=3), ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
        registration_deadline=timezone.now() - datetime.timedelta(days=4),
    )
    html = client.get("/exhibitions/qom/").content.decode()
    assert "مرکز خدمات شکوهیه" in html and "شنبه تا چهارشنبه ۸ تا ۱۶" in html and "شهرک صنعتی شکوهیه" in html
    shelves = re.findall(r'<h3 class="shelf-code" id="shelf-\d+">قفسه <bdi class="latin shelf-code"[^>]*>([A-Z0-9-]+)</bdi></h3>', html)
    assert shelves == ["A-01", "B-02"]
    assert html.index(f"/needs/{second.pk}/") < html.index(f"/needs/{first.pk}/")
    assert "تور قطعه‌سازان" in html and "تور گذشته" not in html


def test_detail_of_an_unknown_exhibition_is_404(client):
    assert client.get("/exhibitions/atlantis/").status_code == 404


@pytest.mark.parametrize("rows", [20, 100])
def test_exhibition_pages_run_at_most_eight_queries(client, django_assert_max_num_queries, rows):
    exhibition = ExhibitionFactory(province=province("qom"), slug="qom")
    buyer = CompanyFactory()
    for s in range(rows // 10):
        shelf = ShelfFactory(exhibition=exhibition, positions=10)
        for position in range(1, 11):
            need = displayed_need(buyer=buyer, shelf=shelf, shelf_position=position, annual_fx_usd=Decimal(position))
            NeedPhoto.objects.create(need=need, image="needs/x.jpg", thumbnail="needs/x-t.jpg", is_primary=True)
    TourFactory(exhibition=exhibition)
    with django_assert_max_num_queries(8):
        assert client.get("/exhibitions/").status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get("/exhibitions/qom/")
    assert response.content.decode().count('class="pos"') == min(rows, 48)
