"""Filters of the improvement log, shared by its page, its exports and the cockpit's links."""

import django_filters

from mutualis.core.filters import SearchFilterSet, YesNoAllWidget
from mutualis.organisations.models import User
from mutualis.procurements.models import StageCode

from .models import ImprovementAction, ImprovementKind, ImprovementStatus


def owners(request=None):
    """People who own at least one action (django-filter passes the request to a callable)."""
    return (
        User.objects.filter(improvement_actions__isnull=False).distinct().order_by("last_name", "first_name")
    )


class ImprovementFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(label="Nature", choices=ImprovementKind.choices, empty_label="Toutes")
    status = django_filters.ChoiceFilter(label="État", choices=ImprovementStatus.choices, empty_label="Tous")
    running = django_filters.BooleanFilter(
        label="À traiter (ouverte ou en cours)", method="filter_running", widget=YesNoAllWidget()
    )
    late = django_filters.BooleanFilter(
        label="En retard (échéance passée, non close)", method="filter_late", widget=YesNoAllWidget()
    )
    stage_code = django_filters.ChoiceFilter(
        label="Étape de la cartographie", choices=StageCode.choices, empty_label="Toutes"
    )
    owner = django_filters.ModelChoiceFilter(label="Pilote", queryset=owners, empty_label="Tous")

    class Meta:
        model = ImprovementAction
        fields = ["q", "kind", "status", "running", "late", "stage_code", "owner"]

    def filter_running(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=ImprovementAction.objects.open())

    def filter_late(self, queryset, name, value):
        return queryset.late() if value else queryset.exclude(pk__in=ImprovementAction.objects.late())
