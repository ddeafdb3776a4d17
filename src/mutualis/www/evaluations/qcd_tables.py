"""QCD results as the pages show them: rows per contract, supplier or period, each with its scores and
how they were weighted, read in a fixed number of queries (Evaluation.objects.for_results)."""

from dataclasses import dataclass

import tablib
from django.urls import reverse

from mutualis.evaluations.models import Evaluation
from mutualis.evaluations.qcd.aggregate import AXES, Result
from mutualis.evaluations.qcd.results import (
    by_contract,
    by_contract_and_period,
    by_supplier,
    by_supplier_and_period,
    overall,
)

AXIS_LABELS = {"quality": "Qualité", "cost": "Coût", "delay": "Délai"}


@dataclass
class ResultRow:
    label: str
    url: str
    result: Result
    period: object = None  # a results.Period, on the rows of a contract's or a supplier's history
    campaign: object = None

    @property
    def axes(self) -> list:
        return [self.result.shown(axis) for axis in AXES]


@dataclass
class CampaignResults:
    contracts: list[ResultRow]
    suppliers: list[ResultRow]
    overall: Result


def campaign_results(campaign) -> CampaignResults:
    evaluations = list(Evaluation.objects.filter(campaign=campaign).for_results())
    contracts = {e.contract_id: e.contract for e in evaluations}
    suppliers = {
        link.supplier_id: link.supplier for e in evaluations for link in e.contract.holder_links.all()
    }
    return CampaignResults(
        contracts=[
            ResultRow(
                f"{contracts[pk].reference} — {contracts[pk].object}", contracts[pk].get_absolute_url(), r
            )
            for pk, r in sorted(
                by_contract(evaluations).items(), key=lambda item: contracts[item[0]].reference
            )
        ],
        suppliers=[
            # To the supplier's results in the campaign: its PDF and its observations are there.
            ResultRow(suppliers[pk].name, reverse("evaluations:supplier_result", args=[campaign.pk, pk]), r)
            for pk, r in sorted(by_supplier(evaluations).items(), key=lambda item: suppliers[item[0]].name)
        ],
        overall=overall(evaluations),
    )


def _history(evaluations, grouped, label_of) -> list[ResultRow]:
    """Rows per period, most recent first, each with the campaign that evaluated it."""
    campaigns = {}
    for evaluation in evaluations:
        campaigns.setdefault(
            (evaluation.campaign.period_start, evaluation.campaign.period_end), evaluation.campaign
        )
    rows = []
    for (key, period), result in grouped.items():
        campaign = campaigns[(period.start, period.end)]
        rows.append(
            ResultRow(label_of(key), campaign.get_absolute_url(), result, period=period, campaign=campaign)
        )
    return sorted(rows, key=lambda row: (row.period.end, row.period.start, row.label), reverse=True)


def contract_history(contract) -> list[ResultRow]:
    """The contract's scores in each evaluated period (the renewal decision's evidence)."""
    evaluations = list(Evaluation.objects.filter(contract=contract).for_results())
    return _history(evaluations, by_contract_and_period(evaluations), lambda key: contract.reference)


def supplier_history(supplier) -> list[ResultRow]:
    """The supplier's scores in each evaluated period, all its contracts together."""
    evaluations = list(Evaluation.objects.of_supplier(supplier).for_results())
    grouped = {key: r for key, r in by_supplier_and_period(evaluations).items() if key[0] == supplier.pk}
    return _history(evaluations, grouped, lambda key: supplier.name)


def results_dataset(results: CampaignResults) -> tablib.Dataset:
    headers = ["Niveau", "Contrat ou fournisseur", "Note globale (sur 4)"]
    headers += [AXIS_LABELS[axis] for axis in AXES]
    headers += ["Réponses", "Non concernés", "En attente", "Calcul"]
    data = tablib.Dataset(headers=headers)
    for level, rows in (("Contrat", results.contracts), ("Fournisseur", results.suppliers)):
        for row in rows:
            r = row.result
            data.append(
                [
                    level,
                    row.label,
                    r.shown(),
                    *row.axes,
                    r.answered,
                    r.not_concerned,
                    r.pending,
                    r.weighting_label,
                ]
            )
    return data
