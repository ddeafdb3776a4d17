"""Models of the supplier evaluation: incidents during execution (incident.py)."""

from .incident import (
    Incident,
    IncidentKind,
    IncidentQuerySet,
    IncidentSeverity,
    IncidentStatus,
    IncidentTransition,
)

__all__ = [
    "Incident",
    "IncidentKind",
    "IncidentQuerySet",
    "IncidentSeverity",
    "IncidentStatus",
    "IncidentTransition",
]
