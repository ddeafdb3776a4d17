"""A formalised procedure that drew a single offer: competition did not play (Cardinal's "single bid")."""

from mutualis.legal.vocabulary import FORMALISED

from .base import HIGH, Flag, contracts_of, day, euros, link_to, name_of


def find(scope, user, today) -> list[Flag]:
    contracts = contracts_of(scope, user).filter(
        notification_date__range=(scope.start, scope.end), procedure__in=FORMALISED, offers_received=1
    )
    return [
        Flag(
            kind="single_offer",
            key=f"contract:{contract.pk}",
            title=f"{name_of(contract)} : une seule offre reçue",
            explanation=(
                f"{name_of(contract)}, notifié le {day(contract.notification_date)} pour "
                f"{euros(contract.amount)} HT : une seule offre a été reçue malgré une procédure formalisée."
            ),
            links=[link_to(contract)],
            severity=HIGH,
        )
        for contract in contracts.order_by("notification_date", "reference")
    ]
