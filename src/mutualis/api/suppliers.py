from rest_framework import serializers

from mutualis.organisations.roles import Perm
from mutualis.suppliers.filters import SupplierFilterSet
from mutualis.suppliers.models import Supplier

from .base import ScopedReadOnlyViewSet


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = [
            "id",
            "identifier_kind",
            "identifier",
            "siren",
            "name",
            "size_category",
            "postal_code",
            "insee_code",
            "city",
            "is_siae",
            "is_ea_esat",
            "is_ess",
        ]


class SupplierViewSet(ScopedReadOnlyViewSet):
    """Companies of the supplier directory."""

    queryset = Supplier.objects.all()
    serializer_class = SupplierSerializer
    filterset_class = SupplierFilterSet
    required_perm = Perm.VIEW_SUPPLIERS
    ordering_fields = ["name", "identifier"]
