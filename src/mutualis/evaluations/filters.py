"""Filters of the incident list, shared by its page and its exports (and, later, the API)."""

import django_filters
from django import forms
from django.db import models

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract
from mutualis.core.filters import CodeOrIdFilter, SearchFilterSet, YesNoAllWidget
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity
from mutualis.suppliers.models import Supplier

from .models import Incident, IncidentKind, IncidentSeverity, IncidentStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _scope(request):
    """The entities whose incidents the person reads (None: all), so that a choice list names nothing
    he could not see (django-filter passes the request to a callable queryset)."""
    return access_for(getattr(request, "user", None)).entity_ids


def _entities(request=None):
    entities = Entity.objects.filter(incidents__isnull=False)
    scope = _scope(request)
    entities = entities if scope is None else entities.filter(pk__in=scope)
    return entities.distinct().order_by("name")


def _seen(request) -> models.QuerySet:
    return Incident.objects.for_user(getattr(request, "user", None))


def _suppliers(request=None):
    return Supplier.objects.filter(pk__in=_seen(request).values("supplier_id")).order_by("name")


def _contracts(request=None):
    return Contract.objects.filter(pk__in=_seen(request).values("contract_id")).order_by("reference")


class IncidentFilterSet(SearchFilterSet):
    status = django_filters.ChoiceFilter(label="État", choices=IncidentStatus.choices, empty_label="Tous")
    open = django_filters.BooleanFilter(
        label="À traiter (déclaré ou en traitement)", method="filter_open", widget=YesNoAllWidget()
    )
    kind = django_filters.ChoiceFilter(label="Nature", choices=IncidentKind.choices, empty_label="Toutes")
    severity = django_filters.ChoiceFilter(
        label="Gravité", choices=IncidentSeverity.choices, empty_label="Toutes"
    )
    entity = django_filters.ModelChoiceFilter(label="Entité", queryset=_entities, empty_label="Toutes")
    supplier = django_filters.ModelChoiceFilter(label="Titulaire", queryset=_suppliers, empty_label="Tous")
    contract = django_filters.ModelChoiceFilter(label="Contrat", queryset=_contracts, empty_label="Tous")
    family = CodeOrIdFilter(
        label="Famille d'achat",
        field_name="contract__family",
        queryset=PurchaseFamily.objects.all(),
        empty_label="Toutes",
    )
    occurred_from = django_filters.DateFilter(
        label="Survenu à partir du", field_name="occurred_on", lookup_expr="gte", widget=DATE_INPUT
    )
    occurred_to = django_filters.DateFilter(
        label="Survenu jusqu'au", field_name="occurred_on", lookup_expr="lte", widget=DATE_INPUT
    )

    class Meta:
        model = Incident
        fields = ["q", "status", "open", "kind", "severity", "entity", "supplier", "contract", "family",
                  "occurred_from", "occurred_to"]  # fmt: skip

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=Incident.objects.open())
