"""Editing the QCD grids: a family gets its own grid as a copy of the default one, then the purchasing team
edits its criteria, weights, anchors and alert threshold. A running campaign keeps the criteria it was
launched with (it copied them)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..models import EvaluationGrid, GridCriterion
from ..qcd.default_grid import default_grid


def _require(actor) -> None:
    if not access_for(actor).has(Perm.MANAGE_EVALUATIONS):
        raise PermissionDenied


@transaction.atomic
def grid_for_family_create(*, actor, family) -> EvaluationGrid:
    """The family's own grid, a copy of the default grid (its criteria and threshold)."""
    _require(actor)
    if EvaluationGrid.objects.filter(family=family).exists():
        raise ValidationError({"family": [f"La famille {family} a déjà sa propre grille."]})
    source = default_grid()
    grid = EvaluationGrid.objects.create(family=family, alert_below=source.alert_below)
    GridCriterion.objects.bulk_create(GridCriterion(grid=grid, **c.copied()) for c in source.criteria.all())
    return grid


@transaction.atomic
def grid_save(*, actor, grid: EvaluationGrid, criteria) -> EvaluationGrid:
    """Save the grid and its criteria formset (validated by the page). A grid keeps at least one
    criterion: refused, nothing is written (the transaction is undone)."""
    _require(actor)
    grid.full_clean()
    grid.save()
    criteria.instance = grid
    criteria.save()
    if not grid.criteria.exists():
        raise ValidationError("Une grille garde au moins un critère.")
    return grid
