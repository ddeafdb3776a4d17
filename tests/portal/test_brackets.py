"""The estimated value is published as a bracket whose bounds are the legal thresholds in force at the
launch date (mutualis.legal), never as the amount."""

from datetime import date
from decimal import Decimal

import pytest

from mutualis.legal.procedure import thresholds_in
from mutualis.legal.rules import in_force
from mutualis.legal.vocabulary import BuyerKind, Nature
from mutualis.portal.brackets import value_bracket

OTHER = BuyerKind.OTHER
NBSP = "\u00a0"


def _label(amount, *, nature=Nature.SUPPLIES, day=date(2026, 6, 1), buyer_kind=OTHER) -> str:
    return value_bracket(Decimal(amount), nature=nature, buyer_kind=buyer_kind, day=day).label.replace(
        NBSP, " "
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "label"),
    [
        ("59999.99", "moins de 60\u202f000 € HT"),
        ("60000", "de 60\u202f000 € HT à 90\u202f000 € HT"),
        ("150000", "de 90\u202f000 € HT à 216\u202f000 € HT"),
        ("216000", "216\u202f000 € HT et plus"),
    ],
)
def test_supplies_in_2026_fall_between_the_waiver_publicity_and_european_thresholds(amount, label):
    assert _label(amount) == label


@pytest.mark.django_db
def test_the_bounds_follow_the_rows_in_force_at_the_launch_date():
    """Before the 2026 decree the waiver was lower: the same amount falls in another bracket."""
    for day in (date(2025, 6, 1), date(2026, 6, 1)):
        found = thresholds_in(in_force(day), nature=Nature.SUPPLIES, buyer_kind=OTHER)
        waiver, eu = found.waiver.amount, found.eu.amount
        assert _label(waiver - 1, day=day).startswith("moins de ")
        assert _label(waiver, day=day).startswith("de ")
        assert _label(eu, day=day).endswith(" et plus")
    assert _label("50000", day=date(2025, 6, 1)).startswith("de ")
    assert _label("50000", day=date(2026, 6, 1)).startswith("moins de ")


@pytest.mark.django_db
def test_works_skip_a_publicity_threshold_below_their_waiver():
    found = thresholds_in(in_force(date(2026, 6, 1)), nature=Nature.WORKS, buyer_kind=OTHER)
    assert found.publicity.amount < found.waiver.amount
    label = _label(found.waiver.amount, nature=Nature.WORKS)
    assert label.startswith("de 100\u202f000 € HT à ")  # straight to the European threshold
    assert _label("1", nature=Nature.WORKS) == "moins de 100\u202f000 € HT"


@pytest.mark.django_db
def test_no_threshold_for_the_day_gives_no_bracket():
    assert value_bracket(Decimal(1), nature=Nature.SUPPLIES, buyer_kind=OTHER, day=date(1990, 1, 1)) is None
