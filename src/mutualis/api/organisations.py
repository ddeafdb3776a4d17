from rest_framework import serializers

from mutualis.organisations.filters import EntityFilterSet
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm

from .base import ScopedReadOnlyViewSet


class EntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = [
            "id",
            "name",
            "short_name",
            "siret",
            "kind",
            "purchasing_mode",
            "finess",
            "insee_code",
            "postal_code",
            "city",
            "is_active",
        ]


class EntityViewSet(ScopedReadOnlyViewSet):
    """Member entities of the territory (an entity role sees its own)."""

    queryset = Entity.objects.all()
    serializer_class = EntitySerializer
    filterset_class = EntityFilterSet
    required_perm = Perm.VIEW_ENTITIES
    ordering_fields = ["name", "siret"]
