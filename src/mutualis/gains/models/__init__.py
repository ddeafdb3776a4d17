from .gain import (
    Gain,
    GainOrigin,
    GainQuerySet,
    GainStage,
    GainStatus,
    GainTransition,
    Lever,
    ReferenceSource,
)
from .plan import ActionStatus, BudgetKind, PlanAction, PlanActionQuerySet, PlanOrigin, quarter_start
from .target import GainTarget

__all__ = [
    "ActionStatus",
    "BudgetKind",
    "Gain",
    "GainOrigin",
    "GainQuerySet",
    "GainStage",
    "GainStatus",
    "GainTarget",
    "GainTransition",
    "Lever",
    "PlanAction",
    "PlanActionQuerySet",
    "PlanOrigin",
    "ReferenceSource",
    "quarter_start",
]
