"""Incidents declared through the service, as the pages do."""

from datetime import date

from mutualis.evaluations.models import Incident, IncidentKind, IncidentSeverity
from mutualis.evaluations.services.incidents import incident_save


def make_incident(actor, *, contract, entity, occurred_on=date(2026, 3, 2), **fields) -> Incident:
    incident = Incident(
        contract=contract,
        entity=entity,
        kind=fields.pop("kind", IncidentKind.LATE_DELIVERY),
        severity=fields.pop("severity", IncidentSeverity.MINOR),
        description=fields.pop("description", "Livraison arrivée avec trois jours de retard."),
        occurred_on=occurred_on,
        penalty_amount=fields.pop("penalty_amount", None),
        **fields,
    )
    return incident_save(actor=actor, incident=incident)
