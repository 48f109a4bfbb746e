"""Bilingual fields: pick the Persian or English value for the active language."""

from django.utils.translation import get_language


def is_persian() -> bool:
    return (get_language() or "fa").startswith("fa")


class BilingualNameMixin:
    """For models with `name_fa` and `name_en`: `name` is the one for the active language."""

    @property
    def name(self) -> str:
        if is_persian():
            return self.name_fa
        return self.name_en or self.name_fa

    def __str__(self) -> str:
        return self.name
