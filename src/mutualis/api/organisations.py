import django_filters
from rest_framework import serializers

from mutualis.organisations.models import Entity, EntityKind
from mutualis.organisations.roles import Perm

from .base import ScopedReadOnlyViewSet, SearchFilterSet


class EntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = [
            "id",
            "name",
            "short_name",
            "siret",
            "kind",
            "finess",
            "insee_code",
            "postal_code",
            "city",
            "is_active",
        ]


class EntityFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=EntityKind.choices)
    siret = django_filters.CharFilter()

    class Meta:
        model = Entity
        fields = ["q", "kind", "siret", "is_active"]


class EntityViewSet(ScopedReadOnlyViewSet):
    """Member entities of the territory (an entity role sees its own)."""

    queryset = Entity.objects.all()
    serializer_class = EntitySerializer
    filterset_class = EntityFilterSet
    required_perm = Perm.VIEW_ENTITIES
    ordering_fields = ["name", "siret"]
