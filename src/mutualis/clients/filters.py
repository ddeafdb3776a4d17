"""Filters of the request list (the client's requests, the team's queue), shared by its page and exports."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from mutualis.core.filters import SearchFilterSet, YesNoAllWidget
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity

from .models import RequestStatus, ServiceModule, ServiceRequest


def _seen(request):
    return ServiceRequest.objects.for_user(getattr(request, "user", None))


def _buyers(request=None):
    return (
        get_user_model()
        .objects.filter(pk__in=_seen(request).values("assigned_to"))
        .order_by("last_name", "username")
    )


def _entities(request=None):
    scope = access_for(getattr(request, "user", None)).entity_ids
    entities = Entity.objects.filter(pk__in=_seen(request).values("entity"))
    return (entities if scope is None else entities.filter(pk__in=scope)).order_by("name")


class ServiceRequestFilterSet(SearchFilterSet):
    status = django_filters.ChoiceFilter(label="État", choices=RequestStatus.choices, empty_label="Tous")
    open = django_filters.BooleanFilter(
        label="En cours de traitement (ni livrée ni déclinée)", method="filter_open", widget=YesNoAllWidget()
    )
    late = django_filters.BooleanFilter(
        label="En retard sur la date cible", method="filter_late", widget=YesNoAllWidget()
    )
    assigned_to = django_filters.ModelChoiceFilter(
        label="Acheteur en charge", queryset=_buyers, empty_label="Tous"
    )
    module = django_filters.ModelChoiceFilter(
        label="Module demandé", field_name="modules", queryset=ServiceModule.objects.all(), empty_label="Tous"
    )
    entity = django_filters.ModelChoiceFilter(label="Entité", queryset=_entities, empty_label="Toutes")
    mine = django_filters.BooleanFilter(
        label="Mes demandes (faites par moi ou qui me sont confiées)",
        method="filter_mine",
        widget=YesNoAllWidget(),
    )

    class Meta:
        model = ServiceRequest
        fields = ["q", "status", "open", "late", "assigned_to", "module", "entity", "mine"]

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=ServiceRequest.objects.open())

    def filter_late(self, queryset, name, value):
        late = ServiceRequest.objects.late(timezone.localdate())
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        mine = Q(requested_by=user) | Q(assigned_to=user)
        return queryset.filter(mine) if value else queryset.exclude(mine)
