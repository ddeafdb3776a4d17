"""Filters of the need lines list, shared by the page and any API endpoint over need lines."""

import django_filters

from mutualis.core.filters import SearchFilterSet
from mutualis.organisations.models import Entity

from .models import Campaign, NeedLine, NeedStatus


class NeedLineFilterSet(SearchFilterSet):
    """Campaign, establishment, family and state of the declared needs."""

    campaign = django_filters.ModelChoiceFilter(
        label="Campagne", queryset=Campaign.objects.all(), empty_label="Toutes"
    )
    entity = django_filters.ModelChoiceFilter(
        label="Établissement", queryset=Entity.objects.all(), empty_label="Tous"
    )
    status = django_filters.ChoiceFilter(label="État", choices=NeedStatus.choices, empty_label="Tous")

    class Meta:
        model = NeedLine
        fields = ["q", "campaign", "entity", "family", "status"]
