"""Publication of the essential data (DECP): which contracts, and how soon after notification
(R2196-1; arrêté du 22 décembre 2022; DOMAIN.md §4.1), read from the table."""

from datetime import date

from .rules import Applied, in_force, versions_of


def decp_minimum_amounts() -> list[Applied]:
    """Every dated DECP publication threshold, oldest first (none before the DECP 2.0 format)."""
    return versions_of("decp_minimum_amount")


def publication_deadline_months(day: date) -> int:
    """How many months after notification the data must be published, for a contract notified on `day`."""
    return in_force(day).require("publication_deadline_months", "délai de publication des données").days
