"""Consolidation of a campaign's needs per homogeneous family, across the territory or one joint
purchasing group (DOMAIN.md §2.3).

The key is buyer × family × period. The estimated value is the buyer's (R2121-1): outside a group, the
lines add up per buyer key (organisations.models.buyer_key: the support establishment for the members it
buys for, each entity that buys for its own account alone), never across independent buyers; within a
group, its coordinator buys for every member signed at the campaign's launch date (L2113-6), so their
lines add up. A recurring need counts for the whole planned duration of the future contract, a one-off
need once. Sums are computed by the database.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum, Value

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract
from mutualis.legal.procedure import ProcedureEstimate, estimate_procedure
from mutualis.legal.rules import rule_rows
from mutualis.organisations.models import Entity, PurchasingGroup, buyer_key

from .models import Campaign, NeedLine, NeedStatus, Recurrence
from .procedure import territory_buyer_kind

ZERO = Decimal(0)
EMPTY = {"lines": 0, "entities": 0, "recurring": ZERO, "one_off": ZERO, "align_by": None}


@dataclass
class FamilyNeeds:
    family: PurchaseFamily
    lines: int
    entities: int
    recurring_per_year: Decimal
    one_off: Decimal
    estimated_value: Decimal
    running_contracts: int
    running_amount: Decimal
    estimate: ProcedureEstimate
    pending: int = 0  # submitted lines awaiting validation, not counted yet
    align_by: date | None = None  # when the last contract these needs replace ends
    buyer: Entity | None = None  # whose SIRET buys (None: no entity in the territory yet)


def _per_buyer(queryset, buyer, **sums) -> dict[tuple, dict]:
    """(buyer id, family id) → the sums; `buyer` is the expression that names the buyer."""
    rows = queryset.annotate(legal_buyer=buyer).values("legal_buyer", "family").annotate(**sums).order_by()
    return {(row["legal_buyer"], row["family"]): row for row in rows}


def consolidate(
    campaign: Campaign, group: PurchasingGroup | None = None, only: PurchaseFamily | None = None
) -> list[FamilyNeeds]:
    """One row per family of the campaign (or only the family `only`) and per buyer, across the territory
    or one group; a family without needs keeps one row, under the territory's default buyer."""
    lines = NeedLine.objects.filter(campaign=campaign)
    families = campaign.families.order_by("code")
    if only is not None:
        lines, families = lines.filter(family=only), families.filter(pk=only.pk)
    contracts = Contract.objects.in_force()
    if group is not None:
        # A group's procedure covers its members' needs in the families of its convention (L2113-6), of
        # the members signed by the campaign's planned launch: the convention must be in force before a
        # procedure is launched, and a late joiner cannot use one already launched (DAJ 2019).
        lines = lines.filter(entity__in=group.signed_member_ids(on=campaign.launch_date))
        if group.scope_families.exists():
            families = families.filter(pk__in=group.scope_families.values("pk"))
        contracts = contracts.filter(purchasing_group=group)
        line_buyer = contract_buyer = Value(group.coordinator_id)
        default_buyer = group.coordinator
    else:
        line_buyer, contract_buyer = buyer_key("entity__"), buyer_key("buyer__")
        default_buyer = Entity.objects.support_establishment()
    families = list(families)
    pending = _per_buyer(lines.filter(status=NeedStatus.SUBMITTED), line_buyer, n=Count("pk"))
    sums = _per_buyer(
        lines.counted(),
        line_buyer,
        lines=Count("pk"),
        entities=Count("entity", distinct=True),
        recurring=Sum("estimated_amount", filter=Q(recurrence=Recurrence.RECURRING), default=ZERO),
        one_off=Sum("estimated_amount", filter=Q(recurrence=Recurrence.ONE_OFF), default=ZERO),
        align_by=Max("replaced_contract__end_date"),
    )
    running = _per_buyer(
        contracts.filter(family__in=families),
        contract_buyer,
        n=Count("pk"),
        amount=Sum("amount", default=ZERO),
    )
    buyers = Entity.objects.in_bulk({key[0] for key in (*sums, *pending, *running)} - {None})
    if default_buyer is not None:
        buyers.setdefault(default_buyer.pk, default_buyer)
    context = {"campaign": campaign, "buyer_kind": territory_buyer_kind(), "rows": rule_rows()}
    result = []
    for family in families:
        # Every buyer with needs (counted or awaiting validation) or running contracts in the family.
        found = {b for b, f in (*sums, *pending, *running) if f == family.pk}
        keys = sorted(found, key=lambda pk: (buyers[pk].name, pk))
        if not keys:  # no need yet: the family still shows, under the default buyer
            keys = [getattr(default_buyer, "pk", None)]
        for key in keys:
            result.append(
                _family_row(
                    family,
                    buyers.get(key),
                    sums.get((key, family.pk), EMPTY),
                    running.get((key, family.pk), {"n": 0, "amount": ZERO}),
                    pending.get((key, family.pk), {"n": 0})["n"],
                    **context,
                )
            )
    return result


def _family_row(family, buyer, row, running, pending, *, campaign, buyer_kind, rows) -> FamilyNeeds:
    years = Decimal(campaign.contract_duration_months) / 12
    value = (row["recurring"] * years + row["one_off"]).quantize(Decimal("0.01"))
    estimate = estimate_procedure(
        nature=family.nature, buyer_kind=buyer_kind, launch_date=campaign.launch_date, amount=value, rows=rows
    )
    return FamilyNeeds(
        family=family,
        lines=row["lines"],
        entities=row["entities"],
        recurring_per_year=row["recurring"],
        one_off=row["one_off"],
        estimated_value=value,
        running_contracts=running["n"],
        running_amount=running["amount"],
        estimate=estimate,
        pending=pending,
        align_by=row["align_by"],
        buyer=buyer,
    )


def family_needs(
    campaign: Campaign, family: PurchaseFamily, buyer: Entity | None = None
) -> FamilyNeeds | None:
    """The consolidation of one family of the campaign for one buyer (default: its only buyer); None if
    the family is not in the campaign, or if its needs have several buyers and none was named."""
    rows = consolidate(campaign, only=family)
    if buyer is not None:
        rows = [row for row in rows if row.buyer == buyer]
    return rows[0] if len(rows) == 1 else None


def split_one_off_needs(campaign: Campaign) -> list[dict]:
    """Families where several one-off needs each stay under the waiver threshold their total crosses:
    bought separately, they would be a split purchase (R2121-4)."""
    rows = (
        NeedLine.objects.filter(campaign=campaign, recurrence=Recurrence.ONE_OFF)
        .counted()
        .with_buyer()  # one buyer's purchases only: independent buyers do not split each other's
        .values("legal_buyer", "family")
        .annotate(n=Count("pk"), total=Sum("estimated_amount"), largest=Max("estimated_amount"))
        .filter(n__gte=2)
    )
    buyer_kind, thresholds = territory_buyer_kind(), rule_rows()
    families = {f.pk: f for f in PurchaseFamily.objects.filter(pk__in=[r["family"] for r in rows])}
    buyers = Entity.objects.in_bulk([r["legal_buyer"] for r in rows])
    alerts = []
    for row in rows:
        family = families[row["family"]]
        waiver = Decimal(
            estimate_procedure(
                nature=family.nature,
                buyer_kind=buyer_kind,
                launch_date=campaign.launch_date,
                amount=row["total"],
                rows=thresholds,
            ).thresholds["waiver"]
        )
        if row["largest"] < waiver <= row["total"]:
            alerts.append(
                {
                    "family": family,
                    "buyer": buyers[row["legal_buyer"]],
                    "lines": row["n"],
                    "total": row["total"],
                    "waiver": waiver,
                }
            )
    return alerts
