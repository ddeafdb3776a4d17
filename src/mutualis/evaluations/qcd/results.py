"""QCD results read from the database: evaluations turned into the pure aggregation's answers, grouped per
contract, supplier, family or period. Call with `Evaluation.objects.for_results()` rows (a fixed number
of queries whatever their number)."""

from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Evaluation, EvaluationStatus
from .aggregate import Answer, Criterion, Result, evaluation_scores, group


def criteria_of(campaign) -> list[Criterion]:
    return [Criterion(key=c.pk, axis=c.axis, weight=c.weight) for c in campaign.criteria.all()]


def answer_of(evaluation: Evaluation) -> Answer:
    scores = None
    if evaluation.status == EvaluationStatus.ANSWERED:
        marks = {score.criterion_id: score.value for score in evaluation.scores.all()}
        scores = evaluation_scores(criteria_of(evaluation.campaign), marks)
    return Answer(
        status=evaluation.status,
        has_activity=bool(evaluation.consumption) or evaluation.orders > 0,
        consumption=evaluation.consumption,
        scores=scores,
    )


def supplier_ids(evaluation: Evaluation) -> list[int]:
    return [link.supplier_id for link in evaluation.contract.holder_links.all()]


@dataclass(frozen=True)
class Period:
    start: object
    end: object

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


def period_of(evaluation: Evaluation) -> Period:
    return Period(evaluation.campaign.period_start, evaluation.campaign.period_end)


def by_contract(evaluations: Iterable[Evaluation]) -> dict[int, Result]:
    return group(evaluations, lambda e: [e.contract_id], answer_of)


def by_supplier(evaluations: Iterable[Evaluation]) -> dict[int, Result]:
    return group(evaluations, supplier_ids, answer_of)


def by_family(evaluations: Iterable[Evaluation]) -> dict[int | None, Result]:
    return group(evaluations, lambda e: [e.contract.family_id], answer_of)


def by_period(evaluations: Iterable[Evaluation]) -> dict[Period, Result]:
    return group(evaluations, lambda e: [period_of(e)], answer_of)


def by_supplier_and_period(evaluations: Iterable[Evaluation]) -> dict[tuple[int, Period], Result]:
    """The panel's cells: a supplier's score in each period."""
    return group(evaluations, lambda e: [(s, period_of(e)) for s in supplier_ids(e)], answer_of)


def by_contract_and_period(evaluations: Iterable[Evaluation]) -> dict[tuple[int, Period], Result]:
    return group(evaluations, lambda e: [(e.contract_id, period_of(e))], answer_of)


def overall(evaluations: Iterable[Evaluation]) -> Result:
    return group(evaluations, lambda e: ["all"], answer_of).get("all", Result())
