"""Asking for a governance report: who may, for which scope; the files are built by the worker."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..models import GovernanceReport
from ..tasks import build_governance_report


@transaction.atomic
def report_request(*, actor, year: int, quarter=None, entity=None, family=None) -> GovernanceReport:
    """Store the run and queue it. An entity role asks for its own entities only; without an entity its
    figures are still limited to its entities, since the report is computed with its rights."""
    access = access_for(actor)
    if not access.has(Perm.VIEW_STEERING):
        raise PermissionDenied
    if entity is not None and not access.can_see_entity(entity.pk):
        raise PermissionDenied("Vous ne pouvez demander un rapport que pour vos entités.")
    if quarter is not None and quarter not in range(1, 5):
        raise ValidationError({"quarter": "Le trimestre est compris entre 1 et 4."})
    report = GovernanceReport.objects.create(
        year=year, quarter=quarter, entity=entity, family=family, requested_by=actor
    )
    transaction.on_commit(lambda: build_governance_report.enqueue(report.pk))
    return report


def reports_for(user):
    """The reports a user may open. Narrower than the model's `for_user`: a report without an entity
    holds the figures its author may see, so an entity role opens those it asked for and those of its
    own entities, never another one's « whole territory » (which was its author's entities)."""
    scope = access_for(user).entity_ids
    reports = GovernanceReport.objects.select_related("entity", "family", "requested_by")
    if scope is None:
        return reports
    return reports.filter(Q(requested_by=user) | Q(entity_id__in=scope))
