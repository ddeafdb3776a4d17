from .interest import Interest
from .lots import (
    Criterion,
    CriterionKind,
    Lot,
    LotAction,
    LotStatus,
    LotTransition,
    NegotiationRound,
    Offer,
    OfferPriceLine,
    OfferScore,
)
from .process import ProcessMap, Stage, StageCode
from .project import Project, ProjectStatus, StageTransition, TimeLimitReduction, TransitionAction

__all__ = [
    "Criterion",
    "CriterionKind",
    "Interest",
    "Lot",
    "LotAction",
    "LotStatus",
    "LotTransition",
    "NegotiationRound",
    "Offer",
    "OfferPriceLine",
    "OfferScore",
    "ProcessMap",
    "Project",
    "ProjectStatus",
    "Stage",
    "StageCode",
    "StageTransition",
    "TimeLimitReduction",
    "TransitionAction",
]
