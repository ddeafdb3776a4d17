"""Consolidation of a campaign's needs per homogeneous family, across the territory (DOMAIN.md §2.3).

The key is buyer × family × period: the support establishment buys for every member, so the lines of
all entities add up; a recurring need counts for the whole planned duration of the future contract, a
one-off need once. Sums are computed by the database.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract
from mutualis.organisations.models import Territory

from .models import Campaign, NeedLine, NeedStatus, Recurrence
from .procedure import ProcedureEstimate, estimate_procedure

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


def consolidate(campaign: Campaign) -> list[FamilyNeeds]:
    territory = Territory.current()
    buyer_kind = territory.buyer_kind if territory else "autre_pouvoir_adjudicateur"
    years = Decimal(campaign.contract_duration_months) / 12
    pending = dict(
        NeedLine.objects.filter(campaign=campaign, status=NeedStatus.SUBMITTED)
        .values("family")
        .annotate(n=Count("pk"))
        .values_list("family", "n")
    )
    sums = {
        row["family"]: row
        for row in NeedLine.objects.filter(campaign=campaign)
        .counted()
        .values("family")
        .annotate(
            lines=Count("pk"),
            entities=Count("entity", distinct=True),
            recurring=Sum("estimated_amount", filter=Q(recurrence=Recurrence.RECURRING), default=ZERO),
            one_off=Sum("estimated_amount", filter=Q(recurrence=Recurrence.ONE_OFF), default=ZERO),
        )
    }
    families = list(campaign.families.order_by("code"))
    running = {
        row["family"]: row
        for row in Contract.objects.in_force()
        .filter(family__in=families)
        .values("family")
        .annotate(n=Count("pk"), amount=Sum("amount", default=ZERO))
    }
    result = []
    for family in families:
        row = sums.get(family.pk, {"lines": 0, "entities": 0, "recurring": ZERO, "one_off": ZERO})
        value = (row["recurring"] * years + row["one_off"]).quantize(Decimal("0.01"))
        estimate = estimate_procedure(
            nature=family.nature, buyer_kind=buyer_kind, launch_date=campaign.launch_date, amount=value
        )
        contracts = running.get(family.pk, {"n": 0, "amount": ZERO})
        result.append(
            FamilyNeeds(
                family,
                row["lines"],
                row["entities"],
                row["recurring"],
                row["one_off"],
                value,
                contracts["n"],
                contracts["amount"],
                estimate,
                pending.get(family.pk, 0),
            )
        )
    return result
