"""Filters of the action plan's list (page and export). Kept apart from the gains' filter set, which
lives in filters.py: one filter set per model."""

import django_filters
from django.db.models import Q

from mutualis.core.filters import SearchFilterSet
from mutualis.organisations.models import Entity, User
from mutualis.organisations.vocabulary import word

from .models import ActionStatus, BudgetKind, PlanAction, PlanOrigin


def _owners(request):
    """The owners of the actions the user may see (a referent is not shown the other establishments')."""
    actions = PlanAction.objects.all() if request is None else PlanAction.objects.for_user(request.user)
    owners = actions.exclude(owner=None).values("owner")
    return User.objects.filter(pk__in=owners).order_by("last_name", "first_name")


def _entities(request):
    """The establishments the user may see: a referent chooses among theirs."""
    return Entity.objects.all() if request is None else Entity.objects.for_user(request.user)


class PlanActionFilterSet(SearchFilterSet):
    """Year, plan (PAAT or PAA), establishment, family, status, owner and budget of the actions."""

    year = django_filters.NumberFilter(label="Année du plan", min_value=2000, max_value=2100)
    origin = django_filters.ChoiceFilter(label="Plan", choices=PlanOrigin.choices, empty_label="Tous")
    entity = django_filters.ModelChoiceFilter(
        label=word("one_cap"),
        queryset=_entities,
        empty_label=word("every"),
        method="filter_entity",
    )
    status = django_filters.ChoiceFilter(label="Statut", choices=ActionStatus.choices, empty_label="Tous")
    owner = django_filters.ModelChoiceFilter(label="Pilote", queryset=_owners, empty_label="Tous")
    budget = django_filters.ChoiceFilter(label="Budget", choices=BudgetKind.choices, empty_label="Tous")

    class Meta:
        model = PlanAction
        fields = ["q", "year", "origin", "entity", "family", "status", "owner", "budget"]

    def filter_entity(self, queryset, name, value):
        # A subquery rather than a join: an action of several establishments stays one row.
        return queryset.filter(Q(pk__in=PlanAction.objects.filter(entities=value).values("pk")))
