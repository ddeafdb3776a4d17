from .cube import ContractCell, CubeBuild, HolderCell
from .flags import FlagAcknowledgement
from .improvement import ImprovementAction, ImprovementKind, ImprovementStatus, ImprovementTransition
from .objective import Objective
from .report import GovernanceReport, ReportStatus

__all__ = [
    "ContractCell",
    "CubeBuild",
    "FlagAcknowledgement",
    "GovernanceReport",
    "HolderCell",
    "ImprovementAction",
    "ImprovementKind",
    "ImprovementStatus",
    "ImprovementTransition",
    "Objective",
    "ReportStatus",
]
