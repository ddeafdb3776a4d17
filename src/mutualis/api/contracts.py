from rest_framework import serializers

from mutualis.contracts.filters import ContractApiFilterSet
from mutualis.contracts.models import Amendment, Contract, ContractHolder
from mutualis.organisations.roles import Perm
from mutualis.spend.consumption import share_of, with_consumption

from .base import ScopedReadOnlyViewSet


class BuyerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    siret = serializers.CharField()
    name = serializers.CharField()


class HolderSerializer(serializers.ModelSerializer):
    supplier_id = serializers.IntegerField()
    identifier_kind = serializers.CharField(source="supplier.identifier_kind")
    identifier = serializers.CharField(source="supplier.identifier")
    name = serializers.CharField(source="supplier.name")

    class Meta:
        model = ContractHolder
        fields = [
            "supplier_id",
            "identifier_kind",
            "identifier",
            "name",
            "role",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]


class AmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Amendment
        fields = ["number", "notified_on", "kind", "description", "amount_change", "duration_change_months"]


class ConsumptionShareField(serializers.DecimalField):
    """consumed ÷ ceiling, from the annotations of `with_consumption` (no query per contract)."""

    def get_attribute(self, instance):
        return share_of(instance.consumed_amount, instance.consumption_ceiling)


class ContractSerializer(serializers.ModelSerializer):
    uid = serializers.CharField(read_only=True)
    buyer = BuyerSerializer()
    # Optional relations: null when the contract has none (no group, not subsequent, no family).
    purchasing_group = serializers.StringRelatedField(allow_null=True)
    framework_reference = serializers.CharField(source="framework.reference", default=None, allow_null=True)
    cpv = serializers.CharField(source="cpv_id")
    family = serializers.CharField(source="family.code", default=None, allow_null=True)
    duration_months = serializers.IntegerField(read_only=True)
    holders = HolderSerializer(source="holder_links", many=True)
    available_to = serializers.SlugRelatedField(slug_field="siret", many=True, read_only=True)
    amendments = AmendmentSerializer(many=True)
    consumed_amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        help_text=(
            "Montant HT payé sur ce contrat par toutes les entités (mandats rattachés ; pour un "
            "accord-cadre, y compris ses marchés subséquents), « 0.00 » sans dépense."
        ),
    )
    consumption_share = ConsumptionShareField(
        max_digits=9,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text=(
            "Part consommée : montant consommé ÷ plafond (montant du contrat, maximum pour un "
            "accord-cadre, plus les avenants), « 0.8000 » pour 80 % ; null sans plafond."
        ),
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "uid",
            "reference",
            "buyer",
            "purchasing_group",
            "object",
            "nature",
            "techniques",
            "execution_modes",
            "framework_reference",
            "cpv",
            "family",
            "procedure",
            "ccag",
            "offers_received",
            "price_types",
            "price_form",
            "amount",
            "minimum_amount",
            "notification_date",
            "start_date",
            "firm_duration_months",
            "renewal_count",
            "renewal_period_months",
            "renewal_notice_months",
            "duration_months",
            "end_date",
            "decision_due_on",
            "decision_kind",
            "terminated_on",
            "grouping_kind",
            "subcontracting_declared",
            "social_considerations",
            "environmental_considerations",
            "is_innovative",
            "advance_paid",
            "advance_rate",
            "origin_eu_share",
            "origin_france_share",
            "execution_place_code",
            "execution_place_type",
            "holders",
            "available_to",
            "amendments",
            "consumed_amount",
            "consumption_share",
        ]


class ContractViewSet(ScopedReadOnlyViewSet):
    """The registry: contracts and lots, with holders, users and amendments (an entity role sees the
    contracts its entities may use)."""

    queryset = Contract.objects.all()
    serializer_class = ContractSerializer
    filterset_class = ContractApiFilterSet
    required_perm = Perm.VIEW_CONTRACTS
    ordering_fields = ["notification_date", "end_date", "amount", "reference"]

    def optimise(self, queryset):
        return (
            with_consumption(queryset)
            .select_related("buyer", "purchasing_group", "framework", "family")
            .prefetch_related("holder_links__supplier", "available_to", "amendments")
        )
