"""GET /api/v1/indicators/: the steering indicators of a year, for the territory, a buyer or a family.

The figures are those of the cockpit (steering.indicators.compute), over the rows the token's owner
sees, so that `contracts_notified` and `amount_notified` agree with /api/v1/contracts/ for the same
filters (buyer SIRET, family code, notification dates in the year)."""

from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm
from mutualis.steering.indicators import INDICATORS, Scope, Unit, compute
from mutualis.steering.scope import FIRST_YEAR, LAST_YEAR

from .base import HasPerm


class IndicatorQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="Année (AAAA) ; par défaut l'année en cours.",
    )
    quarter = serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text="Trimestre de l'année (1 à 4), facultatif."
    )
    entity = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=14,
        help_text="SIRET de l'entité acheteuse (l'acheteur DECP des contrats) ; vide : tout le territoire.",
    )
    family = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="Code de la famille d'achat des contrats ; vide : toutes.",
    )

    def validate_entity(self, siret: str) -> Entity | None:
        if not siret:
            return None  # empty: the whole territory, as on the pages
        entity = Entity.objects.filter(siret=siret.replace(" ", "")).first()
        if entity is None:
            raise serializers.ValidationError(f"Aucune entité du territoire n'a le SIRET {siret}.")
        return entity

    def validate_family(self, code: str) -> PurchaseFamily | None:
        if not code:
            return None
        family = PurchaseFamily.objects.filter(code=code).first()
        if family is None:
            raise serializers.ValidationError(f"Aucune famille d'achat n'a le code {code}.")
        return family


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}],
        "nullable": True,
        "description": "Nombre ; montant en euros en texte décimal (« 1234.50 ») ; null : non disponible.",
    }
)
class FigureField(serializers.Field):
    def to_representation(self, figure):
        return figure


class IndicatorSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = FigureField()
    unit = serializers.CharField()
    target = FigureField()
    definition = serializers.CharField()
    note = serializers.CharField(help_text="Pourquoi la valeur n'est pas disponible, le cas échéant.")


# One documented key per indicator: the schema lists every code with its definition.
IndicatorsSerializer = type(
    "IndicatorsSerializer",
    (serializers.Serializer,),
    {
        indicator.code: IndicatorSerializer(label=indicator.label, help_text=indicator.definition)
        for indicator in INDICATORS
    },
)


def figure(number, unit: str):
    """Euros as decimal text (exact), other figures as JSON numbers, None as null."""
    if number is None:
        return None
    if unit == Unit.EUROS:
        return f"{Decimal(number):.2f}"
    return int(number) if Decimal(number) == Decimal(number).to_integral_value() else float(number)


class IndicatorsView(APIView):
    permission_classes = [HasPerm]
    required_perm = Perm.VIEW_STEERING
    query_serializer = IndicatorQuerySerializer

    @extend_schema(
        summary="Indicateurs de pilotage",
        description=(
            "Les indicateurs de l'année (activité, délais, concurrence, achats responsables, conformité, "
            "performance), chacun avec son libellé, sa valeur, son unité, son objectif s'il en est fixé "
            "pour ce périmètre, et sa définition. Une valeur null est non disponible (la note dit "
            "pourquoi), jamais une valeur inventée. Codes : "
            + ", ".join(indicator.code for indicator in INDICATORS)
            + ". Un rôle d'établissement ne compte que son périmètre, comme dans l'interface."
        ),
        parameters=[IndicatorQuerySerializer],
        responses={200: IndicatorsSerializer},
    )
    def get(self, request):
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        scope = Scope(
            year=values.get("year") or timezone.localdate().year,
            quarter=values.get("quarter"),
            entity=values.get("entity"),
            family=values.get("family"),
        )
        return Response(
            {
                code: {
                    "label": item.indicator.label,
                    "value": figure(item.value, item.indicator.unit),
                    "unit": item.indicator.unit,
                    "target": figure(item.target, item.indicator.unit),
                    "definition": item.indicator.definition,
                    "note": item.note,
                }
                for code, item in compute(scope, request.user).items()
            }
        )
