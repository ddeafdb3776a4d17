"""Filters of the project lists (the list, the board, my tasks), shared by the pages and the API."""

import django_filters

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.filters import CodeOrIdFilter, SearchFilterSet, YesNoAllWidget
from mutualis.organisations.models import Entity, User
from mutualis.organisations.roles import Role

from .models import Project, ProjectStatus, StageCode


def buyers(request=None):
    """Active users holding the buyer role (django-filter passes the request to a callable queryset)."""
    return User.objects.filter(is_active=True, memberships__role=Role.BUYER).distinct()


def family_filter():
    return CodeOrIdFilter(
        label="Famille d'achat", queryset=PurchaseFamily.objects.all(), empty_label="Toutes"
    )


def stage_filter():
    return django_filters.ChoiceFilter(
        label="Étape", field_name="stage__code", choices=StageCode.choices, empty_label="Toutes"
    )


class ProjectFilterSet(SearchFilterSet):
    """The filters shared by the project list and the board."""

    family = family_filter()
    entity = django_filters.ModelChoiceFilter(
        label="Entité concernée",
        queryset=Entity.objects.all(),
        field_name="entities",  # for the API schema; the method also counts the project's group
        method="filter_entity",
        empty_label="Toutes",
    )
    buyer = django_filters.ModelChoiceFilter(label="Acheteur en charge", queryset=buyers, empty_label="Tous")
    stage = stage_filter()

    class Meta:
        model = Project
        fields = ["q", "family", "entity", "buyer", "stage"]

    def filter_entity(self, queryset, name, value):
        return queryset.concerning([value.pk])


class ProjectListFilterSet(ProjectFilterSet):
    """The project list's filters: the board's, plus status, lateness and emergency."""

    status = django_filters.ChoiceFilter(label="Statut", choices=ProjectStatus.choices, empty_label="Tous")
    late = django_filters.BooleanFilter(label="En retard", method="filter_late", widget=YesNoAllWidget())
    is_emergency = django_filters.BooleanFilter(label="Urgence impérieuse", widget=YesNoAllWidget())

    class Meta(ProjectFilterSet.Meta):
        fields = [*ProjectFilterSet.Meta.fields, "status", "late", "is_emergency"]

    def filter_late(self, queryset, name, value):
        late = queryset.late()
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class ProjectApiFilterSet(ProjectListFilterSet):
    """The project list's filters, and `emergency`, the name API clients used before `is_emergency`."""

    emergency = django_filters.BooleanFilter(
        label="Urgence impérieuse (ancien nom)", field_name="is_emergency"
    )

    class Meta(ProjectListFilterSet.Meta):
        fields = [*ProjectListFilterSet.Meta.fields, "emergency"]


class TaskFilterSet(SearchFilterSet):
    """Filters of "my tasks"."""

    family = family_filter()
    stage = stage_filter()
    late = django_filters.BooleanFilter(label="En retard", method="filter_late", widget=YesNoAllWidget())

    class Meta:
        model = Project
        fields = ["q", "family", "stage", "late"]

    def filter_late(self, queryset, name, value):
        late = queryset.late()
        return late if value else queryset.exclude(pk__in=late.values("pk"))
