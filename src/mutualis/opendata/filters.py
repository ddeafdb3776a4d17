"""Filters of the published contracts' list (page and exports)."""

import django_filters

from mutualis.core.filters import SearchFilterSet

from .models import ExternalContract, PublishedKind, cpv_prefix_range


class ExternalContractFilterSet(SearchFilterSet):
    cpv = django_filters.CharFilter(label="Code CPV (début)", method="filter_cpv")
    buyer_siret = django_filters.CharFilter(label="SIRET de l'acheteur", field_name="buyer_siret")
    year = django_filters.NumberFilter(label="Année de notification", field_name="notification_date__year")
    kind = django_filters.ChoiceFilter(label="Type", choices=PublishedKind.choices, empty_label="Tous")

    class Meta:
        model = ExternalContract
        fields = ["q", "cpv", "buyer_siret", "year", "kind"]

    def filter_cpv(self, queryset, name, value):
        code = "".join(ch for ch in value if ch.isdigit())
        return queryset.filter(cpv_prefix_range(code)) if code else queryset
