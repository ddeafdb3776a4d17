"""One supplier's evaluation in one campaign, as it may be sent to the supplier: the grid, its scores per
contract (overall and per axis, all evaluating entities together), the incidents of the period per kind,
the alert threshold and the observations it sent back.

Never which entity gave which mark: the evaluations are read only to be aggregated, and nothing here keeps
an entity, a referent or an answer's comment (that is internal).
"""

from dataclasses import dataclass

from django.db.models import Count

from ..models import Evaluation, Incident, IncidentKind, SupplierComment
from .aggregate import AXES, Result
from .results import by_contract, by_supplier


@dataclass(frozen=True)
class ContractScores:
    contract: object
    result: Result
    threshold: object  # the campaign's alert threshold

    @property
    def axes(self) -> list:
        return [self.result.shown(axis) for axis in AXES]

    @property
    def below(self) -> bool:
        return self.result.evaluated and self.result.overall < self.threshold


@dataclass
class SupplierReport:
    campaign: object
    supplier: object
    criteria: list
    contracts: list[ContractScores]
    overall: Result
    incidents: list[tuple[str, int]]  # (kind's label, count) of the kinds that occurred
    comment: SupplierComment | None

    @property
    def incident_total(self) -> int:
        return sum(count for _, count in self.incidents)

    @property
    def below_threshold(self) -> bool:
        return self.overall.evaluated and self.overall.overall < self.campaign.alert_below

    @property
    def overall_axes(self) -> list:
        return [self.overall.shown(axis) for axis in AXES]


def supplier_evaluations(campaign, supplier):
    """The campaign's evaluations of contracts this supplier holds (empty: it was not evaluated)."""
    return Evaluation.objects.filter(campaign=campaign, contract__holder_links__supplier=supplier).distinct()


def supplier_report(campaign, supplier) -> SupplierReport | None:
    """None when the supplier holds no contract evaluated in the campaign."""
    evaluations = list(supplier_evaluations(campaign, supplier).for_results())
    if not evaluations:
        return None
    contracts = {e.contract_id: e.contract for e in evaluations}
    results = by_contract(evaluations)
    counts = dict(
        Incident.objects.filter(supplier=supplier, contract_id__in=list(contracts))
        .between(campaign.period_start, campaign.period_end)
        .order_by()
        .values_list("kind")
        .annotate(count=Count("pk"))
    )
    return SupplierReport(
        campaign=campaign,
        supplier=supplier,
        criteria=list(campaign.criteria.all()),
        contracts=[
            ContractScores(contracts[pk], results[pk], campaign.alert_below)
            for pk in sorted(contracts, key=lambda pk: contracts[pk].reference)
        ],
        overall=by_supplier(evaluations).get(supplier.pk, Result()),
        incidents=[(label, counts[kind]) for kind, label in IncidentKind.choices if counts.get(kind)],
        comment=SupplierComment.objects.filter(campaign=campaign, supplier=supplier)
        .select_related("recorded_by")
        .first(),
    )
