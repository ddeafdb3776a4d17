"""Legal limits on amendments (R2194-3, R2194-8, R2194-9; DOMAIN.md §8.3), read from the table."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .rules import in_force
from .vocabulary import SUPPLIES_AND_SERVICES, Nature


@dataclass(frozen=True)
class AmendmentLimits:
    """The amendment limits in force on one date; `version` names the rows by their date."""

    version: str
    valid_from: date
    low_value_supplies_services: Decimal
    low_value_works: Decimal
    per_modification_additional: Decimal


def amendment_limits_on(day: date, *, rows: list | None = None) -> AmendmentLimits:
    """The limits in force on `day`; a French error names the missing rule and the date. `rows`
    (rules.rule_rows()) saves the query when many contracts are summed up."""
    book = in_force(day, rows=rows)
    supplies = book.require(
        "amendment_low_value", "modification de faible montant", natures=(SUPPLIES_AND_SERVICES,)
    )
    works = book.require("amendment_low_value", "modification de faible montant", natures=(Nature.WORKS,))
    additional = book.require("amendment_per_modification", "modification par avenant")
    latest = max(supplies.valid_from, works.valid_from, additional.valid_from)
    return AmendmentLimits(
        version=f"CCP-{latest.isoformat()}",
        valid_from=latest,
        low_value_supplies_services=supplies.value,
        low_value_works=works.value,
        per_modification_additional=additional.value,
    )
