"""Filters of the QCD campaign list, shared by its page and its exports."""

import django_filters
from django.db.models import Q

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.filters import CodeOrIdFilter, SearchFilterSet, YesNoAllWidget

from .models import CampaignStatus, EvaluationCampaign


class CampaignFilterSet(SearchFilterSet):
    status = django_filters.ChoiceFilter(label="État", choices=CampaignStatus.choices, empty_label="Tous")
    to_answer = django_filters.BooleanFilter(
        label="Évaluations à remplir par mes entités", method="filter_to_answer", widget=YesNoAllWidget()
    )
    family = CodeOrIdFilter(
        label="Famille d'achat",
        method="filter_family",
        queryset=PurchaseFamily.objects.all(),
        empty_label="Toutes",
    )

    class Meta:
        model = EvaluationCampaign
        fields = ["q", "status", "to_answer", "family"]

    def filter_family(self, queryset, name, value):
        """The family's campaigns and those of its contracts."""
        if not value:
            return queryset
        return queryset.filter(Q(family=value) | Q(contract__family=value))

    def filter_to_answer(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        pending = queryset.to_answer_by(user)
        return pending if value else queryset.exclude(pk__in=pending)
