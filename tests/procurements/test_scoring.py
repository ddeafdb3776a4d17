"""Offer scoring worked by hand: proportional price score, weighted total, ranking, flags."""

from datetime import date
from decimal import Decimal

import pytest

from mutualis.legal.rules import shipped_rows
from mutualis.procurements.models import Criterion, Offer, OfferScore
from mutualis.procurements.rules import rules_on
from mutualis.procurements.scoring import analyse
from tests.suppliers.factories import SupplierFactory

RULES = rules_on(date(2026, 9, 1), rows=shipped_rows())


class _Scores(list):
    def all(self):
        return self


def _offer(pk, price, scores, regular=True):
    offer = Offer(pk=pk, price=Decimal(price), is_regular=regular, supplier=SupplierFactory.build())
    # analyse() reads offer.scores.all(): give it the scores as a prefetch would.
    offer._prefetched_objects_cache = {
        "scores": _Scores(OfferScore(criterion_id=c, score=Decimal(s)) for c, s in scores.items())
    }
    return offer


GRID = [
    Criterion(pk=1, label="Prix", kind="price", weight=Decimal(50)),
    Criterion(pk=2, label="Valeur technique", kind="technical", weight=Decimal(40)),
    Criterion(pk=3, label="Environnement", kind="environmental", weight=Decimal(10)),
]


def test_weighted_totals_and_ranking():
    offers = [
        _offer(1, "120000", {2: 9, 3: 9}),
        _offer(2, "100000", {2: 8, 3: 8}),
        _offer(3, "130000", {2: 6, 3: 6}),
    ]
    ranked = analyse(offers, GRID, estimate=None, rules=RULES)
    # 100,000: 10 × 50 % + 8 × 40 % + 8 × 10 % = 90; 120,000: 8.33 (=10 × 100/120) × 50 % + 36 + 9 = 86.65
    assert [(r.offer.pk, r.total, r.rank) for r in ranked] == [
        (2, Decimal("90.00"), 1),
        (1, Decimal("86.65"), 2),
        (3, Decimal("68.45"), 3),
    ]
    assert ranked[1].scores[1] == Decimal("8.33")


def test_irregular_and_unscored_offers_are_not_ranked():
    offers = [
        _offer(1, "50000", {2: 9, 3: 9}, regular=False),
        _offer(2, "100000", {2: 8}),
        _offer(3, "110000", {2: 5, 3: 5}),
    ]
    ranked = analyse(offers, GRID, estimate=None, rules=RULES)
    by_pk = {r.offer.pk: r for r in ranked}
    # Irregular: not scored, and its price does not set the price scores of the others.
    assert by_pk[1].rank is None and by_pk[1].total is None
    # A score missing: not ranked yet, but a regular price still sets the lowest price.
    assert by_pk[2].total is None and by_pk[2].rank is None
    assert by_pk[3].rank == 1 and by_pk[3].scores[1] == Decimal("9.09")


def test_equal_totals_go_to_the_lower_price():
    grid = [Criterion(pk=2, label="Valeur technique", kind="technical", weight=Decimal(100))]
    ranked = analyse([_offer(1, "200", {2: 7}), _offer(2, "150", {2: 7})], grid, estimate=None, rules=RULES)
    assert [r.offer.pk for r in ranked] == [2, 1]


@pytest.mark.parametrize(
    ("price", "estimate", "flags"),
    [
        ("79999", None, 1),  # below 80 % of the others' average (100,000)
        ("80000", None, 0),
        ("80000", "120000", 1),  # below 70 % of the estimate (84,000)
        ("84000", "120000", 0),
    ],
)
def test_abnormally_low_offers_are_flagged_with_their_reason(price, estimate, flags):
    offers = [
        _offer(1, price, {2: 5, 3: 5}),
        _offer(2, "95000", {2: 5, 3: 5}),
        _offer(3, "105000", {2: 5, 3: 5}),
    ]
    ranked = analyse(offers, GRID, estimate=Decimal(estimate) if estimate else None, rules=RULES)
    low = next(r for r in ranked if r.offer.pk == 1)
    assert len(low.abnormally_low) == flags
    if flags:
        assert "prix inférieur à" in low.abnormally_low[0]
