from rest_framework import serializers

from mutualis.catalogue.filters import PurchaseFamilyFilterSet
from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.roles import Perm

from .base import ScopedReadOnlyViewSet


class PurchaseFamilySerializer(serializers.ModelSerializer):
    cpv_codes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    responsible_buyer = serializers.StringRelatedField(allow_null=True, help_text="Aucun si non désigné.")

    class Meta:
        model = PurchaseFamily
        fields = [
            "id",
            "code",
            "label",
            "nature",
            "description",
            "cpv_codes",
            "responsible_buyer",
            "is_active",
        ]


class PurchaseFamilyViewSet(ScopedReadOnlyViewSet):
    """The territory's nomenclature of homogeneous purchase families."""

    queryset = PurchaseFamily.objects.all()
    serializer_class = PurchaseFamilySerializer
    filterset_class = PurchaseFamilyFilterSet
    required_perm = Perm.VIEW_CATALOGUE
    ordering_fields = ["code", "label"]

    def optimise(self, queryset):
        return queryset.select_related("responsible_buyer").prefetch_related("cpv_codes")
