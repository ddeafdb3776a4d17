"""QCD evaluations: the campaigns (period, scope, status, criteria) with their results, and the
evaluations of the entities (an entity role reads its own entities'), answered through
evaluation_answers.py."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from mutualis.evaluations.campaign_filters import CampaignFilterSet, EvaluationFilterSet
from mutualis.evaluations.models import CampaignCriterion, Evaluation, EvaluationCampaign, EvaluationStatus
from mutualis.evaluations.qcd.aggregate import AXES, rounded
from mutualis.evaluations.qcd.results import answer_of
from mutualis.organisations.roles import Perm

from .base import ScopedReadOnlyViewSet
from .evaluation_answers import ANSWER_DESCRIPTION, ANSWER_ERRORS, AnswerRequestSerializer, answer_response
from .incidents import ContractRefSerializer
from .locking import version_field
from .procurements import FamilyRefSerializer, NamedRefSerializer, UserRefSerializer
from .qcd_results import SCORE, CampaignResultsSerializer, campaign_results


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignCriterion
        fields = ["id", "axis", "label", "weight", "anchor_1", "anchor_2", "anchor_3", "anchor_4", "position"]


class CampaignSerializer(serializers.ModelSerializer):
    contract = ContractRefSerializer(
        allow_null=True, help_text="Le contrat évalué ; null pour une campagne sur une famille."
    )
    family = FamilyRefSerializer(
        allow_null=True,
        help_text="La famille évaluée (ses contrats en vigueur pendant la période) ; null pour un contrat.",
    )
    criteria = CriterionSerializer(
        many=True, help_text="La grille copiée au lancement : chaque critère noté de 1 à 4."
    )
    version = version_field(read_only=True)

    class Meta:
        model = EvaluationCampaign
        fields = [
            "id",
            "title",
            "contract",
            "family",
            "period_start",
            "period_end",
            "answer_by",
            "status",
            "closed_on",
            "alert_below",
            "criteria",
            "version",
        ]


class CampaignRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationCampaign
        fields = ["id", "title", "status", "period_start", "period_end"]


class MarkSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    axis = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.IntegerField()
    value = serializers.IntegerField(min_value=1, max_value=4)


class MarksSerializer(serializers.ListSerializer):
    """The marks with their criteria, from the prefetched scores and campaign criteria (no query per row)."""

    def get_attribute(self, evaluation):
        criteria = {c.pk: c for c in evaluation.campaign.criteria.all()}
        scores = sorted(evaluation.scores.all(), key=lambda s: (criteria[s.criterion_id].position, s.pk))
        return [
            {
                "criterion": s.criterion_id,
                "axis": criteria[s.criterion_id].axis,
                "label": criteria[s.criterion_id].label,
                "weight": criteria[s.criterion_id].weight,
                "value": s.value,
            }
            for s in scores
        ]


class ScoresSerializer(serializers.Serializer):
    """One answered evaluation's scores, by the aggregation's own rule (qcd/results.py), rounded as shown."""

    overall = SCORE()
    quality = SCORE()
    cost = SCORE()
    delay = SCORE()

    def get_attribute(self, evaluation):
        if evaluation.status != EvaluationStatus.ANSWERED:
            return None
        scores = answer_of(evaluation).scores
        return {"overall": rounded(scores.overall), **{axis: rounded(scores.axes[axis]) for axis in AXES}}


class EvaluationSerializer(serializers.ModelSerializer):
    campaign = CampaignRefSerializer()
    contract = ContractRefSerializer()
    entity = NamedRefSerializer()
    answered_by = UserRefSerializer(allow_null=True)
    consumption = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        read_only=True,
        help_text="Dépense HT de l'entité sur le contrat pendant la période ; null si son activité n'est "
        "connue que par ses commandes.",
    )
    marks = MarksSerializer(child=MarkSerializer(), help_text="Les notes données, critère par critère.")
    scores = ScoresSerializer(
        allow_null=True,
        help_text="Notes de cette évaluation (globale et par axe : moyennes pondérées par les poids des "
        "critères, arrondies à 0,01) ; null tant qu'elle n'est pas répondue.",
    )
    version = version_field(read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "campaign",
            "contract",
            "entity",
            "status",
            "consumption",
            "orders",
            "answered_by",
            "answered_at",
            "comment",
            "marks",
            "scores",
            "version",
        ]


class CampaignViewSet(ScopedReadOnlyViewSet):
    """QCD campaigns, scoped as their pages (EvaluationCampaign.objects.for_user), and their results."""

    queryset = EvaluationCampaign.objects.all()
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    required_perm = Perm.VIEW_EVALUATIONS
    ordering_fields = ["period_end", "answer_by", "title"]

    def optimise(self, queryset):
        return queryset.select_related("contract", "family").prefetch_related("criteria")

    @extend_schema(
        summary="Résultats d'une campagne d'évaluation",
        description=(
            "Les notes de la campagne, comme sur sa page : par contrat, par fournisseur (un contrat à "
            "plusieurs titulaires compte pour chacun) et pour l'ensemble ; globale et par axe (qualité, "
            "coût, délai), arrondies à 0,01. Seules comptent les évaluations répondues d'entités ayant eu "
            "une activité sur la période ; la moyenne est pondérée par la consommation de chaque entité "
            "quand elle est connue pour toutes, simple sinon (« weighted_by_consumption »). Calculés sur "
            "toutes les évaluations de la campagne, celles des autres entités comprises, comme sur la page."
        ),
        filters=False,
        responses={200: CampaignResultsSerializer},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def results(self, request, pk=None):
        return Response(CampaignResultsSerializer(campaign_results(self.get_object())).data)


class EvaluationViewSet(ScopedReadOnlyViewSet):
    """Each entity's evaluation of each contract of a campaign (an entity role reads its own entities')."""

    queryset = Evaluation.objects.all()
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
    ordering_fields = ["answered_at", "consumption"]

    @property
    def required_perm(self):
        return Perm.ANSWER_EVALUATIONS if self.request.method == "POST" else Perm.VIEW_EVALUATIONS

    def optimise(self, queryset):
        return queryset.for_results().select_related("answered_by")

    @extend_schema(
        summary="Répondre à une évaluation",
        description=ANSWER_DESCRIPTION,
        request=AnswerRequestSerializer,
        responses={200: EvaluationSerializer, **ANSWER_ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def answer(self, request, pk=None):
        return answer_response(self, request)
