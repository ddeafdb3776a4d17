"""Filters of the objectives' list."""

import django_filters
from django.db.models import Q

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.filters import SearchFilterSet
from mutualis.organisations.models import Entity

from .indicators.registry import CHOICES
from .models import Objective


class ObjectiveFilterSet(SearchFilterSet):
    year = django_filters.NumberFilter(label="Année")
    indicator = django_filters.ChoiceFilter(label="Indicateur", choices=CHOICES, empty_label="Tous")
    entity = django_filters.ModelChoiceFilter(
        label="Entité", queryset=Entity.objects.all(), empty_label="Toutes"
    )
    family = django_filters.ModelChoiceFilter(
        label="Famille d'achat", queryset=PurchaseFamily.objects.all(), empty_label="Toutes"
    )

    class Meta:
        model = Objective
        fields = ["q", "year", "indicator", "entity", "family"]

    def filter_search(self, queryset, name, value):
        text = (value or "").strip()
        if not text:
            return queryset
        codes = [code for code, label in CHOICES if text.casefold() in label.casefold()]
        return queryset.filter(
            Q(indicator__in=codes) | Q(source__icontains=text) | Q(family__code__icontains=text)
        )
