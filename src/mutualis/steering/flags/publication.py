"""Essential data (DECP) still unpublished after the legal deadline (the deadline is read from
mutualis.legal by Contract.objects.publication_late)."""

from .base import Flag, contracts_of, day, euros, link_to, name_of


def find(scope, user, today) -> list[Flag]:
    contracts = (
        contracts_of(scope, user)
        .publication_late(today)
        .filter(notification_date__range=(scope.start, scope.end))
        .order_by("notification_date", "reference")
    )
    return [
        Flag(
            kind="decp_late",
            key=f"contract:{contract.pk}",
            title=f"{name_of(contract)} : données essentielles non publiées",
            explanation=(
                f"{name_of(contract)}, notifié le {day(contract.notification_date)} pour "
                f"{euros(contract.amount)} HT : ses données essentielles ne sont toujours pas publiées, "
                "le délai réglementaire est dépassé."
            ),
            links=[link_to(contract)],
        )
        for contract in contracts
    ]
