"""The projects' workflow, declared: which actions exist, who may take them, what each stage requires
before it is left (ARCHITECTURE rule 3). The stages, their order and their responsible roles are data
(the process map); the rules of each stage are here, checked by the service."""

from dataclasses import dataclass

from mutualis.organisations.roles import Role

from . import preconditions as checks
from .models import StageCode, TransitionAction

STAGE_RESPONSIBLE = "stage_responsible"  # the role the map gives the current stage, and administrators


@dataclass(frozen=True)
class TransitionRule:
    roles: frozenset[Role] | str
    comment_required: bool
    label: str


TRANSITIONS: dict[str, TransitionRule] = {
    TransitionAction.ADVANCE: TransitionRule(STAGE_RESPONSIBLE, False, "Valider l'étape"),
    TransitionAction.SEND_BACK: TransitionRule(STAGE_RESPONSIBLE, True, "Renvoyer à l'étape précédente"),
    TransitionAction.ABANDON: TransitionRule(
        frozenset({Role.BUYER, Role.ADMIN}), True, "Déclarer sans suite"
    ),
}

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


def allowed_roles(action: str, stage) -> frozenset[Role]:
    rule = TRANSITIONS[action]
    if rule.roles == STAGE_RESPONSIBLE:
        return frozenset({Role(stage.responsible_role), Role.ADMIN})
    return rule.roles


def exit_problems(project, stage_code: str) -> list[str]:
    return [problem for check in EXIT_CHECKS[stage_code] for problem in check(project)]
