"""Filters of the budget accounts' mapping (the list page)."""

import django_filters
from django.db.models import Q

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.filters import SearchFilterSet

from .models import AccountFamily, Nomenclature


class AccountFamilyFilterSet(SearchFilterSet):
    nomenclature = django_filters.ChoiceFilter(
        label="Nomenclature", choices=Nomenclature.choices, empty_label="Toutes"
    )
    family = django_filters.ModelChoiceFilter(
        label="Famille d'achat", queryset=PurchaseFamily.objects.all(), empty_label="Toutes"
    )

    class Meta:
        model = AccountFamily
        fields = ["q", "nomenclature", "family"]

    def filter_search(self, queryset, name, value):
        # The mapping's QuerySet is the shared reference one: its search is written here.
        text = (value or "").strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(account__startswith=text.replace(" ", ""))
            | Q(label__icontains=text)
            | Q(family__code__icontains=text)
            | Q(family__label__icontains=text)
        )
