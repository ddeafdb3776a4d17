"""POST /api/v1/procedure-estimate: the procedure the law requires, for anyone (rate-limited)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from mutualis.legal.procedure import MissingThreshold, estimate_procedure
from mutualis.legal.vocabulary import BuyerKind, Nature

from .base import PublicCalculatorView
from .fields import ExactDecimalField


class EstimateRequestSerializer(serializers.Serializer):
    nature = serializers.ChoiceField(choices=Nature.choices)
    buyer_kind = serializers.ChoiceField(choices=BuyerKind.choices)
    launch_date = serializers.DateField(input_formats=["%Y-%m-%d"])
    estimated_amount = ExactDecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Montant HT en euros : « 125000.00 » (au plus deux décimales) ou un entier.",
    )
    social_and_specific_services = serializers.BooleanField(default=False)


class EstimateResponseSerializer(serializers.Serializer):
    procedure = serializers.CharField()
    publicity = serializers.CharField()
    buyer_profile_required = serializers.BooleanField()
    thresholds = serializers.DictField()
    minimum_time_limits_days = serializers.DictField()
    explanation = serializers.CharField()


class ProcedureEstimateView(PublicCalculatorView):
    throttle_scope = "procedure_estimate"

    @extend_schema(
        summary="Procédure et publicité requises",
        description=(
            "Pour une nature d'achat, un type d'acheteur, une date de lancement et une valeur estimée HT, "
            "la procédure (dispense, procédure adaptée, procédure formalisée), la publicité, l'obligation du "
            "profil d'acheteur, les seuils appliqués (table datée) et l'explication. Sans authentification."
        ),
        request=EstimateRequestSerializer,
        responses={200: EstimateResponseSerializer},
    )
    def post(self, request):
        data = EstimateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            estimate = estimate_procedure(
                nature=values["nature"],
                buyer_kind=values["buyer_kind"],
                launch_date=values["launch_date"],
                amount=values["estimated_amount"],
                social_and_specific_services=values["social_and_specific_services"],
            )
        except MissingThreshold as error:
            return Response({"launch_date": [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(estimate.as_dict())
