"""Iranian legal-entity national ID (شناسه ملی): 11 digits, the last one a check digit.

The check digit: add 2 to the tenth digit to get d; weigh each of the first ten digits plus d
by 29, 27, 23, 19, 17 (repeated); the remainder of the sum by 11 (10 counts as 0) must equal
the eleventh digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.text import normalize_digits

NATIONAL_ID_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def national_id_check_digit(first_ten: str) -> int:
    decimal = int(first_ten[9]) + 2
    total = sum((int(d) + decimal) * w for d, w in zip(first_ten, NATIONAL_ID_WEIGHTS))
    remainder = total % 11
    return 0 if remainder == 10 else remainder


def normalize_national_id(value) -> str:
    """Accept the ID as typed: Persian/Arabic digits, spaces and dashes are tolerated."""
    text = normalize_digits(str(value or ""))
    return "".join(ch for ch in text if ch not in " -\u200c")


def validate_national_id(value: str) -> None:
    value = normalize_national_id(value)
    if len(value) != 11 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("A national ID has exactly 11 digits."), code="national_id_length")
    if int(value[10]) != national_id_check_digit(value[:10]):
        raise ValidationError(
            _("This national ID is not valid: its check digit does not match."), code="national_id_check"
        )
