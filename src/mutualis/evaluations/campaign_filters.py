"""Filters of the QCD campaign list (its page, its exports and the API) and of the evaluations (API)."""

import django_filters
from django.db.models import Q

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract
from mutualis.core.filters import CodeOrIdFilter, RecordFilter, SearchFilterSet, YesNoAllWidget
from mutualis.organisations.models import Entity

from .models import CampaignStatus, Evaluation, EvaluationCampaign, EvaluationStatus


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


def _seen(request):
    return Evaluation.objects.for_user(getattr(request, "user", None))


def _campaigns(request=None):
    return EvaluationCampaign.objects.filter(pk__in=_seen(request).values("campaign_id"))


def _contracts(request=None):
    return Contract.objects.filter(pk__in=_seen(request).values("contract_id"))


def _entities(request=None):
    return Entity.objects.filter(pk__in=_seen(request).values("entity_id"))


class EvaluationFilterSet(django_filters.FilterSet):
    """The evaluations' filters (API): each choice among the evaluations the person reads, so that an id
    outside them is refused rather than telling it exists."""

    campaign = RecordFilter(label="Campagne", queryset=_campaigns)
    contract = RecordFilter(label="Contrat", queryset=_contracts)
    entity = RecordFilter(label="Entité", queryset=_entities)
    status = django_filters.ChoiceFilter(label="État", choices=EvaluationStatus.choices)

    class Meta:
        model = Evaluation
        fields = ["campaign", "contract", "entity", "status"]
