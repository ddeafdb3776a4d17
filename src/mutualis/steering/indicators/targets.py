"""The objective of each indicator for a scope: the one set for exactly that scope (the territory, an
entity, a family, or an entity and a family). The gains target is the gains module's own (GainTarget)."""

from decimal import Decimal

from mutualis.gains.models import GainTarget

from ..models import Objective
from ..scope import Scope


def targets_for(scope: Scope) -> dict[str, Decimal]:
    """{indicator code: target} for the scope's year, in one query (two with the gains target)."""
    objectives = Objective.objects.filter(year=scope.year, entity=scope.entity, family=scope.family)
    targets = dict(objectives.values_list("indicator", "target"))
    if scope.entity is None and scope.family is None and not scope.quarter:
        gain_target = GainTarget.objects.filter(year=scope.year).values_list("amount", flat=True).first()
        if gain_target is not None:
            targets["gains"] = gain_target
    return targets
