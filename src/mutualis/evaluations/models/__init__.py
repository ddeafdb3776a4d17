"""Models of the supplier evaluation: incidents during execution (incident.py) and the quality–cost–delay
evaluation campaigns with their grids and answers (qcd.py)."""

from .incident import (
    Incident,
    IncidentKind,
    IncidentQuerySet,
    IncidentSeverity,
    IncidentStatus,
    IncidentTransition,
)
from .qcd import (
    SCALE,
    Axis,
    CampaignCriterion,
    CampaignStatus,
    CampaignTransition,
    Evaluation,
    EvaluationCampaign,
    EvaluationGrid,
    EvaluationStatus,
    GridCriterion,
    Score,
    SupplierComment,
)

__all__ = [
    "SCALE",
    "Axis",
    "CampaignCriterion",
    "CampaignStatus",
    "CampaignTransition",
    "Evaluation",
    "EvaluationCampaign",
    "EvaluationGrid",
    "EvaluationStatus",
    "GridCriterion",
    "Incident",
    "IncidentKind",
    "IncidentQuerySet",
    "IncidentSeverity",
    "IncidentStatus",
    "IncidentTransition",
    "Score",
    "SupplierComment",
]
