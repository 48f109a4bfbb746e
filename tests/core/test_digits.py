"""core.digits: Persian digits in everything a Persian reader sees (pages, the admin, mail,
calendar files), Latin digits kept where they are data (URLs, addresses, scripts, input
values, codes such as A-07) and on English pages."""

import datetime
import re

import pytest
from django.contrib import admin
from django.utils import translation
from icalendar import Calendar

from core.digits import persian_digits_in_html, persian_digits_in_text
from core.ics import TEHRAN, CalendarEvent, calendar_file
from core.mail import compose_letter

LATIN_DIGIT = re.compile(r"[0-9]")


def visible_text(html: str) -> str:
    """What a reader sees of a page: text outside scripts and styles, and the attributes
    read out or shown (title, alt, placeholder, aria-label)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    shown = re.findall(r'\b(?:title|alt|placeholder|aria-label)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", "\n", html)
    return "\n".join([text, *shown])


def latin_digits_seen(html: str) -> list[str]:
    """The lines of visible text that still hold a Latin digit, e-mail addresses, URLs and
    codes with Latin letters (A-07) aside."""
    lines = []
    for line in visible_text(html).splitlines():
        rest = re.sub(r"\S+@\S+|https?://\S+|[A-Za-z]+[\w-]*[0-9][\w-]*|&#x?[0-9a-fA-F]+;", "", line)
        if LATIN_DIGIT.search(rest):
            lines.append(line.strip())
    return lines


# --- plain text -------------------------------------------------------------------------------
def test_plain_text_gets_persian_digits():
    assert persian_digits_in_text("نوبت 1، نگین 7، 1404/08/15 ساعت 10:30") == "نوبت ۱، نگین ۷، ۱۴۰۴/۰۸/۱۵ ساعت ۱۰:۳۰"


def test_urls_and_email_addresses_keep_their_digits():
    text = "صفحه تور: https://portal.example/tours/12/?p=3 و نشانی user7@maker2.example برای 2 نفر"
    assert persian_digits_in_text(text) == (
        "صفحه تور: https://portal.example/tours/12/?p=3 و نشانی user7@maker2.example برای ۲ نفر"
    )


def test_codes_with_latin_letters_keep_their_digits():
    assert persian_digits_in_text("قفسه A-07، جایگاه 4؛ ISO-9001") == "قفسه A-07، جایگاه ۴؛ ISO-9001"


def test_character_references_are_left_whole():
    assert persian_digits_in_text("a&#39;b &#x200c; 5") == "a&#39;b &#x200c; ۵"


# --- HTML ---------------------------------------------------------------------------------------
def test_text_nodes_get_persian_digits_and_markup_does_not():
    html = '<p class="col-2" id="n12" data-count="3"><a href="/needs/12/?page=2">نیاز 12</a> از 30</p>'
    assert persian_digits_in_html(html) == (
        '<p class="col-2" id="n12" data-count="3"><a href="/needs/12/?page=2">نیاز ۱۲</a> از ۳۰</p>'
    )


def test_read_attributes_get_persian_digits_and_input_values_do_not():
    html = (
        '<img src="/media/p12.jpg" alt="عکس 2"><abbr title="2 نفر">2</abbr>'
        '<input name="hs" value="870830" placeholder="مثلاً 870830" aria-label="کد 6 رقمی">'
        '<input type="submit" value="صفحه 2"><option value="5">5 نفر</option>'
    )
    assert persian_digits_in_html(html) == (
        '<img src="/media/p12.jpg" alt="عکس ۲"><abbr title="۲ نفر">۲</abbr>'
        '<input name="hs" value="870830" placeholder="مثلاً ۸۷۰۸۳۰" aria-label="کد ۶ رقمی">'
        '<input type="submit" value="صفحه ۲"><option value="5">۵ نفر</option>'
    )


def test_scripts_styles_code_and_typed_text_are_untouched():
    html = (
        '<script>var a = 1 < 2;</script><style>.a{width:10px}</style>'
        "<pre>1 2 3</pre><code>x = 4</code><textarea name=m>نوبت 5</textarea>"
        '<script type="application/json" id="data-1">{"n": 7}</script><p>8</p>'
    )
    assert persian_digits_in_html(html) == html.replace("<p>8</p>", "<p>۸</p>")


def test_comments_and_the_doctype_are_untouched():
    html = "<!DOCTYPE html><!-- build 42 --><p>42</p>"
    assert persian_digits_in_html(html) == "<!DOCTYPE html><!-- build 42 --><p>۴۲</p>"


def test_marked_latin_text_and_english_text_keep_their_digits():
    html = (
        '<span class="meta latin">B <b>7</b>-2</span> 3 '
        '<span translate="no">v 2</span> <span lang="en">Page 4</span> '
        '<span dir="ltr">021 5555</span> <span lang="fa">5</span><br/>6'
    )
    assert persian_digits_in_html(html) == (
        '<span class="meta latin">B <b>7</b>-2</span> ۳ '
        '<span translate="no">v 2</span> <span lang="en">Page 4</span> '
        '<span dir="ltr">۰۲۱ ۵۵۵۵</span> <span lang="fa">۵</span><br/>۶'
    )


def test_a_marked_element_ends_at_its_own_closing_tag_however_nested():
    html = '<div class="latin"><div>1</div>2</div>3<img class="latin" alt="4">5'
    assert persian_digits_in_html(html) == '<div class="latin"><div>1</div>2</div>۳<img class="latin" alt="4">۵'


def test_converting_twice_changes_nothing_more():
    html = '<p title="2 نفر">نوبت 1 <a href="mailto:a1@b.example">a1@b.example</a></p>'
    once = persian_digits_in_html(html)
    assert once == '<p title="۲ نفر">نوبت ۱ <a href="mailto:a1@b.example">a1@b.example</a></p>'
    assert persian_digits_in_html(once) == once


# --- pages ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_persian_signup_page_shows_djangos_help_texts_in_persian_digits(client):
    page = client.get("/account/signup/").content.decode()

    assert "۱۵۰ کاراکتر یا کمتر" in page
    assert "حداقل از ۸ حرف" in page
    assert latin_digits_seen(page) == []


@pytest.mark.django_db
def test_the_english_signup_page_keeps_latin_digits(client):
    page = client.get("/en/account/signup/").content.decode()

    assert "150 characters or fewer" in page
    assert not re.search("[۰-۹]", visible_text(page))


@pytest.mark.django_db
def test_a_persian_admin_changelist_shows_counts_pages_and_dates_in_persian_digits(client, national_staff, monkeypatch):
    from tests.factories import TourFactory
    from tours.models import Tour

    for _ in range(3):
        TourFactory(title="تور قطعه 3")
    monkeypatch.setattr(admin.site._registry[Tour], "list_per_page", 2)
    client.force_login(national_staff)

    page = client.get("/admin/tours/tour/").content.decode()

    assert "تور قطعه ۳" in page
    assert re.search(r"۳\s+تور", page)  # the count beside the pages
    assert re.search(r'<a href="\?p=2"[^>]*>۲</a>', page)  # pagination: Persian text, Latin link
    assert latin_digits_seen(page) == []


@pytest.mark.django_db
def test_the_page_cache_keeps_the_converted_page_and_serves_it_without_converting_again(client, monkeypatch):
    import core.digits
    from tests.factories import displayed_need

    displayed_need(title="نگین 7")
    calls = []
    convert = core.digits.persian_digits_in_html
    monkeypatch.setattr(core.digits, "persian_digits_in_html", lambda html: calls.append(1) or convert(html))

    first = client.get("/needs/").content.decode()
    assert "نگین ۷" in first and len(calls) == 1
    again = client.get("/needs/").content.decode()
    assert again == first and len(calls) == 1


@pytest.mark.django_db
def test_api_responses_keep_latin_digits(client):
    from tests.factories import displayed_need

    displayed_need(title="نگین 7")
    assert "نگین 7" in client.get("/api/needs/", HTTP_ACCEPT="application/json").content.decode()


# --- mail and calendar files --------------------------------------------------------------------
def test_a_persian_letter_has_persian_digits_and_a_latin_link():
    letter = compose_letter(
        to="user7@maker.example", subject="نوبت 1", lines=["برای 2 نفر", "پاسخ به office3@maker.example"],
        link="https://portal.example/tours/12/",
    )
    assert letter.subject == "نوبت ۱"
    assert "برای ۲ نفر" in letter.body
    assert "پاسخ به office3@maker.example" in letter.body
    assert "https://portal.example/tours/12/" in letter.body
    assert letter.to == "user7@maker.example"


def test_an_english_letter_keeps_latin_digits():
    with translation.override("en"):
        letter = compose_letter(to="a@b.example", subject="Slot 1", lines=["For 2 attendees"])
    assert letter.subject == "Slot 1"
    assert "For 2 attendees" in letter.body


def _event(**fields) -> CalendarEvent:
    starts = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=TEHRAN)
    return CalendarEvent(
        uid="tour-registration-12@portal.example", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
        summary="تور 3", description="ثبت‌نام برای 2 نفر\nhttps://portal.example/tours/12/",
        location="سالن 4", url="https://portal.example/tours/12/", **fields,
    )


def test_a_persian_calendar_file_has_persian_digits_in_its_texts_only():
    (vevent,) = Calendar.from_ical(calendar_file(_event(), method="PUBLISH", prodid="-//t//EN").content).walk("VEVENT")

    assert str(vevent["summary"]) == "تور ۳"
    assert str(vevent["description"]) == "ثبت‌نام برای ۲ نفر\nhttps://portal.example/tours/12/"
    assert str(vevent["location"]) == "سالن ۴"
    assert str(vevent["url"]) == "https://portal.example/tours/12/"
    assert str(vevent["uid"]) == "tour-registration-12@portal.example"
    assert vevent["dtstart"].dt == datetime.datetime(2026, 12, 5, 10, 0, tzinfo=TEHRAN)


def test_an_english_calendar_file_keeps_latin_digits():
    with translation.override("en"):
        content = calendar_file(_event(), method="PUBLISH", prodid="-//t//EN").content
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["summary"]) == "تور 3"
