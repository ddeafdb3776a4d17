from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from mutualis.organisations.roles import Perm
from mutualis.suppliers.filters import SupplierFilterSet
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.services import supplier_save

from .base import ScopedReadOnlyViewSet
from .locking import ServicePatchMixin, version_field


class SupplierSerializer(serializers.ModelSerializer):
    version = version_field()

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
            "version",
        ]


class SupplierViewSet(ServicePatchMixin, ScopedReadOnlyViewSet):
    """Companies of the supplier directory; PATCH changes one, as its page does."""

    queryset = Supplier.objects.all()
    serializer_class = SupplierSerializer
    filterset_class = SupplierFilterSet
    ordering_fields = ["name", "identifier"]
    http_method_names = ["get", "patch", "head", "options"]
    service = supplier_save

    @property
    def required_perm(self):
        return Perm.VIEW_SUPPLIERS if self.request.method in SAFE_METHODS else Perm.MANAGE_SUPPLIERS
