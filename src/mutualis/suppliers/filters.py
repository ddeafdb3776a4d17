"""Filters of the supplier directory, shared by its page and the API."""

import django_filters

from mutualis.core.filters import SearchFilterSet, YesNoAllWidget
from mutualis.suppliers.identifiers import IdentifierKind
from mutualis.suppliers.models import SizeCategory, Supplier


class SupplierFilterSet(SearchFilterSet):
    identifier_kind = django_filters.ChoiceFilter(
        label="Type d'identifiant", choices=IdentifierKind.choices, empty_label="Tous"
    )
    size_category = django_filters.ChoiceFilter(
        label="Catégorie", choices=SizeCategory.choices, empty_label="Toutes"
    )
    department = django_filters.CharFilter(label="Département (code)", method="filter_department")
    inclusive = django_filters.BooleanFilter(
        label="SIAE, EA/ESAT ou ESS", method="filter_inclusive", widget=YesNoAllWidget()
    )

    class Meta:
        model = Supplier
        fields = ["q", "identifier_kind", "size_category", "department", "inclusive"]

    def filter_department(self, queryset, name, value):
        return queryset.filter(insee_code__startswith=value.strip())

    def filter_inclusive(self, queryset, name, value):
        inclusive = queryset.inclusive()
        return inclusive if value else queryset.exclude(pk__in=inclusive.values("pk"))
