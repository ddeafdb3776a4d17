"""Offer analysis: weighted scores, ranking and abnormally-low flags, computed from the stored offers.

Pure functions over already-loaded rows, so a lot's analysis costs the queries that load it and no
more. Prices are scored by the usual proportional formula (lowest price / price × 10); the other
criteria are scored by the analysts, out of 10.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from mutualis.core.formats import euros, percent

from .models import Criterion, Offer
from .models.lots import SCORE_MAX
from .rules import ProcedureRules

CENT = Decimal("0.01")


@dataclass
class RankedOffer:
    offer: Offer
    scores: dict[int, Decimal | None]  # criterion id -> score out of 10
    total: Decimal | None = None  # weighted, out of the sum of the weights (100 once the grid is complete)
    rank: int | None = None
    abnormally_low: list[str] = field(default_factory=list)

    @property
    def is_scored(self) -> bool:
        return self.total is not None


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _price_score(price: Decimal, lowest: Decimal) -> Decimal:
    return _q(SCORE_MAX * lowest / price)


def analyse(
    offers: list[Offer], criteria: list[Criterion], *, estimate: Decimal | None, rules: ProcedureRules
) -> list[RankedOffer]:
    """Score, rank and flag a lot's offers; irregular offers are listed but neither scored nor ranked.

    Each offer must come with its `scores` prefetched.
    """
    regular = [o for o in offers if o.is_regular]
    lowest = min((o.price for o in regular), default=None)
    results = []
    for offer in offers:
        typed = {s.criterion_id: s.score for s in offer.scores.all()}
        scores = {
            c.pk: (_price_score(offer.price, lowest) if c.is_price else typed.get(c.pk))
            if offer.is_regular
            else None
            for c in criteria
        }
        result = RankedOffer(offer, scores)
        if offer.is_regular and criteria and all(v is not None for v in scores.values()):
            result.total = _q(sum(c.weight * scores[c.pk] / SCORE_MAX for c in criteria))
        if offer.is_regular:
            result.abnormally_low = _abnormally_low(offer, regular, estimate, rules)
        results.append(result)
    ranked = sorted((r for r in results if r.is_scored), key=lambda r: (-r.total, r.offer.price))
    for position, result in enumerate(ranked, start=1):
        result.rank = position
    return sorted(results, key=lambda r: (r.rank is None, r.rank or 0, r.offer.price))


def _abnormally_low(offer: Offer, regular: list[Offer], estimate, rules: ProcedureRules) -> list[str]:
    """Why the price looks abnormally low; the buyer must then ask the bidder to justify it (R2152-3)."""
    reasons = []
    others = [o.price for o in regular if o.pk != offer.pk]
    if others:
        average = sum(others) / len(others)
        share = rules.abnormally_low_share_of_others_average
        if offer.price < average * share:
            reasons.append(
                f"prix inférieur à {percent(share)} de la moyenne des autres offres ({euros(average)})"
            )
    if estimate:
        share = rules.abnormally_low_share_of_estimate
        if offer.price < estimate * share:
            reasons.append(f"prix inférieur à {percent(share)} de l'estimation du lot ({euros(estimate)})")
    return reasons
