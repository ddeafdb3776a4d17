"""The steering indicators, computed in this one package for a scope (period, entity, family) and a user
(whose rights limit the rows counted): `compute()` gives every indicator with its target.

Each group reads its own data in a fixed number of queries, whatever the number of records:
contracts.py (activity, competition, responsible purchasing), projects.py (consultations and lead times),
compliance.py, performance.py (gains, spend); targets.py the objectives; registry.py the definitions."""

from django.core.cache import cache
from django.utils import timezone

from mutualis.core.replica import replica_reads
from mutualis.organisations.access import access_for

from .. import figures_cache
from ..scope import Scope
from .base import Value
from .compliance import FLAG_KINDS, decp_indicators, flag_indicators
from .contracts import CONTRACT_CODES, HOLDER_CODES, contract_indicators, holder_indicators
from .performance import performance_indicators
from .projects import launch_indicators, lead_time_indicators, stage_indicators
from .registry import BY_CODE, INDICATORS, Group, Indicator, Unit
from .targets import targets_for

__all__ = ["BY_CODE", "INDICATORS", "Group", "Indicator", "Scope", "Unit", "Value", "compute"]


# Each group's function and the indicators it gives, so that a page asks only for what it shows.
GROUPS = (
    (contract_indicators, (*CONTRACT_CODES, "insertion_hours")),
    (holder_indicators, HOLDER_CODES),
    (launch_indicators, ("projects_launched", "amount_launched", "projects_in_progress")),
    (lead_time_indicators, ("lead_time_median", "lead_time_p90")),
    (stage_indicators, ("stages_on_time_share",)),
    (decp_indicators, ("decp_on_time_share",)),
    (flag_indicators, tuple(FLAG_KINDS)),
    (performance_indicators, ("gains", "spend_under_contract_share")),
)  # fmt: skip


@replica_reads()
def compute(scope: Scope, user, codes=None) -> dict[str, Value]:
    """Every indicator of the registry (or those of `codes`) for the scope, in the registry's order,
    with its target. A reader who sees the whole territory shares the figures kept in the cache until
    the data changes (steering/figures_cache.py)."""
    if access_for(user).entity_ids is not None:
        return _compute(scope, user, codes)
    key = figures_cache.key(scope, codes, timezone.localdate())
    figures = cache.get(key)
    if figures is None:
        figures = _compute(scope, user, codes)
        cache.set(key, figures, figures_cache.SECONDS)
    return figures


def _compute(scope: Scope, user, codes=None) -> dict[str, Value]:
    values = {
        item.indicator.code: item
        for group, gives in GROUPS
        if codes is None or set(gives) & set(codes)
        for item in group(scope, user)
    }
    targets = targets_for(scope)
    ordered = {}
    for indicator in INDICATORS:
        item = values.get(indicator.code)
        if item is None or (codes is not None and indicator.code not in codes):
            continue
        item.target = targets.get(indicator.code)
        ordered[indicator.code] = item
    return ordered
