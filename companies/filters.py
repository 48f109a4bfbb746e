import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Sector
from companies.selectors import matching_companies
from core.collation import by_name
from exhibitions.models import Province


class CompanyFilter(django_filters.FilterSet):
    """The supplier directory's filters; the text search normalises Persian like the stored text."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or what the firm makes"), "autocomplete": "off"}),
    )
    # Slug choices filled once in __init__: validating and drawing them costs no more queries.
    province = django_filters.ChoiceFilter(label=_("Province"), field_name="province__slug", empty_label=_("All provinces"))
    sector = django_filters.ChoiceFilter(label=_("Sector"), field_name="sectors__slug", empty_label=_("All sectors"))

    class Meta:
        model = Company
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["province"].choices = [
            (p.slug, p.name) for p in Province.objects.order_by(by_name("name"))
        ]
        self.form.fields["sector"].choices = [(s.slug, s.name) for s in Sector.objects.all()]
        for name in ("province", "sector"):
            self.form.fields[name].error_messages["invalid_choice"] = _("This choice is not available; showing all.")

    def filter_text(self, queryset, name, value):
        return matching_companies(queryset, value)
