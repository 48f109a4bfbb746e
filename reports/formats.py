"""How the funnel's ratios and durations are written for a reader (core.formats for the rest)."""

from core.formats import digits
from core.i18n import is_persian

NONE = "–"


def _decimal(value: float, places: int = 1) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return digits(text.replace(".", "٫")) if is_persian() else text


def percent(value: float | None) -> str:
    """0.455 as 45.5% (۴۵٫۵٪ in Persian); a dash when there is nothing to convert from."""
    if value is None:
        return NONE
    return f"{_decimal(value * 100)}٪" if is_persian() else f"{_decimal(value * 100)}%"


def days(value: float | None) -> str:
    """A median number of days, to one decimal place; a dash when no need took the step."""
    return NONE if value is None else _decimal(value)
