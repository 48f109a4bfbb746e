"""Numbers, money and dates in the reader's language: Persian digits and Jalali dates in
Persian, Gregorian in English. Templates use them through the `formats` tag library."""

import datetime
from decimal import Decimal

import jdatetime
from django.utils import timezone

from core.i18n import is_persian
from core.text import to_persian_digits

JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]


# The Jalali months as English pages name them.
JALALI_MONTHS_EN = [
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
]


def jalali_month(day) -> str:
    """The Jalali month of a Gregorian date as "YYYY-MM" (1405-01 is Farvardin 1405): the key
    monthly figures are grouped by."""
    j = jdatetime.date.fromgregorian(date=day)
    return f"{j.year:04d}-{j.month:02d}"


def next_jalali_month(month: str) -> str:
    """The "YYYY-MM" after a Jalali "YYYY-MM"."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def jalali_month_names(month: str) -> dict:
    """{"name_fa", "name_en"} of a Jalali "YYYY-MM" (local_name picks the reader's)."""
    year, number = (int(part) for part in month.split("-"))
    return {"name_fa": f"{JALALI_MONTHS[number - 1]} {year}", "name_en": f"{JALALI_MONTHS_EN[number - 1]} {year}"}


def digits(value):
    """Persian digits in Persian pages; unchanged in English."""
    if value is None:
        return ""
    return to_persian_digits(value) if is_persian() else str(value)


def _grouped(number: int) -> str:
    text = f"{number:,}"
    return text.replace(",", "٬") if is_persian() else text


def number(value):
    """An integer with thousands separators, in the reader's digits."""
    if value in (None, ""):
        return ""
    return digits(_grouped(int(Decimal(value))))


def usd(value):
    """A dollar amount, compact for large figures: $1.09 billion, ۳٫۲ میلیون دلار."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    for threshold, fa_word, en_word in ((Decimal(10**9), "میلیارد", "billion"), (Decimal(10**6), "میلیون", "million")):
        if amount >= threshold:
            scaled = f"{amount / threshold:.2f}".rstrip("0").rstrip(".")
            if is_persian():
                return f"{to_persian_digits(scaled.replace('.', '٫'))} {fa_word} دلار"
            return f"${scaled} {en_word}"
    if is_persian():
        return f"{digits(_grouped(int(amount)))} دلار"
    return f"${_grouped(int(amount))}"


def date(value):
    """A date (or datetime, in Tehran time): Jalali in Persian, Gregorian in English."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    if is_persian():
        j = jdatetime.date.fromgregorian(date=value)
        return to_persian_digits(f"{j.day} {JALALI_MONTHS[j.month - 1]} {j.year}")
    return value.strftime("%-d %B %Y")


def datetime_(value):
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{date(local.date())}، {digits(local.strftime('%H:%M'))}" if is_persian() else f"{date(local.date())}, {local:%H:%M}"




def local_name(row, key="name"):
    """The Persian or English value of a dict row from the figures (name_fa / name_en)."""
    return row.get(f"{key}_fa") if is_persian() else (row.get(f"{key}_en") or row.get(f"{key}_fa"))
