import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Sector
from exhibitions.models import Province
from portal.text import normalize_text


class CompanyFilter(django_filters.FilterSet):
    """The supplier directory's filters; the text search normalises Persian like the stored text."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or what the firm makes"), "autocomplete": "off"}),
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.order_by("name_fa"), to_field_name="slug",
        empty_label=_("All provinces"),
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), to_field_name="slug", empty_label=_("All sectors"),
        field_name="sectors",
    )

    class Meta:
        model = Company
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("province", "sector"):
            self.form.fields[name].error_messages["invalid_choice"] = _("This choice is not available; showing all.")

    def filter_text(self, queryset, name, value):
        for word in [w for w in normalize_text(value).split(" ") if w][:8]:
            queryset = queryset.filter(Q(search_text__contains=word))
        return queryset
