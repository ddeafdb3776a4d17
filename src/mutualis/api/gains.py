"""POST /api/v1/gains/estimate: the purchasing gain by the PHARE method, for anyone (rate-limited).

The serializer checks each value's form only; which field a kind of gain needs, and every other rule,
is the method's (gains/method.py): one computation, whose GainInputError names the field."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from mutualis.gains.method import GainInputError, GainKind, compute

from .base import PublicCalculatorView
from .fields import ExactDecimalField

# As the gain records store them (gains.models UNIT): four decimals, fourteen whole digits.
UNIT = {"max_digits": 18, "decimal_places": 4}
MAX_OFFERS = 100
AMOUNT = r"^-?[0-9]+\.[0-9]{2}$"


class OffersField(serializers.ListField):
    """The offers, whose errors are sentences naming the offer, not a mapping by index (the error body
    of every field is a list of messages: api/schema.py FIELD_ERRORS)."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(
                [
                    f"Offre n° {index + 1} : {message}"
                    for index, messages in error.detail.items()
                    for message in messages
                ]
            ) from error


class GainEstimateRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=GainKind.choices,
        help_text="Nature du gain : recurring (achat récurrent, de fonctionnement), one_off (achat "
        "ponctuel), investment (investissement amorti).",
    )
    reference_unit_price = ExactDecimalField(
        **UNIT,
        required=False,
        allow_null=True,
        help_text="Prix unitaire HT de la situation de référence (prix payé ou prix de marché), jusqu'à "
        "quatre décimales : « 12.5 », « 0.0042 ». Obligatoire pour un achat récurrent ; pour un achat "
        "ponctuel ou un investissement, à défaut, la moyenne des offres reçues.",
    )
    new_unit_price = ExactDecimalField(
        **UNIT,
        help_text="Prix unitaire HT obtenu (offre retenue), jusqu'à quatre décimales.",
    )
    annual_quantity = ExactDecimalField(
        **UNIT,
        required=False,
        allow_null=True,
        help_text="Quantité consommée par an : obligatoire pour un achat récurrent.",
    )
    quantity = ExactDecimalField(
        **UNIT,
        required=False,
        allow_null=True,
        help_text="Quantité achetée : obligatoire pour un achat ponctuel ou un investissement.",
    )
    offers = OffersField(
        child=ExactDecimalField(**UNIT),
        required=False,
        max_length=MAX_OFFERS,
        help_text="Prix unitaires HT de toutes les offres reçues, la retenue comprise : leur moyenne "
        "tient lieu de prix de référence d'un achat ponctuel ou d'un investissement qui n'en donne pas.",
    )
    amortisation_years = serializers.IntegerField(
        required=False,
        allow_null=True,
        max_value=100,
        help_text="Durée d'amortissement en années (au moins un an) : obligatoire pour un investissement.",
    )
    notification_date = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": "Date invalide : écrivez une date qui existe, au format AAAA-MM-JJ (par exemple "
            "2026-07-01)."
        },
        help_text="Date de notification du marché (AAAA-MM-JJ) : le gain annuel est réparti entre cette "
        "année N et l'année N+1 au prorata des jours des douze mois qui suivent.",
    )


def amount(description: str) -> serializers.RegexField:
    # A RegexField only for the schema's pattern: the answer is GainFigures.as_dict(), already text.
    return serializers.RegexField(
        AMOUNT, help_text=f"{description}, en euros HT, arrondi au centime (texte)."
    )


class GainEstimateResponseSerializer(serializers.Serializer):
    reference_amount = amount("Situation de référence (SR) annuelle, ou de l'achat ponctuel")
    new_amount = amount("Nouvelle situation (SN) annuelle, ou de l'achat ponctuel")
    annual_gain = amount("Gain SR − SN : annuel, ou total pour un achat ponctuel ; négatif s'il coûte plus")
    gain_year_n = amount("Part du gain comptée l'année de la notification (N)")
    gain_year_n1 = amount("Part du gain comptée l'année suivante (N+1) : gain annuel − gain N")
    explanation = serializers.CharField(help_text="Le calcul expliqué, en français.")


# The examples are worked cases of tests/gains/test_method.py: the tests hold the documentation true.
RECURRING = {
    "kind": "recurring",
    "reference_unit_price": "12.50",
    "new_unit_price": "10.00",
    "annual_quantity": "1000",
    "notification_date": "2026-07-01",
}
ONE_OFF = {
    "kind": "one_off",
    "new_unit_price": "90",
    "offers": ["90", "100", "120"],
    "quantity": "1000",
    "notification_date": "2026-03-02",
}
INVESTMENT = {
    "kind": "investment",
    "reference_unit_price": "12000.00",
    "new_unit_price": "10000.00",
    "quantity": "1",
    "amortisation_years": 3,
    "notification_date": "2026-04-02",
}

RECURRING_ANSWER = {
    "reference_amount": "12500.00",
    "new_amount": "10000.00",
    "annual_gain": "2500.00",
    "gain_year_n": "1260.27",
    "gain_year_n1": "1239.73",
    "explanation": "Achat récurrent : situations annuelles sur la quantité annuelle ; "
    "prix de référence = prix payé ou prix de marché indiqué ; économie annuelle de "
    "2\u202f500,00 €, répartie sur les douze mois suivant la notification du 01/07/2026 : "
    "1\u202f260,27 € en 2026, 1\u202f239,73 € en 2027.",
}


class GainEstimateView(PublicCalculatorView):
    throttle_scope = "gains_estimate"
    # JSON only: a form has no numbers, so "2.4" there could be the float the API refuses, and a list of
    # offers would have no agreed spelling.
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Gain achat (méthode PHARE)",
        description=(
            "Le gain d'un achat selon la méthode des gains achats hospitaliers (programme PHARE, note de "
            "la DGOS du 2 août 2019) : situation de référence (SR) et nouvelle situation (SN), gain "
            "SR − SN, et sa répartition entre l'année de notification N et l'année N+1 au prorata des "
            "jours des douze mois qui suivent la notification. Achat récurrent : sur la quantité "
            "annuelle. Achat ponctuel : sur la quantité achetée, compté en entier en N ; à défaut de prix "
            "de référence, la moyenne de toutes les offres reçues. Investissement : comme un achat "
            "ponctuel, divisé par la durée d'amortissement, puis réparti comme un gain annuel. Calcul "
            "exact, montants arrondis au centime seulement à la fin (un demi-centime s'arrondit en "
            "s'éloignant de zéro). Les nombres s'écrivent en texte (« 12.5 ») ou en entiers, jamais en "
            "nombres à virgule JSON. Sans authentification ; une donnée manquante ou refusée est nommée "
            "dans la réponse 400."
        ),
        request=GainEstimateRequestSerializer,
        responses={200: GainEstimateResponseSerializer},
        examples=[
            OpenApiExample("Achat récurrent", value=RECURRING, request_only=True),
            OpenApiExample("Achat ponctuel, moyenne des offres", value=ONE_OFF, request_only=True),
            OpenApiExample("Investissement amorti sur 3 ans", value=INVESTMENT, request_only=True),
            OpenApiExample("Gain de l'achat récurrent", value=RECURRING_ANSWER, response_only=True),
        ],
    )
    def post(self, request):
        data = GainEstimateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            # The request's fields are the method's arguments, by the same names; absent ones keep its
            # defaults, and which a kind of gain needs is the method's to say.
            figures = compute(**data.validated_data)
        except GainInputError as error:
            # Named like the request's fields; any other name would be a rule over several.
            field = error.field if error.field in data.fields else api_settings.NON_FIELD_ERRORS_KEY
            return Response({field: [error.message]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(figures.as_dict())
