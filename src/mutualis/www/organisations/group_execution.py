"""A groupement's members side by side: the needs each declared in the groupement's families (the latest
campaign) and what each has executed on the groupement's contracts (its mandates), for the group's page
and its export. The coordinator passes the contracts for all; each member orders and pays its share
(L2113-7), so both figures are per member."""

from dataclasses import dataclass
from decimal import Decimal

import tablib

from mutualis.needs.models import Campaign, NeedLine
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity, PurchasingGroup
from mutualis.organisations.roles import Perm
from mutualis.spend.models import SpendLine

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass
class MemberFigures:
    entity: Entity
    status: str  # « coordonnateur », or the adhesion's status
    visible: bool  # the reader may see this member's needs and spend (entity roles: their own only)
    need_lines: int = 0
    needs_amount: Decimal = ZERO
    spend_lines: int = 0
    spent: Decimal = ZERO


@dataclass
class GroupExecution:
    campaign: Campaign | None  # the campaign whose needs are shown (the latest with the group's lines)
    rows: list[MemberFigures]
    show_needs: bool
    show_spend: bool


def group_execution(group: PurchasingGroup, user) -> GroupExecution:
    access = access_for(user)
    show_needs, show_spend = access.has(Perm.VIEW_NEEDS), access.has(Perm.VIEW_SPEND)
    lines = NeedLine.objects.counted().in_group(group)
    campaign = Campaign.objects.filter(pk__in=lines.values("campaign")).first()  # latest year first
    needs = lines.filter(campaign=campaign).per_entity() if show_needs and campaign else {}
    spend = SpendLine.objects.of_group(group).per_entity() if show_spend else {}
    scope = access.entity_ids
    members = [(group.coordinator, "coordonnateur")] + [
        (a.entity, a.status_label) for a in group.adhesions.select_related("entity").order_by("entity__name")
    ]
    rows = []
    for entity, status in members:
        row = MemberFigures(entity, status, visible=scope is None or entity.pk in scope)
        if row.visible:
            declared, paid = needs.get(entity.pk, {}), spend.get(entity.pk, {})
            # Quantized: SQLite sums decimals without their scale, PostgreSQL keeps it; exports agree.
            row.need_lines = declared.get("lines", 0)
            row.needs_amount = (declared.get("amount") or ZERO).quantize(CENT)
            row.spend_lines, row.spent = paid.get("lines", 0), (paid.get("amount") or ZERO).quantize(CENT)
        rows.append(row)
    return GroupExecution(campaign, rows, show_needs, show_spend)


def execution_dataset(execution: GroupExecution, words) -> tablib.Dataset:
    headers = [words.one_cap, "SIRET", "Statut"]
    if execution.show_needs:
        headers += [
            f"Besoins validés ({execution.campaign or 'aucune campagne'})",
            "Montant des besoins (€ HT)",
        ]
    if execution.show_spend:
        headers += ["Mandats sur les contrats du groupement", "Montant payé (€ HT)"]
    data = []
    for row in execution.rows:
        values = [str(row.entity), row.entity.siret, row.status]
        if execution.show_needs:
            values += [row.need_lines, row.needs_amount] if row.visible else ["", ""]
        if execution.show_spend:
            values += [row.spend_lines, row.spent] if row.visible else ["", ""]
        data.append(values)
    return tablib.Dataset(*data, headers=headers)
