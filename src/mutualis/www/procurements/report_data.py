"""The offer analysis report of a project, as rows shared by its XLSX and PDF renderings."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from mutualis.procurements.analysis import LotAnalysis, project_analysis
from mutualis.procurements.models import Criterion, NegotiationRound, Project
from mutualis.procurements.scoring import RankedOffer


@dataclass(frozen=True)
class OfferRow:
    rank: int | None
    supplier: str
    identifier: str
    price: Decimal
    scores: list[Decimal | None]  # in the order of the criteria
    total: Decimal | None
    abnormally_low: str
    is_regular: bool
    is_retained: bool

    @property
    def observations(self) -> list[str]:
        notes = ["Offre retenue"] if self.is_retained else []
        if not self.is_regular:
            notes.append("Offre irrégulière (non classée)")
        if self.abnormally_low:
            notes.append(f"Offre anormalement basse : {self.abnormally_low}")
        return notes


@dataclass(frozen=True)
class RoundRow:
    """A round of negotiation on one of the lot's offers."""

    supplier: str
    number: int
    price_before: Decimal
    price_after: Decimal
    difference: Decimal
    difference_percent: Decimal
    held_on: date
    by: str
    notes: str


@dataclass(frozen=True)
class LotReport:
    analysis: LotAnalysis
    rows: list[OfferRow]
    rounds: list[RoundRow]

    @property
    def lot(self):
        return self.analysis.lot


@dataclass(frozen=True)
class AnalysisReport:
    project: Project
    criteria: list[Criterion]
    lots: list[LotReport]
    weight_total: Decimal
    edited_on: date

    @property
    def procedure(self) -> str:
        return self.project.get_contract_procedure_display() or "Non choisie"

    @property
    def file_stem(self) -> str:
        return f"analyse-offres-{self.project.reference}"


def offer_row(ranked: RankedOffer, criteria: list[Criterion], awarded_offer_id: int | None) -> OfferRow:
    offer = ranked.offer
    return OfferRow(
        rank=ranked.rank,
        supplier=offer.supplier.name,
        identifier=f"{offer.supplier.identifier_kind} {offer.supplier.identifier}",
        price=offer.price,
        scores=[ranked.scores.get(c.pk) for c in criteria],
        total=ranked.total,
        abnormally_low=" ; ".join(ranked.abnormally_low),
        is_regular=offer.is_regular,
        is_retained=offer.pk == awarded_offer_id,
    )


def round_row(negotiation: NegotiationRound) -> RoundRow:
    return RoundRow(
        supplier=negotiation.offer.supplier.name,
        number=negotiation.number,
        price_before=negotiation.price_before,
        price_after=negotiation.price_after,
        difference=negotiation.difference,
        difference_percent=negotiation.difference_percent,
        held_on=negotiation.held_on,
        by=str(negotiation.by) if negotiation.by else "",
        notes=negotiation.notes,
    )


def analysis_report(project: Project) -> AnalysisReport:
    criteria, analyses = project_analysis(project)
    lots = [
        LotReport(
            a,
            [offer_row(r, criteria, a.lot.awarded_offer_id) for r in a.offers],
            [round_row(n) for n in a.negotiation_rounds],
        )
        for a in analyses
    ]
    return AnalysisReport(
        project=project,
        criteria=criteria,
        lots=lots,
        weight_total=sum((c.weight for c in criteria), Decimal(0)),
        edited_on=timezone.localdate(),
    )
