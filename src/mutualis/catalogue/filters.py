"""Filters of the catalogue lists (families, CPV codes), shared by the pages and the API."""

import django_filters

from mutualis.catalogue.models import CpvCode, CpvLevel, Nature, PurchaseFamily
from mutualis.core.filters import SearchFilterSet, YesNoAllWidget
from mutualis.organisations.models import User
from mutualis.organisations.roles import Role


class PurchaseFamilyFilterSet(SearchFilterSet):
    nature = django_filters.ChoiceFilter(label="Nature", choices=Nature.choices, empty_label="Toutes")
    responsible_buyer = django_filters.ModelChoiceFilter(
        label="Acheteur responsable",
        queryset=User.objects.filter(memberships__role=Role.BUYER).distinct(),
        empty_label="Tous",
    )
    is_active = django_filters.BooleanFilter(label="Active", widget=YesNoAllWidget())

    class Meta:
        model = PurchaseFamily
        fields = ["q", "nature", "responsible_buyer", "is_active"]


class CpvFilterSet(SearchFilterSet):
    level = django_filters.ChoiceFilter(label="Niveau", choices=CpvLevel.choices, empty_label="Tous")
    division = django_filters.CharFilter(label="Division (2 chiffres)", method="filter_division")

    class Meta:
        model = CpvCode
        fields = ["q", "level", "division"]

    def filter_division(self, queryset, name, value):
        return queryset.filter(code__startswith=value.strip()[:2])
