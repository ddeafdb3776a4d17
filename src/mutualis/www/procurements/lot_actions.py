"""Which buttons the project page shows for the criteria grid and each lot: the decisions on a lot are
the LOT workflow's available transitions; editing follows the stage test the services apply
(guards.stage_problems). Also the end of the standstill period."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mutualis.procurements.analysis import LotAnalysis
from mutualis.procurements.models import Criterion, LotAction, LotStatus, Project
from mutualis.procurements.services.award import LOT, earliest_signature
from mutualis.procurements.services.guards import NEGOTIATION, OFFER_STAGES, PREPARATION, stage_problems


@dataclass(frozen=True)
class GridState:
    total: Decimal
    complete: bool
    editable: bool  # criteria and lots may change (the consultation is being prepared)


def grid_state(project: Project, criteria: list[Criterion], can_manage: bool) -> GridState:
    total = sum((c.weight for c in criteria), Decimal(0))
    editable = can_manage and not stage_problems(project, PREPARATION, "")
    return GridState(total=total, complete=total == 100, editable=editable)


@dataclass(frozen=True)
class LotActions:
    edit_lot: bool
    edit_offers: bool
    negotiate: bool
    award: bool
    declare_unsuccessful: bool
    notify: bool
    earliest_signature: date | None


def lot_actions(project: Project, analysis: LotAnalysis, can_manage: bool, user) -> LotActions:
    lot = analysis.lot
    lot.project = project  # already loaded with its stage: the workflow's guards read it
    decisions = {t.name for t in LOT.available(lot, user)} if can_manage else set()
    regular = sum(1 for r in analysis.offers if r.offer.is_regular)
    open_lot = can_manage and lot.status == LotStatus.OPEN
    return LotActions(
        edit_lot=can_manage and not stage_problems(project, PREPARATION, ""),
        edit_offers=open_lot and not stage_problems(project, OFFER_STAGES, ""),
        negotiate=open_lot and regular > 0 and not stage_problems(project, NEGOTIATION, ""),
        award=LotAction.AWARD in decisions,
        declare_unsuccessful=LotAction.DECLARE_UNSUCCESSFUL in decisions,
        notify=LotAction.NOTIFY in decisions,
        earliest_signature=earliest_signature(project, lot, regular),
    )
