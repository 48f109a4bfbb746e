"""Date inputs in the reader's calendar, with the Jalali date picker served from static/ and
no inline script (the Content Security Policy allows scripts from our own files only)."""

import datetime
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from core.widgets import JalaliDateInput


class DayForm(forms.Form):
    day = forms.DateField(widget=JalaliDateInput(), required=False)


def test_a_date_is_shown_in_jalali_with_persian_digits_and_the_picker_on_persian_pages():
    html = str(DayForm(initial={"day": datetime.date(2025, 10, 10)})["day"])
    assert 'value="۱۴۰۴/۰۷/۱۸"' in html and "data-jdp" in html and 'dir="ltr"' in html


def test_a_date_is_shown_in_gregorian_without_the_picker_on_english_pages():
    with translation.override("en"):
        html = str(DayForm(initial={"day": datetime.date(2025, 10, 10)})["day"])
    assert 'value="2025-10-10"' in html and "data-jdp" not in html


def test_what_was_typed_is_shown_again_as_typed():
    html = str(DayForm(data={"day": "1404/7/18"})["day"])
    assert 'value="1404/7/18"' in html


def test_the_picker_comes_from_static_files():
    media = str(DayForm().media)
    assert "jalali-datepicker/jalalidatepicker.min.js" in media and "jalali-datepicker/jalali-inputs.js" in media
    assert "jalali-datepicker/jalalidatepicker.min.css" in media


@pytest.mark.django_db
def test_the_tour_filters_offer_the_picker_without_an_inline_script(client):
    html = client.get(reverse("tours:list")).content.decode()
    assert re.search(r'<input[^>]*name="date_from"[^>]*data-jdp', html)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/static/' in attrs and body.strip() == "" for attrs, body in scripts)
    assert "jalali-datepicker/jalali-inputs.js" in html
