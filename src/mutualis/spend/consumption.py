"""How much of a contract has been spent, by entity and in total, against its ceiling (reads only).

- Consumed: the HT amount of the spend lines linked to the contract; for a framework agreement, also the
  lines of its subsequent contracts (`Contract.framework`), which draw on the framework's maximum.
- Ceiling: the contract's amount (a framework's maximum, else the estimated amount) plus its
  amendments' changes.
- Pace: what was consumed from the effective start (notification date without a start; the first spend
  date without either) to the last spend date, per day; the projected date is when the ceiling is reached
  at that pace, or the date it was crossed when it already has been.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, F, Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from mutualis.contracts.models import Amendment, Contract

from .models import SpendLine

ZERO = Decimal("0.00")
# Shares at which the buyer is warned: the thresholds (80 % and 100 % of the ceiling), not law.
WARNING_SHARE = Decimal("0.8")
REACHED_SHARE = Decimal(1)
AMOUNT = DecimalField(max_digits=16, decimal_places=2)


def lines_of(contract_id) -> Q:
    """The spend lines that count against a contract: its own and its subsequent contracts'.

    Written as `contract IN (the contract and its subsequent ones)` so that the lines are found through
    their (contract, entity) index: an OR across the join to the contract read every line, for every
    contract (a million-line import spent most of its time there checking the alerts)."""
    inner = OuterRef(contract_id) if isinstance(contract_id, OuterRef) else contract_id
    group = Contract.objects.filter(Q(pk=inner) | Q(framework_id=inner)).values("pk")
    return Q(contract_id__in=group)


def with_consumption(queryset):
    """Annotate contracts with `consumed_amount`, `consumption_ceiling`, `first_spent_on` and
    `last_spent_on`, each one correlated subquery: many contracts in one query (API list, alert job)."""
    lines = SpendLine.objects.filter(lines_of(OuterRef("pk"))).annotate(one=Value(1)).order_by()
    amendments = Amendment.objects.filter(contract_id=OuterRef("pk")).annotate(one=Value(1)).order_by()

    def total(rows, column, aggregate=Sum):
        return Subquery(rows.values("one").annotate(total=aggregate(column)).values("total")[:1])

    return queryset.annotate(
        consumed_amount=Coalesce(total(lines, "amount_ht"), Value(ZERO), output_field=AMOUNT),
        consumption_ceiling=F("amount")
        + Coalesce(total(amendments, "amount_change"), Value(ZERO), output_field=AMOUNT),
        first_spent_on=total(lines, "paid_on", Min),
        last_spent_on=total(lines, "paid_on", Max),
    )


def share_of(consumed: Decimal, ceiling: Decimal | None) -> Decimal | None:
    """consumed ÷ ceiling to 4 decimals; None without a positive ceiling."""
    if ceiling is None or ceiling <= 0:
        return None
    return (Decimal(consumed) / Decimal(ceiling)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def projected_date(
    *, start: date | None, first: date | None, last: date | None, consumed: Decimal, ceiling
) -> date | None:
    """The day the ceiling is reached at the pace from the start to the last spend date; None without
    spend, without a positive ceiling or without a day of pace."""
    start = start or first
    if not consumed or consumed <= 0 or not ceiling or ceiling <= 0 or start is None or last is None:
        return None
    days = (last - start).days
    if days <= 0:
        return None
    return start + timedelta(days=math.ceil(Decimal(ceiling) * days / Decimal(consumed)))


def _percent(share: Decimal | None) -> Decimal | None:
    return None if share is None else (share * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class EntityShare:
    entity_id: int | None  # None: the other entities, outside the reader's scope, in one row
    name: str
    amount: Decimal
    share: Decimal | None
    not_entitled: bool

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.share)


@dataclass
class Consumption:
    consumed: Decimal
    ceiling: Decimal
    share: Decimal | None
    by_entity: list[EntityShare] = field(default_factory=list)
    projected_on: date | None = None
    reached_on: date | None = None  # the day the ceiling was crossed, when it was
    last_spent_on: date | None = None

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.share)

    @property
    def bar_percent(self) -> int:
        return 0 if self.share is None else min(100, int(self.share * 100))  # the bar stops at full

    @property
    def level(self) -> str:
        """The warning shown: "reached" (100 %), "warning" (80 %) or nothing."""
        if self.share is None:
            return ""
        return "reached" if self.share >= REACHED_SHARE else "warning" if self.share >= WARNING_SHARE else ""


def contract_consumption(contract, *, entity_ids=None) -> Consumption:
    """A contract's consumption for its page: two queries (three once the ceiling is crossed).
    `entity_ids`: the reader's scope (None = the whole territory); other entities are summed in one row."""
    lines = SpendLine.objects.filter(lines_of(contract.pk)).order_by()
    rows = list(
        lines.values("entity_id", "entity__name")
        .annotate(
            amount=Sum("amount_ht"),
            flagged=Count("pk", filter=Q(not_entitled=True)),
            first=Min("paid_on"),
            last=Max("paid_on"),
        )
        .order_by("-amount", "entity__name")
    )
    ceiling = contract.amount + sum((a.amount_change or 0 for a in contract.amendments.all()), ZERO)
    consumed = sum((row["amount"] for row in rows), ZERO)
    result = Consumption(consumed=consumed, ceiling=ceiling, share=share_of(consumed, ceiling))
    others = ZERO
    for row in rows:
        if entity_ids is not None and row["entity_id"] not in entity_ids:
            others += row["amount"]
            continue
        result.by_entity.append(
            EntityShare(
                row["entity_id"], row["entity__name"], row["amount"], share_of(row["amount"], ceiling),
                row["flagged"] > 0,
            )
        )  # fmt: skip
    if others:
        result.by_entity.append(EntityShare(None, "Autres entités", others, share_of(others, ceiling), False))
    if not rows:
        return result
    result.last_spent_on = max(row["last"] for row in rows)
    if consumed >= ceiling:
        result.reached_on = _crossed_on(lines, ceiling)
    else:
        result.projected_on = projected_date(
            start=contract.effective_start,
            first=min(row["first"] for row in rows),
            last=result.last_spent_on,
            consumed=consumed,
            ceiling=ceiling,
        )
    return result


def _crossed_on(lines, ceiling: Decimal) -> date | None:
    running = ZERO
    for day, amount in lines.values("paid_on").annotate(amount=Sum("amount_ht")).values_list(
        "paid_on", "amount"
    ).order_by("paid_on"):  # fmt: skip
        running += amount
        if running >= ceiling:
            return day
    return None
