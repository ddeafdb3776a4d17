"""Reads behind the offer analysis: every lot of a project with its offers scored and ranked, in a
fixed number of queries whatever the number of lots and offers."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch

from .models import Lot, NegotiationRound, Offer, Project
from .rules import rules_for
from .scoring import RankedOffer, analyse


@dataclass
class LotAnalysis:
    lot: Lot
    offers: list[RankedOffer]

    @property
    def best(self) -> RankedOffer | None:
        return next((r for r in self.offers if r.rank == 1), None)

    @property
    def negotiation_rounds(self) -> list[NegotiationRound]:
        """The lot's rounds, bidder by bidder in the ranking's order, each bidder's in their order."""
        return [n for r in self.offers for n in r.offer.negotiation_rounds.all()]


def project_analysis(project: Project, *, with_offers: bool = True) -> tuple[list, list[LotAnalysis]]:
    """The criteria grid and, per lot, the ranked offers; without them (not even read) for a person who
    may not see them (Project.offers_visible_to): each lot then comes with its award only."""
    criteria = list(project.criteria.all())
    lots = project.lots.select_related("cpv", "contract", "awarded_offer__supplier")
    if not with_offers:
        return criteria, [LotAnalysis(lot, []) for lot in lots]
    rules = rules_for(project)
    offers = Prefetch(
        "offers",
        queryset=Offer.objects.select_related("supplier")
        .prefetch_related(
            "scores",
            Prefetch("negotiation_rounds", queryset=NegotiationRound.objects.select_related("by")),
        )
        # The price schedule's size, for the link from each offer (no query per offer).
        .annotate(price_line_count=Count("price_lines"))
        .order_by("price"),
    )
    lots = lots.prefetch_related(offers)
    return criteria, [
        LotAnalysis(lot, analyse(list(lot.offers.all()), criteria, estimate=lot.estimated_value, rules=rules))
        for lot in lots
    ]


def lot_analysis(lot: Lot) -> LotAnalysis:
    _, lots = project_analysis(lot.project)
    return next(a for a in lots if a.lot.pk == lot.pk)
