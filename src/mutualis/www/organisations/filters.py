import django_filters

from mutualis.organisations.models import Entity, EntityKind

from ..lists import SearchFilterSet, YesNoAllWidget


class EntityFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(label="Nature", choices=EntityKind.choices, empty_label="Toutes")
    is_active = django_filters.BooleanFilter(label="Membre actif", widget=YesNoAllWidget())

    class Meta:
        model = Entity
        fields = ["q", "kind", "is_active"]
