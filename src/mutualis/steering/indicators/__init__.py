"""The steering indicators, computed in this one package for a scope (period, entity, family) and a user
(whose rights limit the rows counted): `compute()` gives every indicator with its target.

Each group reads its own data in a fixed number of queries, whatever the number of records:
contracts.py (activity, competition, responsible purchasing), projects.py (consultations and lead times),
compliance.py, performance.py (gains, spend); targets.py the objectives; registry.py the definitions."""

from ..scope import Scope
from .base import Value
from .compliance import compliance_indicators
from .contracts import contract_indicators
from .performance import performance_indicators
from .projects import project_indicators
from .registry import BY_CODE, INDICATORS, Group, Indicator, Unit
from .targets import targets_for

__all__ = ["BY_CODE", "INDICATORS", "Group", "Indicator", "Scope", "Unit", "Value", "compute"]


def compute(scope: Scope, user) -> dict[str, Value]:
    """Every indicator of the registry for the scope, in the registry's order, with its target."""
    values = {
        item.indicator.code: item
        for group in (contract_indicators, project_indicators, compliance_indicators, performance_indicators)
        for item in group(scope, user)
    }
    targets = targets_for(scope)
    ordered = {}
    for indicator in INDICATORS:
        item = values.get(indicator.code)
        if item is None:
            continue
        item.target = targets.get(indicator.code)
        ordered[indicator.code] = item
    return ordered
