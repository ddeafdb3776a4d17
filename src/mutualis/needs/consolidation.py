"""Consolidation of a campaign's needs per homogeneous family, across the territory or one joint
purchasing group (DOMAIN.md §2.3).

The key is buyer × family × period: the support establishment (or the group's coordinator) buys for
every member, so the lines of all entities add up; a recurring need counts for the whole planned
duration of the future contract, a one-off need once. Sums are computed by the database.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract
from mutualis.legal.procedure import ProcedureEstimate, estimate_procedure
from mutualis.legal.rules import rule_rows
from mutualis.organisations.models import PurchasingGroup

from .models import Campaign, NeedLine, NeedStatus, Recurrence
from .procedure import territory_buyer_kind

ZERO = Decimal(0)


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


def consolidate(
    campaign: Campaign, group: PurchasingGroup | None = None, only: PurchaseFamily | None = None
) -> list[FamilyNeeds]:
    """One row per family of the campaign (or only the family `only`), across the territory or one group."""
    buyer_kind = territory_buyer_kind()
    rows = rule_rows()
    years = Decimal(campaign.contract_duration_months) / 12
    lines = NeedLine.objects.filter(campaign=campaign)
    families = campaign.families.order_by("code")
    if only is not None:
        lines, families = lines.filter(family=only), families.filter(pk=only.pk)
    contracts = Contract.objects.in_force()
    if group is not None:
        # A group's procedure covers its members' needs in the families of its convention (L2113-6).
        lines = lines.filter(entity__in=group.member_ids())
        if group.scope_families.exists():
            families = families.filter(pk__in=group.scope_families.values("pk"))
        contracts = contracts.filter(purchasing_group=group)
    families = list(families)
    pending = dict(
        lines.filter(status=NeedStatus.SUBMITTED)
        .values("family")
        .annotate(n=Count("pk"))
        .values_list("family", "n")
    )
    sums = {
        row["family"]: row
        for row in lines.counted()
        .values("family")
        .annotate(
            lines=Count("pk"),
            entities=Count("entity", distinct=True),
            recurring=Sum("estimated_amount", filter=Q(recurrence=Recurrence.RECURRING), default=ZERO),
            one_off=Sum("estimated_amount", filter=Q(recurrence=Recurrence.ONE_OFF), default=ZERO),
            align_by=Max("replaced_contract__end_date"),
        )
    }
    running = {
        row["family"]: row
        for row in contracts.filter(family__in=families)
        .values("family")
        .annotate(n=Count("pk"), amount=Sum("amount", default=ZERO))
    }
    result = []
    for family in families:
        row = sums.get(
            family.pk, {"lines": 0, "entities": 0, "recurring": ZERO, "one_off": ZERO, "align_by": None}
        )
        value = (row["recurring"] * years + row["one_off"]).quantize(Decimal("0.01"))
        estimate = estimate_procedure(
            nature=family.nature,
            buyer_kind=buyer_kind,
            launch_date=campaign.launch_date,
            amount=value,
            rows=rows,
        )
        running_row = running.get(family.pk, {"n": 0, "amount": ZERO})
        result.append(
            FamilyNeeds(
                family=family,
                lines=row["lines"],
                entities=row["entities"],
                recurring_per_year=row["recurring"],
                one_off=row["one_off"],
                estimated_value=value,
                running_contracts=running_row["n"],
                running_amount=running_row["amount"],
                estimate=estimate,
                pending=pending.get(family.pk, 0),
                align_by=row["align_by"],
            )
        )
    return result


def family_needs(campaign: Campaign, family: PurchaseFamily) -> FamilyNeeds | None:
    """The consolidation of one family of the campaign; None if the family is not in the campaign."""
    rows = consolidate(campaign, only=family)
    return rows[0] if rows else None


def split_one_off_needs(campaign: Campaign) -> list[dict]:
    """Families where several one-off needs each stay under the waiver threshold their total crosses:
    bought separately, they would be a split purchase (R2121-4)."""
    rows = (
        NeedLine.objects.filter(campaign=campaign, recurrence=Recurrence.ONE_OFF)
        .counted()
        .values("family")
        .annotate(n=Count("pk"), total=Sum("estimated_amount"), largest=Max("estimated_amount"))
        .filter(n__gte=2)
    )
    buyer_kind, thresholds = territory_buyer_kind(), rule_rows()
    families = {f.pk: f for f in PurchaseFamily.objects.filter(pk__in=[r["family"] for r in rows])}
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
            alerts.append({"family": family, "lines": row["n"], "total": row["total"], "waiver": waiver})
    return alerts
