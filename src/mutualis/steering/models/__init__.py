from .flags import FlagAcknowledgement
from .improvement import ImprovementAction, ImprovementKind, ImprovementStatus, ImprovementTransition
from .objective import Objective
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
