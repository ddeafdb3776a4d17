"""Incidents during a contract's execution, read as their pages show them (an entity role: its own
entities' incidents)."""

from rest_framework import serializers

from mutualis.evaluations.filters import IncidentFilterSet
from mutualis.evaluations.models import Incident
from mutualis.organisations.roles import Perm

from .base import ScopedReadOnlyViewSet
from .procurements import NamedRefSerializer, UserRefSerializer

PENALTY_HELP = (
    "Pénalités appliquées au titulaire (€ HT), null s'il n'y en a pas. Ce n'est jamais un gain achat : "
    "elles n'entrent pas dans le calcul des gains."
)


class ContractRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    object = serializers.CharField()


class IncidentSerializer(serializers.ModelSerializer):
    contract = ContractRefSerializer()
    entity = NamedRefSerializer()
    supplier = NamedRefSerializer()
    penalty_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, read_only=True, help_text=PENALTY_HELP
    )
    handled_by = UserRefSerializer(allow_null=True)
    declared_by = UserRefSerializer(allow_null=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "contract",
            "entity",
            "supplier",
            "kind",
            "severity",
            "occurred_on",
            "description",
            "penalty_amount",
            "status",
            "handled_by",
            "closed_on",
            "outcome",
            "declared_by",
            "created_at",
        ]


class IncidentViewSet(ScopedReadOnlyViewSet):
    """Execution incidents with their follow-up; read only (declared and handled on their pages)."""

    queryset = Incident.objects.all()
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    required_perm = Perm.VIEW_INCIDENTS
    ordering_fields = ["occurred_on", "severity", "status"]

    def optimise(self, queryset):
        return queryset.select_related("contract", "entity", "supplier", "handled_by", "declared_by")
