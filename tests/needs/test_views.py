"""The public catalogue /needs/ and the need page /needs/<id>/."""

import re
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from needs.models import NeedPhoto, NeedStatus
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    displayed_need,
    isfahan_need,
    province,
    sector,
)

pytestmark = pytest.mark.django_db


def shown_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-need="(\d+)"', response.content.decode())]


def result_count(response) -> int:
    return int(re.search(r'class="result-count" data-count="(\d+)"', response.content.decode()).group(1))



# --- what is listed ----------------------------------------------------------------------
def test_catalogue_lists_public_needs_only(client):
    shown = displayed_need()
    NeedFactory(status=NeedStatus.IDENTIFIED)  # not on display yet
    NeedFactory(status=NeedStatus.WITHDRAWN, display_consent=True)
    response = client.get("/needs/")
    assert response.status_code == 200
    assert shown_ids(response) == [shown.pk]


def test_catalogue_shows_count_and_fx_sum_of_the_filtered_set(client, isfahan_shelf):
    isfahan_need(isfahan_shelf, annual_fx_usd=Decimal("1200000"))
    isfahan_need(isfahan_shelf, annual_fx_usd=Decimal("300000"))
    displayed_need(annual_fx_usd=Decimal("9000000"))  # Qom, filtered out
    response = client.get("/en/needs/?province=isfahan")
    assert result_count(response) == 2
    assert Decimal(re.search(r'data-fx="([0-9.]+)"', response.content.decode()).group(1)) == Decimal("1500000")
    assert "$1.5 million" in response.content.decode()


# --- filters -----------------------------------------------------------------------------
def test_filter_by_province_sector_and_fx_finds_isfahan_auto_parts_above_a_million(client, isfahan_shelf):
    wanted = isfahan_need(isfahan_shelf, annual_fx_usd=Decimal("2500000"))
    isfahan_need(isfahan_shelf, annual_fx_usd=Decimal("400000"))  # too small
    isfahan_need(isfahan_shelf, annual_fx_usd=Decimal("3000000"), sector=sector("textile"), title="نخ پلی‌استر")
    displayed_need(annual_fx_usd=Decimal("5000000"))  # Qom
    response = client.get("/needs/", {"province": "isfahan", "sector": "auto-parts", "fx_min": "1000000"})
    assert shown_ids(response) == [wanted.pk]


def test_filter_by_fx_upper_bound_and_persian_digits_in_amounts(client):
    small = displayed_need(annual_fx_usd=Decimal("90000"))
    displayed_need(annual_fx_usd=Decimal("900000"))
    response = client.get("/needs/", {"fx_max": "۱۰۰٬۰۰۰"})
    assert shown_ids(response) == [small.pk]


def test_filter_by_exhibition(client, isfahan_shelf):
    in_isfahan = isfahan_need(isfahan_shelf)
    displayed_need()
    assert shown_ids(client.get("/needs/", {"exhibition": "isfahan"})) == [in_isfahan.pk]


def in_talks(need):
    need.status = NeedStatus.IN_TALKS
    need.save()
    return need


def test_filter_by_status(client):
    talking = in_talks(displayed_need())
    displayed_need()
    assert shown_ids(client.get("/needs/", {"status": "in_talks"})) == [talking.pk]


def test_filter_by_hs_prefix_typed_in_persian_digits(client):
    brake = displayed_need(hs_code="870830")
    displayed_need(hs_code="400911")
    assert shown_ids(client.get("/needs/", {"hs": "۸۷۰۸"})) == [brake.pk]
    assert shown_ids(client.get("/needs/", {"hs": "87.08"})) == [brake.pk]


# --- Persian normalisation of the text search ------------------------------------------------
@pytest.mark.parametrize(
    "stored, query",
    [
        ("ورق آلومینیوم", "ورق آلومينيوم"),  # Arabic yeh typed
        ("کمک فنر", "كمك فنر"),  # Arabic kaf typed
        ("لوله‌های فولادی", "لوله های"),  # ZWNJ stored, space typed
        ("لوله های فولادی", "لوله‌های"),  # space stored, ZWNJ typed
        ("لنت ترمز", "لـــنت"),  # tatweel typed
        ("لنت ترمز", "لَنت"),  # diacritic typed
    ],
)
def test_text_search_normalises_persian_on_both_sides(client, stored, query):
    wanted = displayed_need(title=stored)
    displayed_need(title="پارچه نبافته", hs_code="560300")
    assert shown_ids(client.get("/needs/", {"q": query})) == [wanted.pk]


def test_text_search_finds_hs_code_typed_in_persian_or_arabic_digits(client):
    wanted = displayed_need(hs_code="760612")
    displayed_need(hs_code="870830")
    assert shown_ids(client.get("/needs/", {"q": "۷۶۰۶"})) == [wanted.pk]
    assert shown_ids(client.get("/needs/", {"q": "٧٦٠٦١٢"})) == [wanted.pk]


def test_text_search_matches_sector_and_province_names(client, isfahan_shelf):
    wanted = isfahan_need(isfahan_shelf, title="رینگ پیستون")
    displayed_need(title="نخ", sector=sector("textile"))
    assert shown_ids(client.get("/needs/", {"q": "قطعات خودرو اصفهان"})) == [wanted.pk]


def test_text_search_does_not_find_an_anonymous_buyers_name(client):
    hidden = CompanyFactory(name_fa="صنایع پنهان‌کار")
    displayed_need(buyer=hidden, is_anonymous=True)
    assert shown_ids(client.get("/needs/", {"q": "پنهان"})) == []


# --- sorting -------------------------------------------------------------------------------
def test_sorts_by_fx_both_ways_newest_and_title(client):
    a = displayed_need(title="ب قطعه", title_en="B part", annual_fx_usd=Decimal("300"))
    b = displayed_need(title="الف قطعه", title_en="C part", annual_fx_usd=Decimal("100"))
    c = displayed_need(title="پ قطعه", title_en="A part", annual_fx_usd=Decimal("200"))
    assert shown_ids(client.get("/needs/")) == [a.pk, c.pk, b.pk]  # largest FX first by default
    assert shown_ids(client.get("/needs/", {"sort": "-fx"})) == [a.pk, c.pk, b.pk]
    assert shown_ids(client.get("/needs/", {"sort": "fx"})) == [b.pk, c.pk, a.pk]
    assert shown_ids(client.get("/needs/", {"sort": "newest"})) == [c.pk, b.pk, a.pk]
    assert shown_ids(client.get("/needs/", {"sort": "title"})) == [b.pk, a.pk, c.pk]  # Persian order
    assert shown_ids(client.get("/en/needs/", {"sort": "title"})) == [c.pk, a.pk, b.pk]  # English titles


PERSIAN_ORDER = ["پارس", "چابهار", "ژیان", "کرمان", "گرگان", "ورامین"]  # by code point ورامین comes first


def test_title_a_to_z_follows_the_persian_alphabet(client):
    needs = {title: displayed_need(title=f"{title} قطعه", title_en="") for title in reversed(PERSIAN_ORDER)}
    expected = [needs[title].pk for title in PERSIAN_ORDER]
    assert shown_ids(client.get("/needs/", {"sort": "title"})) == expected
    # English pages sort by the English title; needs without one keep the Persian order.
    assert shown_ids(client.get("/en/needs/", {"sort": "title"})) == expected


@pytest.mark.postgres
@pytest.mark.parametrize(("language", "index"), [("fa", "need_title_idx"), ("en", "need_title_en_idx")])
def test_postgresql_answers_the_title_sort_from_an_index_without_sorting(language, index):
    """With explicit sorts priced out (enable_sort off), a plan that still sorts would mean
    no index holds the titles in Persian order; a plain index on the title cannot."""
    from django.db import connection
    from django.http import QueryDict

    from needs.selectors import need_list

    for title in PERSIAN_ORDER:
        displayed_need(title=title)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE needs_need")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plan = need_list(filters=QueryDict("sort=title"), language=language).qs[:20].explain()
    assert index in plan, plan
    assert "Sort" not in plan, plan


def select_options(response, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', response.content.decode(), re.DOTALL).group(0)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


# The provinces in Persian alphabetical order (chaharmahal, kurdistan ... golestan, gilan
# fall behind hamadan by code point).
PROVINCES_IN_PERSIAN_ORDER = [
    "east-azerbaijan", "west-azerbaijan", "ardabil", "isfahan", "alborz", "ilam", "bushehr", "tehran",
    "chaharmahal-bakhtiari", "south-khorasan", "razavi-khorasan", "north-khorasan", "khuzestan", "zanjan",
    "semnan", "sistan-baluchestan", "fars", "qazvin", "qom", "kurdistan", "kerman", "kermanshah",
    "kohgiluyeh-boyer-ahmad", "golestan", "gilan", "lorestan", "mazandaran", "markazi", "hormozgan",
    "hamadan", "yazd",
]


def test_the_province_and_exhibition_choices_are_in_persian_order(client):
    for slug in ("hamadan", "gilan", "kerman", "tehran"):
        ExhibitionFactory(province=province(slug), slug=slug)
    response = client.get("/needs/")
    assert select_options(response, "province") == PROVINCES_IN_PERSIAN_ORDER
    assert select_options(response, "exhibition") == ["tehran", "kerman", "gilan", "hamadan"]


def test_english_choices_follow_the_english_names(client):
    for slug in ("hamadan", "gilan", "kerman", "tehran"):
        ExhibitionFactory(province=province(slug), slug=slug)
    response = client.get("/en/needs/")
    assert select_options(response, "province")[:3] == ["alborz", "ardabil", "bushehr"]
    assert select_options(response, "exhibition") == ["gilan", "hamadan", "kerman", "tehran"]


# --- bad input -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "field, value",
    [
        ("province", "atlantis"),
        ("sector", "space-travel"),
        ("exhibition", "nowhere"),
        ("status", "withdrawn"),  # not a public status
        ("fx_min", "abc"),
        ("fx_max", "-5"),
        ("hs", "87ab"),
        ("sort", "price"),
    ],
)
def test_a_bad_filter_value_is_an_error_on_that_field_and_the_other_filters_still_apply(client, isfahan_shelf, field, value):
    wanted = isfahan_need(isfahan_shelf)
    displayed_need()  # Qom
    response = client.get("/needs/", {field: value, "province": "isfahan"} if field != "province" else {field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'<div class="field invalid" id="field-{field}">\s*<label for="id_{field}"', html), html[:200]
    assert 'role="alert"' in html
    if field != "province":
        assert shown_ids(response) == [wanted.pk]
    else:
        assert len(shown_ids(response)) == 2  # the province filter is left out, nothing fails


def test_an_upper_fx_bound_below_the_lower_is_reported_and_left_out(client):
    displayed_need(annual_fx_usd=Decimal("500"))
    displayed_need(annual_fx_usd=Decimal("5000"))
    response = client.get("/en/needs/", {"fx_min": "1000", "fx_max": "10"})
    assert "The upper bound is below the lower bound." in response.content.decode()
    assert len(shown_ids(response)) == 1


def test_bad_page_numbers_show_a_page_not_an_error(client):
    displayed_need()
    for page in ("abc", "-1", "999", "۲"):
        assert client.get("/needs/", {"page": page}).status_code == 200


def test_filters_survive_pagination(client, isfahan_shelf):
    for n in range(25):
        isfahan_need(isfahan_shelf, annual_fx_usd=Decimal(1000 + n))
    first = client.get("/needs/", {"province": "isfahan", "sort": "fx"})
    html = first.content.decode()
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "province=isfahan" in next_link and "sort=fx" in next_link and "page=2" in next_link
    second = client.get("/needs/" + next_link)
    assert len(shown_ids(second)) == 5
    assert set(shown_ids(first)).isdisjoint(shown_ids(second))


# --- the cards and the need page -----------------------------------------------------------
def test_anonymous_buyer_shows_as_a_manufacturer_in_its_province(client):
    buyer = CompanyFactory(name_fa="صنایع رازدار قم", name_en="Secretive Industries")
    need = displayed_need(buyer=buyer, is_anonymous=True)
    fa = client.get(f"/needs/{need.pk}/").content.decode()
    en = client.get(f"/en/needs/{need.pk}/").content.decode()
    assert "یک واحد تولیدی در استان قم" in fa and "رازدار" not in fa
    assert "a manufacturer in Qom" in en and "Secretive" not in en
    assert "رازدار" not in client.get("/needs/").content.decode()


def test_named_buyer_is_shown(client):
    need = displayed_need(buyer=CompanyFactory(name_fa="صنایع آشکار"))
    assert "صنایع آشکار" in client.get(f"/needs/{need.pk}/").content.decode()


def test_need_page_shows_photos_shelf_place_and_exhibition(client):
    exhibition = ExhibitionFactory(
        province=province("qom"), venue_fa="مرکز خدمات شکوهیه", address_fa="بلوار اصلی", opening_hours_fa="شنبه تا چهارشنبه",
    )
    need = displayed_need(shelf=ShelfFactory(exhibition=exhibition, code="C-12"), shelf_position=7)
    NeedPhoto.objects.create(need=need, image="needs/a.jpg", thumbnail="needs/a-t.jpg", is_primary=True)
    NeedPhoto.objects.create(need=need, image="needs/b.jpg", thumbnail="needs/b-t.jpg", order=1)
    html = client.get(f"/needs/{need.pk}/").content.decode()
    assert 'قفسه <bdi class="latin shelf-code" dir="ltr" translate="no">C-12</bdi>، جایگاه ۷' in html
    assert "مرکز خدمات شکوهیه" in html and "بلوار اصلی" in html and "شنبه تا چهارشنبه" in html
    assert 'href="/media/needs/a.jpg"' in html and 'href="/media/needs/b.jpg"' in html  # full size on demand
    assert 'src="/media/needs/b-t.jpg"' in html  # thumbnails
    assert "۸۷۰۸۳۰" in html  # HS code in Persian digits


def test_need_page_in_english_uses_english_fields_and_gregorian_dates(client):
    need = displayed_need(title_en="Brake pads")
    html = client.get(f"/en/needs/{need.pk}/").content.decode()
    assert "Brake pads" in html and "10 October 2025" in html and "Shelf <bdi class=\"latin shelf-code\"" in html


def test_declare_readiness_leads_to_the_declaration_or_to_sign_in(client):
    need = displayed_need()
    html = client.get(f"/needs/{need.pk}/").content.decode()
    try:
        target = reverse("matchmaking:interest-declare", args=[need.pk])
    except NoReverseMatch:
        try:
            target = reverse("accounts:login")
        except NoReverseMatch:
            target = reverse("admin:login")
    assert f'href="{target}' in html


def test_need_page_lists_related_needs(client):
    need = displayed_need(hs_code="870830")
    related = displayed_need(hs_code="870899", title="دیسک کلاچ")
    other = displayed_need(hs_code="520100", sector=sector("textile"), title="الیاف پنبه")
    ids = shown_ids(client.get(f"/needs/{need.pk}/"))
    assert related.pk in ids and other.pk not in ids and need.pk not in ids


@pytest.mark.parametrize("status, consent", [(NeedStatus.IDENTIFIED, True), (NeedStatus.WITHDRAWN, True), (NeedStatus.IDENTIFIED, False)])
def test_need_page_is_404_for_needs_the_public_may_not_see(client, status, consent):
    need = NeedFactory(status=status, display_consent=consent)
    assert client.get(f"/needs/{need.pk}/").status_code == 404


# --- speed ---------------------------------------------------------------------------------
def _many_needs(n: int):
    shelf = ShelfFactory(exhibition=ExhibitionFactory(province=province("qom")), positions=n + 1)
    buyer = CompanyFactory()
    needs = [displayed_need(buyer=buyer, shelf=shelf, annual_fx_usd=Decimal(1000 + i)) for i in range(n)]
    NeedPhoto.objects.bulk_create(
        [NeedPhoto(need=need, image=f"needs/{need.pk}.jpg", thumbnail=f"needs/{need.pk}-t.jpg", is_primary=True) for need in needs]
    )
    return needs


@pytest.mark.parametrize("rows", [20, 100])
def test_catalogue_runs_at_most_eight_queries(client, django_assert_max_num_queries, rows):
    needs = _many_needs(rows)
    with django_assert_max_num_queries(8):
        response = client.get("/needs/", {"q": "لنت", "sector": "auto-parts", "sort": "newest"})
    assert len(shown_ids(response)) == 20
    everything = {"q": "لنت", "province": "qom", "sector": "auto-parts", "exhibition": needs[0].exhibition.slug,
                  "hs": "8708", "fx_min": "1000", "fx_max": "۹۹۹۹۹", "status": "on_display", "sort": "title"}
    with django_assert_max_num_queries(8):
        response = client.get("/needs/", everything)
    assert len(shown_ids(response)) == 20
    with django_assert_max_num_queries(8):
        client.get(f"/needs/{needs[0].pk}/")
    with django_assert_max_num_queries(8):
        client.get("/en/needs/", {"page": 2})


# --- conditional GET -----------------------------------------------------------------------
def test_anonymous_visitors_get_304_until_the_data_change(client, django_assert_num_queries):
    need = displayed_need()
    first = client.get("/needs/")
    etag = first["ETag"]
    assert etag and "must-revalidate" in first["Cache-Control"]
    with django_assert_num_queries(1):
        again = client.get("/needs/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    need.annual_fx_usd = Decimal("777")
    need.save()
    changed = client.get("/needs/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_bulk_change_without_signals_changes_the_etag(client):
    need = displayed_need()
    etag = client.get(f"/needs/{need.pk}/")["ETag"]
    type(need).objects.filter(pk=need.pk).update(status=NeedStatus.IN_TALKS)
    assert client.get(f"/needs/{need.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_each_language_and_query_has_its_own_etag(client):
    displayed_need()
    tags = {client.get(url)["ETag"] for url in ("/needs/", "/en/needs/", "/needs/?sort=fx")}
    assert len(tags) == 3


def test_signed_in_users_get_no_etag(client, supplier_user):
    displayed_need()
    client.force_login(supplier_user)
    assert not client.get("/needs/").has_header("ETag")


@pytest.mark.parametrize("amount", ["1" + "0" * 40, "1e400", "0.123456789"])
def test_an_fx_bound_the_database_cannot_hold_is_a_field_error_not_a_500(client, amount):
    # Found by the fuzz test: PostgreSQL refuses to compare numeric(14, 2) with such values.
    response = client.get("/en/needs/", {"fx_min": amount})
    assert response.status_code == 200
    assert "fx_min" in response.context["filter"].form.errors
