"""Cumulative amendments beyond the limits of R2194-3 and R2194-8: the contract page's own warnings
(contracts.amendments.summarise), for the contracts amended in the period."""

from django.db.models import Exists, OuterRef, Prefetch

from mutualis.contracts.amendments import summarise
from mutualis.contracts.models import Amendment
from mutualis.core.formats import number
from mutualis.legal.rules import rule_rows

from .base import HIGH, Flag, contracts_of, link_to, name_of


def find(scope, user, today) -> list[Flag]:
    in_period = Amendment.objects.filter(contract=OuterRef("pk"), notified_on__range=(scope.start, scope.end))
    # The amendments known at the period's end: the state a reader of that period would have seen.
    known = Amendment.objects.filter(notified_on__lte=scope.end).order_by("number")
    contracts = (
        contracts_of(scope, user)
        .notified()
        .filter(Exists(in_period))
        .prefetch_related(Prefetch("amendments", queryset=known))
        .order_by("notification_date", "reference")
    )
    flags, rows = [], None
    for contract in contracts:
        rows = rule_rows() if rows is None else rows  # the legal table read once, for the first one
        amendments = list(contract.amendments.all())
        summary = summarise(
            contract.amount, amendments, is_works=contract.is_works, today=scope.end, rows=rows
        )
        if not summary.warnings:
            continue
        flags.append(
            Flag(
                kind="amendments_over_limit",
                key=f"contract:{contract.pk}",
                title=f"{name_of(contract)} : modifications au-delà des limites",
                explanation=(
                    f"{name_of(contract)} : {len(amendments)} avenant(s), "
                    f"{number(summary.cumulative_percent, 1)} % du montant initial en cumul. "
                    + " ".join(summary.warnings)
                ),
                links=[link_to(contract)],
                severity=HIGH,
            )
        )
    return flags
