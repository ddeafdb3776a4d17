"""Consolidation of a campaign's needs per homogeneous family, across the territory or one joint
purchasing group (DOMAIN.md §2.3).

The key is buyer × family × period. The estimated value is the buyer's (R2121-1): outside a group, the
lines add up per buyer key (organisations.models.buyer_key: the support establishment for the members it
buys for, each entity that buys for its own account alone), never across independent buyers; within a
group, its coordinator buys for every member signed at the campaign's launch date (L2113-6), so their
lines add up. A recurring need counts for the whole planned duration of the future contract, a one-off
need once. The database sums per entity and family; those rows are folded per buyer here.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract
from mutualis.legal.procedure import ProcedureEstimate, estimate_procedure
from mutualis.legal.rules import rule_rows
from mutualis.organisations.models import Entity, PurchasingGroup

from .models import Campaign, NeedLine, NeedLineQuerySet, NeedStatus, Recurrence
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


def _per_buyer(queryset, entity_field: str, buyer_of, **sums) -> dict[tuple, dict]:
    """(buyer id, family id) → the sums, folded from the database's sums per (entity, family): grouping by
    the entity column needs no join and no distinct count over the lines, and there are only entities ×
    families rows to fold. `buyer_of` maps an entity id to its buyer key."""
    rows = queryset.values(entity_field, "family").annotate(**sums).order_by()
    folded: dict[tuple, dict] = {}
    for row in rows:
        key = (buyer_of(row.pop(entity_field)), row.pop("family"))
        if "lines" in row:  # an entity counts once for its buyer when it has counted lines
            row["entities"] = 1 if row["lines"] else 0
        if key not in folded:
            folded[key] = row
            continue
        total = folded[key]
        for name, value in row.items():
            total[name] = _latest(total[name], value) if name == "align_by" else total[name] + value
    return folded


def _latest(a, b):
    return max(filter(None, (a, b)), default=None)


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
        default_buyer = group.coordinator

        def buyer_of(entity):  # the coordinator buys for every member
            return group.coordinator_id

    else:
        default_buyer = Entity.objects.support_establishment()
        buyer_keys = Entity.objects.buyer_keys()
        fallback = getattr(default_buyer, "pk", None)

        def buyer_of(entity):  # buyer_key()'s answer; a contract without buyer falls to the support
            return buyer_keys.get(entity, fallback)

    families = list(families)
    counted = NeedLineQuerySet.COUNTED
    sums = _per_buyer(
        lines.filter(counted | Q(status=NeedStatus.SUBMITTED)),
        "entity",
        buyer_of,
        pending=Count("pk", filter=Q(status=NeedStatus.SUBMITTED)),
        lines=Count("pk", filter=counted),
        recurring=Sum("estimated_amount", filter=counted & Q(recurrence=Recurrence.RECURRING), default=ZERO),
        one_off=Sum("estimated_amount", filter=counted & Q(recurrence=Recurrence.ONE_OFF), default=ZERO),
        align_by=Max("replaced_contract__end_date", filter=counted),
    )
    pending = {key: {"n": row.pop("pending")} for key, row in sums.items()}
    running = _per_buyer(
        contracts.filter(family__in=families),
        "buyer",
        buyer_of,
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
