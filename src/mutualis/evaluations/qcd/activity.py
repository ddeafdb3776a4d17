"""Who used a contract during a period, and how much: the evaluators of a QCD campaign (reads only).

Activity of an entity on a contract over a period is its spend lines paid in the period on the contract
or on one of its subsequent contracts (a framework's orders roll up to it), and the subsequent contracts
(orders, marchés subséquents) it notified in the period. Two queries whatever the number of contracts.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, F, Q, Sum, When

from mutualis.contracts.models import Contract
from mutualis.spend.models import SpendLine


@dataclass(frozen=True)
class Activity:
    consumption: Decimal | None  # None: no spend line in the period (orders only)
    orders: int

    @property
    def exists(self) -> bool:
        return bool(self.consumption) or self.orders > 0


def contracts_in_period(*, start: date, end: date, contract=None, family=None):
    """The contracts a campaign evaluates: the one named, or the family's main contracts (not their
    subsequent ones) notified by the end of the period and not ended nor terminated before its start."""
    if contract is not None:
        return Contract.objects.filter(pk=contract.pk)
    return (
        Contract.objects.filter(family=family, framework__isnull=True, notification_date__lte=end)
        .exclude(end_date__lt=start)
        .exclude(terminated_on__lt=start)
        .order_by("reference", "pk")
    )


def activity_by_entity(contract_ids, start: date, end: date) -> dict[tuple[int, int], Activity]:
    """(contract id, entity id) → its activity over the period, for the pairs that have some."""
    contract_ids = list(contract_ids)
    root = Case(
        When(contract__framework_id__in=contract_ids, then=F("contract__framework_id")),
        default=F("contract_id"),
    )
    spend = (
        SpendLine.objects.filter(
            Q(contract_id__in=contract_ids) | Q(contract__framework_id__in=contract_ids),
            paid_on__gte=start,
            paid_on__lte=end,
        )
        .annotate(root=root)
        .order_by()
        .values("root", "entity_id")
        .annotate(amount=Sum("amount_ht"))
    )
    orders = (
        Contract.objects.filter(
            framework_id__in=contract_ids, notification_date__gte=start, notification_date__lte=end
        )
        .order_by()
        .values("framework_id", "buyer_id")
        .annotate(count=Count("pk"))
    )
    amounts = {(row["root"], row["entity_id"]): row["amount"] for row in spend}
    counts = {(row["framework_id"], row["buyer_id"]): row["count"] for row in orders}
    found = {}
    for key in amounts.keys() | counts.keys():
        amount = amounts.get(key)
        activity = Activity(consumption=amount if amount and amount > 0 else None, orders=counts.get(key, 0))
        if activity.exists:
            found[key] = activity
    return found
