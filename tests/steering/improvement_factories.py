"""Improvement actions recorded through the service, as the pages do."""

from datetime import date

from mutualis.procurements.models import StageCode
from mutualis.steering.models import ImprovementAction, ImprovementKind
from mutualis.steering.services.improvements import improvement_save


def make_action(actor, *, owner, due_on=date(2031, 6, 30), **fields) -> ImprovementAction:
    if not {"stage_code", "project", "contract"} & set(fields):
        fields["stage_code"] = StageCode.ANALYSIS
    action = ImprovementAction(
        kind=fields.pop("kind", ImprovementKind.NON_CONFORMITY),
        title=fields.pop("title", "Grille d'analyse incomplète"),
        owner=owner,
        due_on=due_on,
        **fields,
    )
    return improvement_save(actor=actor, action=action)
