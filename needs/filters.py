"""The catalogue's filters. Every value a visitor can type is normalised the way the stored
text was (core.text), and a bad value in one field becomes an error on that field: the
other filters still apply and the page never fails."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies.models import Sector
from core.collation import by_name, persian
from core.text import normalize_digits, normalize_number, normalize_text
from exhibitions.models import Exhibition, Province
from needs.models import PUBLIC_STATUSES, Need, NeedStatus

# The forms of the two typed filters that every reader accepts, as regular expressions
# (matched whole). The API declares them in its schema and refuses anything else; the fields
# below read every value they admit, and the pages, more forgiving, a little more besides.
_DIGIT = "[0-9۰-۹٠-٩]"  # ASCII, Persian and Arabic-Indic, as core.text.normalize_digits reads them
HS_PREFIX_PATTERN = rf"[ .\-]*(?:{_DIGIT}[ .\-]*){{2,10}}"
HS_PREFIX_MESSAGE = _("Enter the start of an HS code: 2 to 10 digits.")
# Up to 12 whole digits (with or without thousands separators) and 2 decimals: a DecimalField
# of max_digits=14, decimal_places=2, never negative.
AMOUNT_PATTERN = rf"(?:{_DIGIT}{{1,12}}|{_DIGIT}{{1,3}}(?:[,٬]{_DIGIT}{{3}}){{1,3}})(?:[.٫]{_DIGIT}{{1,2}})?"
AMOUNT_MESSAGE = _("Enter an amount in dollars, e.g. 1000000.")


class PersianDecimalField(forms.DecimalField):
    """A dollar amount typed with Persian or Arabic digits and separators (۱٬۰۰۰٬۰۰۰)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_number(value)
        return super().to_python(value)


class HsPrefixField(forms.CharField):
    def to_python(self, value):
        value = normalize_digits(super().to_python(value) or "")
        value = "".join(ch for ch in value if ch not in " .-")
        if value and not (value.isascii() and value.isdigit() and 2 <= len(value) <= 10):
            raise ValidationError(HS_PREFIX_MESSAGE, code="hs_prefix")
        return value


class PersianDecimalFilter(django_filters.NumberFilter):
    field_class = PersianDecimalField


class HsPrefixFilter(django_filters.CharFilter):
    field_class = HsPrefixField


class NeedFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        fx_min, fx_max = cleaned.get("fx_min"), cleaned.get("fx_max")
        if fx_min is not None and fx_max is not None and fx_min > fx_max:
            # add_error drops fx_max from cleaned_data: that bound is left unfiltered.
            self.add_error("fx_max", _("The upper bound is below the lower bound."))
        return cleaned


def search_words(value: str) -> list[str]:
    """The normalised words of a query; every word must match."""
    return [word for word in normalize_text(value).split(" ") if word][:8]


def text_search(queryset, words: list[str]):
    """Rows whose normalised search text contains every word (LIKE '%word%', which the
    trigram index answers on PostgreSQL)."""
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


SORTS = {
    "-fx": ("-annual_fx_usd", "-id"),
    "fx": ("annual_fx_usd", "id"),
    "newest": ("-created_at", "-id"),
    # Persian order (core.collation), which the need_title_idx index serves on PostgreSQL.
    "title": (persian("title"), "id"),
}
SORT_CHOICES = [
    ("-fx", _("Largest FX first")),
    ("newest", _("Newest first")),
    ("title", _("Title (A to Z)")),
    ("fx", _("Smallest FX first")),
]
DEFAULT_SORT = "-fx"


class NeedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Part, material or HS code"), "autocomplete": "off"}),
    )
    # Slug choices filled once per request in __init__ (one query per list), so neither
    # validating a choice nor drawing the select asks the database again.
    province = django_filters.ChoiceFilter(label=_("Province"), field_name="province__slug", empty_label=_("All provinces"))
    sector = django_filters.ChoiceFilter(label=_("Sector"), field_name="sector__slug", empty_label=_("All sectors"))
    exhibition = django_filters.ChoiceFilter(
        label=_("Exhibition"), field_name="exhibition__slug", empty_label=_("All exhibitions"),
    )
    hs = HsPrefixFilter(
        label=_("HS code starts with"), method="filter_hs", field_name="hs_code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "8708", "dir": "ltr"}),
    )
    fx_min = PersianDecimalFilter(
        label=_("Annual FX from (USD)"), field_name="annual_fx_usd", lookup_expr="gte", min_value=0,
        max_digits=14, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    fx_max = PersianDecimalFilter(
        label=_("Annual FX up to (USD)"), field_name="annual_fx_usd", lookup_expr="lte", min_value=0,
        max_digits=14, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[(s.value, s.label) for s in NeedStatus if s in PUBLIC_STATUSES],
        empty_label=_("Any status"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=None,
    )

    class Meta:
        model = Need
        form = NeedFilterForm
        fields: list[str] = []

    def __init__(self, data=None, *args, language: str = "fa", **kwargs):
        self.language = language
        super().__init__(data, *args, **kwargs)
        fields = self.form.fields
        fields["province"].choices = [
            (p.slug, p.name) for p in Province.objects.order_by(by_name("name", language))
        ]
        fields["sector"].choices = [(s.slug, s.name) for s in Sector.objects.all()]
        fields["exhibition"].choices = [
            (e.slug, e.province.name)
            for e in Exhibition.objects.open().select_related("province").order_by(by_name("province__name", language))
        ]
        self.form.fields["fx_min"].error_messages["invalid"] = AMOUNT_MESSAGE
        self.form.fields["fx_max"].error_messages["invalid"] = AMOUNT_MESSAGE
        for name in ("province", "sector", "exhibition", "status", "sort"):
            self.form.fields[name].error_messages["invalid_choice"] = _("This choice is not available; showing all.")

    def filter_text(self, queryset, name, value):
        # Need.search_text holds the sector and province names too, so "قطعات خودرو" or
        # "Isfahan" finds needs, and the one trigram index on PostgreSQL answers every word.
        return text_search(queryset, search_words(value))

    def filter_hs(self, queryset, name, value):
        return queryset.filter(hs_code__startswith=value) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, so the default applies too

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or DEFAULT_SORT
        order = SORTS.get(sort, SORTS[DEFAULT_SORT])
        if sort == "title" and not self.language.startswith("fa"):
            order = ("title_en", persian("title"), "id")
        return queryset.order_by(*order)
