"""Persian text normalisation, used wherever text is stored for search or compared.

Users type the same word in several ways: Arabic yeh and kaf (ي ك) from Arabic keyboards,
zero-width non-joiners or spaces between the parts of a compound, tatweel for stretching,
diacritics, and Persian or Arabic-Indic digits. Both the stored text and the query go
through `normalize_text`, so any of those spellings finds the same need."""

import re

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN_DIGITS = str.maketrans("0123456789", PERSIAN_DIGITS)

_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "\u0640": None,  # tatweel
    }
)
# Arabic diacritics (fatha, kasra, tanwin, shadda, sukun, superscript alef ...).
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
# ZWNJ, ZWJ, and other invisible joiners/marks become a plain space.
_JOINERS = re.compile("[\u200c\u200d\u200e\u200f\u00ad\ufeff]")
_SPACES = re.compile(r"\s+")


def normalize_digits(value: str) -> str:
    """Persian and Arabic-Indic digits to ASCII digits; everything else unchanged."""
    return value.translate(_DIGITS)


def to_persian_digits(value) -> str:
    return str(value).translate(_TO_PERSIAN_DIGITS)


def normalize_text(value: str | None) -> str:
    """The searchable form of a text: one spelling per letter, ASCII digits, lower case,
    no diacritics, single spaces where joiners or runs of blanks were."""
    if not value:
        return ""
    text = normalize_digits(str(value)).translate(_LETTERS)
    text = _DIACRITICS.sub("", text)
    text = _JOINERS.sub(" ", text)
    return _SPACES.sub(" ", text).strip().lower()


# What an Arabic keyboard types for the Persian yeh and kaf; the only letters of stored text
# that are rewritten (the other variants of _LETTERS can be real spellings: مؤسسه, أ).
_TYPED_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def normalize_typed_text(value) -> str:
    """A text to store as the person meant it: the Persian yeh and kaf for the Arabic ones,
    no blanks at either end (as a form's field strips them). Case, digits, zero-width
    non-joiners and line breaks stay as typed; `normalize_text` is for searching."""
    if value is None:
        return ""
    return str(value).translate(_TYPED_LETTERS).strip()


class TypedTextModel:
    """Model mixin: `clean()` stores the fields named in TYPED_TEXT_FIELDS as typed
    (normalize_typed_text), so every path that validates the model (forms, the admin,
    imports, services calling full_clean) stores the same text."""

    TYPED_TEXT_FIELDS: tuple[str, ...] = ()

    def clean(self):
        super().clean()
        for name in self.TYPED_TEXT_FIELDS:
            setattr(self, name, normalize_typed_text(getattr(self, name)))


def normalize_number(value: str) -> str:
    """A number as typed (۱٬۲۳۴٫۵, 1,234.5) in the form Python parses: ASCII digits, no
    thousands separators, a dot for the decimal point."""
    return normalize_digits(value).replace("٬", "").replace(",", "").replace("٫", ".").strip()


_TYPED_DATE = re.compile(r"^\s*(\d+)\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")

# The years a typed date may have: from the first Jalali year of the modern calendar
# (1300, which began in 1921) to YEARS_AHEAD years from now. Anything else is a typing
# mistake (a contract signed in year 1) or no year at all (5,000 digits).
FIRST_JALALI_YEAR = 1300
FIRST_GREGORIAN_YEAR = 1921
YEARS_AHEAD = 10


def parse_typed_date(value: str):
    """A date typed as Jalali (۱۴۰۴/۰۸/۱۵) or Gregorian (2025-11-06), in any digits.

    Years before 1700 are Jalali: the calendars are 621 years apart, so they never mix up.
    Raises ValueError for text that is no date or a day that does not exist (the field
    says how to type one), and a ValidationError naming the accepted years for a year out
    of range, so every form that reads dates shows the same message."""
    import datetime

    import jdatetime
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from django.utils.translation import get_language, gettext

    match = _TYPED_DATE.match(normalize_digits(str(value)))
    if not match:
        raise ValueError("not a date")
    today = timezone.localdate()
    last_gregorian = today.year + YEARS_AHEAD
    last_jalali = jdatetime.date.fromgregorian(date=today).year + YEARS_AHEAD
    typed_year, month, day = match.groups()
    year = int(typed_year) if len(typed_year) <= 4 else 0
    if not (FIRST_JALALI_YEAR <= year <= last_jalali or FIRST_GREGORIAN_YEAR <= year <= last_gregorian):
        shown = to_persian_digits if (get_language() or "").startswith("fa") else str
        raise ValidationError(
            gettext("Enter a year from %(first_jalali)s to %(last_jalali)s (Jalali) or from %(first)s to %(last)s (Gregorian).")
            % {"first_jalali": shown(FIRST_JALALI_YEAR), "last_jalali": shown(last_jalali),
               "first": shown(FIRST_GREGORIAN_YEAR), "last": shown(last_gregorian)},
            code="year_out_of_range",
        )
    if year < 1700:
        return jdatetime.date(year, int(month), int(day)).togregorian()
    return datetime.date(year, int(month), int(day))
