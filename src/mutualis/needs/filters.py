"""Filters of the need lines list, shared by the page and any API endpoint over need lines."""

import django_filters

from mutualis.core.filters import SearchFilterSet, YesNoAllWidget
from mutualis.organisations.models import Entity
from mutualis.organisations.vocabulary import word

from .models import Campaign, NeedLine, NeedStatus


class NeedLineFilterSet(SearchFilterSet):
    """Campaign, establishment, family and state of the declared needs."""

    campaign = django_filters.ModelChoiceFilter(
        label="Campagne", queryset=Campaign.objects.all(), empty_label="Toutes"
    )
    entity = django_filters.ModelChoiceFilter(
        label=word("one_cap"), queryset=Entity.objects.all(), empty_label=word("every")
    )
    # The lines a buyer consolidates (the campaign page's rows when the territory has several buyers).
    buyer = django_filters.ModelChoiceFilter(
        label="Acheteur", queryset=Entity.objects.all(), empty_label="Tous", method="filter_buyer"
    )
    status = django_filters.ChoiceFilter(label="État", choices=NeedStatus.choices, empty_label="Tous")
    mine = django_filters.BooleanFilter(label="Saisis par moi", method="filter_mine", widget=YesNoAllWidget())

    class Meta:
        model = NeedLine
        fields = ["q", "campaign", "entity", "buyer", "family", "status", "mine"]

    def filter_buyer(self, queryset, name, value):
        return queryset.with_buyer().filter(legal_buyer=value.pk)

    def filter_mine(self, queryset, name, value):
        mine = queryset.declared_by(getattr(self.request, "user", None))
        return mine if value else queryset.exclude(pk__in=mine.values("pk"))
