"""The law as a procurement project asks it: which date chooses the rules, then calls into the legal app
(mutualis.legal), which owns every dated value (time limits, standstill, obligations; DOMAIN.md §3, §6.1).
"""

from datetime import date

from django.utils import timezone

from mutualis.legal.consultation import (
    Obligations,
    ProcedureRules,
    earliest_deadline,
    earliest_signature,
    minimum_time_limit_days,
    obligations_for,
    rules_on,
    standstill_applies,
)
from mutualis.legal.vocabulary import DEFAULT_FOR_KIND, FORMALISED, needs_reason
from mutualis.legal.working_days import next_working_day

# The callers read the law through this module (rules.earliest_deadline(…), rules.DEFAULT_FOR_KIND…).
__all__ = [
    "DEFAULT_FOR_KIND",
    "FORMALISED",
    "Obligations",
    "ProcedureRules",
    "earliest_deadline",
    "earliest_signature",
    "launch_date",
    "minimum_time_limit_days",
    "needs_reason",
    "next_working_day",
    "obligations_for",
    "rules_for",
    "rules_on",
    "standstill_applies",
]


def launch_date(project) -> date:
    """The date that chooses the rules: the launch, else the notice, else today (not launched yet)."""
    return project.launched_on or project.published_on or timezone.localdate()


def rules_for(project) -> ProcedureRules:
    """The consultation rules in force at the project's launch date, read once per project object (the
    project page asks for them for every lot)."""
    day = launch_date(project)
    cached = getattr(project, "_rules_in_force", None)
    if cached is None or cached[0] != day:
        cached = project._rules_in_force = (day, rules_on(day))
    return cached[1]
