"""Contracts built for the risk flags' tests: each helper makes one record in a known state."""

from datetime import date, timedelta
from decimal import Decimal

from mutualis.contracts.services import amendment_add, renewal_decide
from tests.contracts.factories import make_contract

OPEN = "Appel d'offres ouvert"
NO_COMPETITION = "Marché passé sans publicité ni mise en concurrence préalable"


def single_offer(buyer, offers=1, procedure=OPEN, notified=date(2025, 3, 10), **fields):
    return make_contract(
        buyer=buyer, procedure=procedure, offers_received=offers, notification_date=notified, **fields
    )


def amended(buyer, changes, kind="low_value", notified=date(2025, 1, 15), **fields):
    """A 100 000 € supplies contract and its amendments, one every ten days after its notification."""
    contract = make_contract(buyer=buyer, amount=Decimal(100000), notification_date=notified, **fields)
    for number, change in enumerate(changes, start=1):
        amendment_add(
            actor=None,
            contract=contract,
            notified_on=notified + timedelta(days=10 * number),
            kind=kind,
            description=f"Avenant {number}",
            amount_change=Decimal(change),
        )
    return contract


def renewable(buyer, notified=date(2025, 1, 1), notice=3, **fields):
    """12 months firm, one renewal of 12 months, `notice` months of notice."""
    return make_contract(
        buyer=buyer,
        notification_date=notified,
        firm_duration_months=12,
        renewal_count=1,
        renewal_period_months=12,
        renewal_notice_months=notice,
        **fields,
    )


def decided(contract, on, kind="renew"):
    return renewal_decide(actor=None, contract=contract, period=1, kind=kind, decided_on=on)
