"""What the projects' workflow needs from the law and the map: who may move a project, what each stage
requires before it is left. The stages, their order and their responsible roles are data (the process
map); the transitions themselves are declared with their effects in services/projects.py (PROJECT)."""

from mutualis.organisations.roles import Role

from . import preconditions as checks
from .models import StageCode

# Abandoning a consultation is the buyers' decision, whatever the stage.
ABANDON_ROLES = frozenset({Role.BUYER, Role.ADMIN})


def stage_roles(project) -> frozenset[Role]:
    """Who may move a project from its current stage: the role that runs it, and administrators."""
    return frozenset({project.in_charge.role, Role.ADMIN})


# What must be true before a stage is validated; each check returns the problems it found, in French.
EXIT_CHECKS = {
    StageCode.NEED: (checks.scope_defined, checks.lots_defined, checks.people_assigned),
    StageCode.SOURCING: (),
    StageCode.STRATEGY: (checks.procedure_retained,),
    StageCode.DOCUMENTS: (checks.criteria_grid_complete, checks.responsible_obligations),
    StageCode.PUBLICATION: (checks.publication_dates, checks.tender_time_limit),
    StageCode.ANALYSIS: (checks.offers_received_and_scored,),
    StageCode.NEGOTIATION: (checks.offers_received_and_scored,),
    StageCode.AWARD: (checks.procedure_retained, checks.responsible_obligations, checks.lots_decided),
    StageCode.NOTIFICATION: (checks.lots_signed_and_notified,),
    StageCode.EXECUTION: (),
}


def exit_problems(project, stage_code: str) -> list[str]:
    return [problem for check in EXIT_CHECKS[stage_code] for problem in check(project)]


def stage_exit_problems(project) -> list[str]:
    """What the current stage still requires before it is validated (the advance's preconditions)."""
    return exit_problems(project, project.stage.code)
