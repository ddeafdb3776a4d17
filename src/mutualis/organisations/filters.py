"""Filters of the member, people and group lists, shared by the pages and the API."""

import django_filters

from mutualis.core.filters import SearchFilterSet, YesNoAllWidget
from mutualis.organisations.models import Entity, EntityKind, PurchasingGroup, PurchasingMode, User
from mutualis.organisations.roles import Role


class EntityFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(label="Nature", choices=EntityKind.choices, empty_label="Toutes")
    purchasing_mode = django_filters.ChoiceFilter(
        label="Mode d'achat", choices=PurchasingMode.choices, empty_label="Tous"
    )
    is_active = django_filters.BooleanFilter(label="Membre actif", widget=YesNoAllWidget())

    class Meta:
        model = Entity
        fields = ["q", "kind", "purchasing_mode", "is_active"]


class UserFilterSet(SearchFilterSet):
    role = django_filters.ChoiceFilter(
        label="Rôle", choices=Role.choices, empty_label="Tous", field_name="memberships__role", distinct=True
    )
    entity = django_filters.ModelChoiceFilter(
        label="Entité", queryset=Entity.objects.all(), empty_label="Toutes", field_name="memberships__entity",
        distinct=True,
    )  # fmt: skip
    is_active = django_filters.BooleanFilter(label="Compte actif", widget=YesNoAllWidget())

    class Meta:
        model = User
        fields = ["q", "role", "entity", "is_active"]


class PurchasingGroupFilterSet(SearchFilterSet):
    is_active = django_filters.BooleanFilter(label="Actif", widget=YesNoAllWidget())

    class Meta:
        model = PurchasingGroup
        fields = ["q", "is_active"]
