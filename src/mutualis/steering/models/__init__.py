from .improvement import ImprovementAction, ImprovementKind, ImprovementStatus, ImprovementTransition
from .objective import Objective
from .flags import FlagAcknowledgement
from .report import GovernanceReport, ReportStatus

__all__ = [
    "FlagAcknowledgement",
    "GovernanceReport",
    "ImprovementAction",
    "ImprovementKind",
    "ImprovementStatus",
    "ImprovementTransition",
    "Objective",
    "ReportStatus",
]
