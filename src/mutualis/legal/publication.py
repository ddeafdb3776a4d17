"""Publication of the essential data (DECP): which contracts, and how soon after notification
(R2196-1; arrêté du 22 décembre 2022; DOMAIN.md §4.1), read from the table."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .rules import Applied, in_force, versions_of


def decp_minimum_amounts() -> list[Applied]:
    """Every dated DECP publication threshold, oldest first (none before the DECP 2.0 format)."""
    return versions_of("decp_minimum_amount")


def publication_deadline_months(day: date) -> int:
    """How many months after notification the data must be published, for a contract notified on `day`."""
    return in_force(day).require("publication_deadline_months", "délai de publication des données").days


@dataclass(frozen=True)
class PublicationWindow:
    """A period of the publication rules: contracts notified from `valid_from` until `until` (excluded)."""

    valid_from: date
    until: date | None
    minimum_amount: Decimal
    deadline_months: int


def publication_windows() -> list[PublicationWindow]:
    """The successive periods of the DECP publication threshold, each with its deadline."""
    rows = decp_minimum_amounts()
    ends = [row.valid_from for row in rows[1:]] + [None]
    return [
        PublicationWindow(row.valid_from, until, row.amount, publication_deadline_months(row.valid_from))
        for row, until in zip(rows, ends, strict=True)
    ]
