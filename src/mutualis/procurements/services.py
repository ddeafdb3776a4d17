"""Writes on procurement projects."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.needs.consolidation import consolidate
from mutualis.needs.models import NeedLine
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .models import Project


@transaction.atomic
def project_from_needs(*, actor, campaign, family) -> Project:
    """Turn a family's consolidated needs into a project, with the procedure computed for its value."""
    if not access_for(actor).has(Perm.MANAGE_CAMPAIGNS):
        raise PermissionDenied
    if Project.objects.filter(source_campaign=campaign, family=family).exists():
        raise ValidationError("Un projet existe déjà pour cette famille dans cette campagne.")
    row = next((r for r in consolidate(campaign) if r.family == family), None)
    if row is None or not row.lines:
        raise ValidationError("Aucun besoin validé dans cette famille.")
    launch = campaign.launch_date
    project = Project.objects.create(
        object=f"{family.label} — besoins {campaign.year}",
        family=family,
        estimated_value=row.estimated_value,
        procedure=row.estimate.procedure,
        procedure_explanation=row.estimate.explanation,
        thresholds_version=row.estimate.thresholds["version"],
        planned_launch_quarter=f"{launch.year}-T{(launch.month - 1) // 3 + 1}",
        source_campaign=campaign,
        created_by=actor,
    )
    lines = NeedLine.objects.filter(campaign=campaign, family=family).counted()
    project.entities.set(lines.values_list("entity", flat=True).distinct())
    return project
