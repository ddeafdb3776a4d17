"""Which buttons the project page shows for the criteria grid and each lot, read from the stage sets the
procurement services enforce (the services refuse anyway), and the end of the standstill period."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mutualis.procurements.analysis import LotAnalysis
from mutualis.procurements.models import Criterion, LotStatus, Project, ProjectStatus
from mutualis.procurements.services.award import earliest_signature
from mutualis.procurements.services.guards import (
    AWARD,
    DECISION_STAGES,
    NOTIFICATION,
    OFFER_STAGES,
    PREPARATION,
)


@dataclass(frozen=True)
class GridState:
    total: Decimal
    complete: bool
    editable: bool  # criteria and lots may change (the consultation is being prepared)


def grid_state(project: Project, criteria: list[Criterion], can_manage: bool) -> GridState:
    total = sum((c.weight for c in criteria), Decimal(0))
    editable = can_manage and _live(project) and project.stage.code in PREPARATION
    return GridState(total=total, complete=total == 100, editable=editable)


@dataclass(frozen=True)
class LotActions:
    edit_lot: bool
    edit_offers: bool
    award: bool
    declare_unsuccessful: bool
    notify: bool
    earliest_signature: date | None


def lot_actions(project: Project, analysis: LotAnalysis, can_manage: bool) -> LotActions:
    lot, stage = analysis.lot, project.stage.code
    live = can_manage and _live(project)
    is_open = lot.status == LotStatus.OPEN
    regular = sum(1 for r in analysis.offers if r.offer.is_regular)
    return LotActions(
        edit_lot=live and stage in PREPARATION,
        edit_offers=live and is_open and stage in OFFER_STAGES,
        award=live and is_open and stage in AWARD and regular > 0,
        declare_unsuccessful=live and is_open and stage in DECISION_STAGES,
        notify=live and lot.status == LotStatus.AWARDED and stage in NOTIFICATION and not lot.notified_on,
        earliest_signature=earliest_signature(project, lot, regular),
    )


def _live(project: Project) -> bool:
    return project.status == ProjectStatus.IN_PROGRESS
