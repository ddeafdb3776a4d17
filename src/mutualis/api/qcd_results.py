"""A QCD campaign's results as the API gives them: the aggregation of qcd/results.py (the page's), per
contract, per supplier and overall, with scores rounded as shown (aggregate.rounded)."""

from functools import partial

from rest_framework import serializers

from mutualis.evaluations.models import Evaluation
from mutualis.evaluations.qcd.aggregate import AXES, Result
from mutualis.evaluations.qcd.results import by_contract, by_supplier, overall

from .incidents import ContractRefSerializer
from .procurements import NamedRefSerializer

SCORE = partial(serializers.DecimalField, max_digits=3, decimal_places=2, allow_null=True, read_only=True)


def figures(result: Result) -> dict:
    return {
        "overall": result.shown(),
        **{axis: result.shown(axis) for axis in AXES},
        "answered": result.answered,
        "not_concerned": result.not_concerned,
        "pending": result.pending,
        "without_activity": result.without_activity,
        "weighted_by_consumption": result.weighted_by_consumption,
    }


def campaign_results(campaign) -> dict:
    """Every evaluation of the campaign, read in a fixed number of queries, grouped as on its page."""
    evaluations = list(Evaluation.objects.filter(campaign=campaign).for_results())
    contracts = {e.contract_id: e.contract for e in evaluations}
    suppliers = {
        link.supplier_id: link.supplier for e in evaluations for link in e.contract.holder_links.all()
    }
    return {
        "campaign": campaign.pk,
        "overall": figures(overall(evaluations)),
        "contracts": [
            {"contract": contracts[pk], **figures(result)}
            for pk, result in sorted(
                by_contract(evaluations).items(), key=lambda i: contracts[i[0]].reference
            )
        ],
        "suppliers": [
            {"supplier": suppliers[pk], **figures(result)}
            for pk, result in sorted(by_supplier(evaluations).items(), key=lambda i: suppliers[i[0]].name)
        ],
    }


class ResultSerializer(serializers.Serializer):
    overall = SCORE(help_text="Note globale (1 à 4), null si aucune évaluation ne compte.")
    quality = SCORE(help_text="Axe qualité.")
    cost = SCORE(help_text="Axe coût.")
    delay = SCORE(help_text="Axe délai.")
    answered = serializers.IntegerField(help_text="Évaluations répondues et comptées.")
    not_concerned = serializers.IntegerField(help_text="Réponses « non concerné », hors de la moyenne.")
    pending = serializers.IntegerField(help_text="Évaluations encore à remplir.")
    without_activity = serializers.IntegerField(help_text="Évaluations sans activité sur la période.")
    weighted_by_consumption = serializers.BooleanField(
        help_text="Moyenne pondérée par la consommation des entités (sinon moyenne simple)."
    )


class ContractResultSerializer(ResultSerializer):
    contract = ContractRefSerializer()


class SupplierResultSerializer(ResultSerializer):
    supplier = NamedRefSerializer()


class CampaignResultsSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    overall = ResultSerializer()
    contracts = ContractResultSerializer(many=True)
    suppliers = SupplierResultSerializer(many=True)
