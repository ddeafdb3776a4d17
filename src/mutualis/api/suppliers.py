from django.db.models import Q
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from mutualis.core.filters import YesNoFilter
from mutualis.organisations.roles import Perm
from mutualis.steering.indicators.holders import is_local, territory_departments
from mutualis.suppliers.filters import SupplierFilterSet
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.services import supplier_save

from .base import ScopedReadOnlyViewSet
from .locking import ServicePatchMixin, version_field

IN_TERRITORY_HELP = (
    "Établi dans l'un des départements où le territoire a un membre (d'après le code INSEE de la commune, "
    "comme l'indicateur de part locale) ; null quand la commune n'est pas connue."
)


class InTerritoryField(serializers.BooleanField):
    """Read from the commune code against the territory's départements, loaded once per request (in the
    serializer's context), so a list of suppliers costs no query per row."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, help_text=IN_TERRITORY_HELP, **kwargs)

    def get_attribute(self, instance):
        context = self.context  # the root serializer's: shared by every row of a list
        if "departments" not in context:
            context["departments"] = territory_departments()
        return is_local(instance.insee_code, context["departments"])


class SupplierSerializer(serializers.ModelSerializer):
    in_territory = InTerritoryField()
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
            "in_territory",
            "is_siae",
            "is_ea_esat",
            "is_ess",
            "version",
        ]


def in_territory_q(departments) -> Q:
    located = Q(pk__in=[])
    for department in departments:
        located |= Q(insee_code__startswith=department)
    return located


class SupplierApiFilterSet(SupplierFilterSet):
    """The page's filters, plus the location the API gives (`in_territory`)."""

    in_territory = YesNoFilter(
        label="Établi dans le territoire (false : commune connue, hors du territoire)",
        method="filter_in_territory",
    )

    class Meta(SupplierFilterSet.Meta):
        fields = [*SupplierFilterSet.Meta.fields, "in_territory"]

    def filter_in_territory(self, queryset, name, value):
        local = in_territory_q(territory_departments())
        # "false" means located elsewhere: a supplier without a commune is neither.
        return queryset.filter(local) if value else queryset.exclude(insee_code="").exclude(local)


class SupplierViewSet(ServicePatchMixin, ScopedReadOnlyViewSet):
    """Companies of the supplier directory; PATCH changes one, as its page does."""

    queryset = Supplier.objects.all()
    serializer_class = SupplierSerializer
    filterset_class = SupplierApiFilterSet
    ordering_fields = ["name", "identifier"]
    http_method_names = ["get", "patch", "head", "options"]
    service = supplier_save

    @property
    def required_perm(self):
        return Perm.VIEW_SUPPLIERS if self.request.method in SAFE_METHODS else Perm.MANAGE_SUPPLIERS
