"""Needs of a campaign that independent buyers could buy together (DOMAIN.md §2.3, L2113-6).

In one family, when validated needs come from two or more buyer keys (organisations.models.buyer_key),
each buyer's consultation follows its own value (R2121-1): that is the law, not an alert. Bought together
through a groupement de commandes, one consultation would follow their combined value. This module reads,
per such family, each buyer's value and procedure (the consolidation's rows, needs.consolidation), the
combined value and the procedure a groupement's consultation would need, the date the contracts these
needs replace end by, and the active groupements that already cover it. Members of a GHT that the
support establishment buys for share one buyer key: never an opportunity between them.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from mutualis.catalogue.models import PurchaseFamily
from mutualis.legal.procedure import ProcedureEstimate
from mutualis.legal.rules import rule_rows
from mutualis.organisations.models import Entity, GroupMembership, PurchasingGroup

from .consolidation import FamilyNeeds, consolidate
from .models import Campaign
from .opportunities import _pooling_estimate, group_create_query
from .procedure import territory_buyer_kind


@dataclass
class NeedsPooling:
    family: PurchaseFamily
    shares: list[FamilyNeeds]  # one consolidation row per buyer, the largest value first
    combined_value: Decimal
    estimate: ProcedureEstimate | None  # one consultation for the combined value, at the campaign's launch
    align_by: date | None  # when the last of the contracts these needs replace ends
    groups: list[PurchasingGroup] = field(default_factory=list)  # active groupements that already cover it

    @property
    def buyers(self) -> list[Entity]:
        return [share.buyer for share in self.shares]

    @property
    def pooled(self) -> bool:
        """Already bought together: a groupement covers the family and has all these buyers signed."""
        return bool(self.groups)

    @property
    def group_create_query(self) -> str:
        """The GET parameters that prefill the groupement's creation form (organisations:group_create)."""
        return group_create_query(self.family, [buyer.pk for buyer in self.buyers])


def needs_pooling(campaign: Campaign) -> list[NeedsPooling]:
    """The campaign's families whose validated needs come from two or more buyer keys, by family code."""
    per_family: dict[int, list[FamilyNeeds]] = {}
    for row in consolidate(campaign):
        if row.lines and row.buyer is not None:
            per_family.setdefault(row.family.pk, []).append(row)
    shared = [rows for rows in per_family.values() if len(rows) > 1]
    if not shared:
        return []
    buyer_kind, thresholds = territory_buyer_kind(), rule_rows()
    covering = _covering_groups(campaign, {rows[0].family.pk for rows in shared})
    result = []
    for rows in shared:
        rows = sorted(rows, key=lambda row: (-row.estimated_value, row.buyer.name, row.buyer.pk))
        family, combined = rows[0].family, sum((row.estimated_value for row in rows), Decimal(0))
        ends = [row.align_by for row in rows if row.align_by]
        buyers = {row.buyer.pk for row in rows}
        result.append(
            NeedsPooling(
                family=family,
                shares=rows,
                combined_value=combined,
                # The same law as each buyer's row: the thresholds of the campaign's launch date.
                estimate=_pooling_estimate(family, combined, campaign.launch_date, buyer_kind, thresholds),
                align_by=max(ends) if ends else None,
                groups=[g for g, covers in covering.get(family.pk, []) if buyers <= covers],
            )
        )
    return sorted(result, key=lambda pooling: pooling.family.code)


def _covering_groups(campaign: Campaign, family_ids: set[int]) -> dict[int, list[tuple]]:
    """Family id → [(active group, ids of its members signed at the campaign's launch)]: the groups whose
    convention covers the family (no family named: all of them, as consolidate reads a group). The
    coordinator counts as signed (PurchasingGroup.signed_member_ids)."""
    groups = list(PurchasingGroup.objects.filter(is_active=True).prefetch_related("scope_families"))
    signed = {group.pk: {group.coordinator_id} for group in groups}
    adhesions = GroupMembership.objects.signed(campaign.launch_date).filter(group__in=groups)
    for group_id, entity_id in adhesions.values_list("group", "entity"):
        signed[group_id].add(entity_id)
    covering: dict[int, list[tuple]] = {}
    for group in groups:
        scope = {family.pk for family in group.scope_families.all()} or family_ids
        for family_id in scope & family_ids:
            covering.setdefault(family_id, []).append((group, signed[group.pk]))
    return covering
