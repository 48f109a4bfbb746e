"""The one parser of typed dates: Jalali or Gregorian, any digits, and only years that can
be meant (a contract signed in year 1, or in a 5,000-digit year, is a typing mistake)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.text import parse_typed_date

TODAY = datetime.datetime(2025, 11, 10, 9, 0, tzinfo=datetime.UTC)  # 1404/08/19 in Tehran


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TODAY)
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("typed", "expected"), [
    ("۱۴۰۴/۰۸/۱۹", datetime.date(2025, 11, 10)),
    ("1300/01/01", datetime.date(1921, 3, 21)),
    ("2025-11-06", datetime.date(2025, 11, 6)),
    ("1921-01-01", datetime.date(1921, 1, 1)),
    ("1414/12/29", datetime.date(2036, 3, 19)),
    ("2035-12-31", datetime.date(2035, 12, 31)),
])
def test_dates_in_either_calendar_within_the_range_are_read(typed, expected):
    assert parse_typed_date(typed) == expected


@pytest.mark.parametrize("typed", [
    "9" * 5000 + "/01/01",  # a year no calendar has (once a server error)
    "1/1/1",                # once stored as 0622-03-21
    "0001/01/01",
    "1299/12/29",           # Jalali before 1300
    "1920-12-31",           # Gregorian before 1921
    "1415/01/01",           # Jalali more than ten years ahead
    "2036-01-01",           # Gregorian more than ten years ahead
    "1699/01/01",
])
def test_years_out_of_range_are_refused_with_the_range(typed):
    with pytest.raises(ValidationError) as refused:
        parse_typed_date(typed)
    assert refused.value.messages == [
        "Enter a year from 1300 to 1414 (Jalali) or from 1921 to 2035 (Gregorian)."
    ]


@pytest.mark.parametrize("typed", ["yesterday", "1404/13/01", "2025-02-30", "1404/08", ""])
def test_text_that_is_no_date_is_a_value_error_for_the_field_to_explain(typed):
    with pytest.raises(ValueError):
        parse_typed_date(typed)
