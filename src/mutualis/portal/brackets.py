"""A published project's estimated value as a bracket, never the amount: the bounds are the legal
thresholds in force at its launch date (mutualis.legal), so a new decree moves the brackets with it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mutualis.legal.procedure import MissingThreshold, thresholds_in
from mutualis.legal.rules import in_force


@dataclass(frozen=True)
class Bracket:
    low: Decimal | None  # included
    high: Decimal | None  # excluded

    @property
    def label(self) -> str:
        if self.low is None:
            return f"moins de {euros(self.high)}"
        if self.high is None:
            return f"{euros(self.low)} et plus"
        return f"de {euros(self.low)} à {euros(self.high)}"


def euros(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", "\u202f") + "\u00a0€\u00a0HT"


def bounds(*, nature: str, buyer_kind: str, day: date, rows=None) -> list[Decimal]:
    """The waiver threshold, the national publicity one when it lies between, the European one."""
    found = thresholds_in(in_force(day, rows=rows), nature=nature, buyer_kind=buyer_kind)
    waiver, publicity, eu = found.waiver.amount, found.publicity.amount, found.eu.amount
    return [waiver, *([publicity] if waiver < publicity < eu else []), eu]


def value_bracket(amount: Decimal, *, nature: str, buyer_kind: str, day: date, rows=None) -> Bracket | None:
    """The bracket `amount` falls in; None when no threshold covers the day (nothing is shown then)."""
    try:
        limits = bounds(nature=nature, buyer_kind=buyer_kind, day=day, rows=rows)
    except MissingThreshold:
        return None
    low = None
    for high in limits:
        if amount < high:
            return Bracket(low, high)
        low = high
    return Bracket(low, None)
