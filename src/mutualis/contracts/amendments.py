"""Amendments of a contract summed up against its initial amount, with the limits of the law (read from
the legal table: a new decree is a new row, not code)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mutualis.legal.amendments import AmendmentLimits, amendment_limits_on

from .enums import AmendmentKind

__all__ = ["AmendmentLimits", "AmendmentSummary", "limits_on", "summarise"]


def limits_on(day: date, *, rows: list | None = None) -> AmendmentLimits:
    """The amendment limits in force on `day` (`rows`: the legal table already read, see rule_rows)."""
    return amendment_limits_on(day, rows=rows)


@dataclass(frozen=True)
class AmendmentSummary:
    """Cumulative effect of a contract's amendments against its initial amount, and warnings."""

    initial_amount: Decimal
    total_change: Decimal
    current_amount: Decimal
    cumulative_ratio: Decimal  # total change / initial amount
    low_value_ratio: Decimal  # R2194-8 amendments only
    warnings: list[str]
    limits_version: str

    @property
    def cumulative_percent(self) -> Decimal:
        return (self.cumulative_ratio * 100).quantize(Decimal("0.1"))


def summarise(
    initial_amount: Decimal, amendments, *, is_works: bool, today: date, rows: list | None = None
) -> AmendmentSummary:
    """`amendments`: objects with kind, amount_change, number, notified_on (notification order); `rows`
    (legal.rules.rule_rows()) saves a query per contract when many are summed up."""
    amendments = sorted(amendments, key=lambda a: a.number)
    limits = limits_on(amendments[-1].notified_on if amendments else today, rows=rows)
    changes = [a.amount_change or Decimal(0) for a in amendments]
    total = sum(changes, Decimal(0))
    ratio = total / initial_amount if initial_amount else Decimal(0)
    low_value = sum(
        (c for a, c in zip(amendments, changes, strict=True) if a.kind == AmendmentKind.LOW_VALUE), Decimal(0)
    )
    low_ratio = low_value / initial_amount if initial_amount else Decimal(0)
    warnings = []
    ceiling = limits.low_value_works if is_works else limits.low_value_supplies_services
    if low_ratio > ceiling:
        warnings.append(
            f"Les modifications de faible montant cumulées atteignent {low_ratio * 100:.1f} % "
            "du montant initial : "
            f"au-delà de {ceiling * 100:.0f} % ({'travaux' if is_works else 'fournitures et services'}), "
            "l'article R2194-8 ne peut plus être invoqué (cumul, R2194-9)."
        )
    for amendment, change in zip(amendments, changes, strict=True):
        if amendment.kind in {AmendmentKind.ADDITIONAL, AmendmentKind.UNFORESEEABLE} and initial_amount:
            share = abs(change) / initial_amount
            if share > limits.per_modification_additional:
                warnings.append(
                    f"L'avenant n° {amendment.number} représente {share * 100:.1f} % du montant initial : "
                    "une modification de ce type ne peut dépasser "
                    f"{limits.per_modification_additional * 100:.0f} % (R2194-3)."
                )
    return AmendmentSummary(
        initial_amount, total, initial_amount + total, ratio, low_ratio, warnings, limits.version
    )
