"""Writing the objectives: who may, and what a target may be."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..indicators.registry import BY_CODE, Unit
from ..models import Objective

# The gains target has its own page and record (gains.GainTarget): one home for one figure.
OWN_HOME = {"gains": "L'objectif de gains se fixe sur la page « Synthèse des gains achats »."}


def _check(objective: Objective) -> None:
    indicator = BY_CODE.get(objective.indicator)
    if indicator is None:
        raise ValidationError({"indicator": "Indicateur inconnu."})
    if objective.indicator in OWN_HOME:
        raise ValidationError({"indicator": OWN_HOME[objective.indicator]})
    if objective.target is None or objective.target < 0:
        raise ValidationError({"target": "La cible est un nombre positif ou nul."})
    if indicator.unit == Unit.PERCENT and objective.target > 100:
        raise ValidationError({"target": f"« {indicator.label} » est un pourcentage : 100 au plus."})
    twins = Objective.objects.filter(
        indicator=objective.indicator, year=objective.year, entity=objective.entity, family=objective.family
    ).exclude(pk=objective.pk)
    if twins.exists():
        message = f"Un objectif « {indicator.label} » existe déjà pour {objective.year} et ce périmètre."
        raise ValidationError({"indicator": message})


@transaction.atomic
def objective_save(*, actor, objective: Objective) -> Objective:
    if not access_for(actor).has(Perm.MANAGE_OBJECTIVES):
        raise PermissionDenied
    _check(objective)
    objective.save()
    return objective


@transaction.atomic
def objective_delete(*, actor, objective: Objective) -> None:
    if not access_for(actor).has(Perm.MANAGE_OBJECTIVES):
        raise PermissionDenied
    objective.delete()
