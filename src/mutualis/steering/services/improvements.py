"""Writing the improvement log: an action is recorded by the team that keeps the log, and moves only
through its workflow (IMPROVEMENT), which sets its state, closing date and outcome."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify, shorten
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm
from mutualis.procurements.models import StageCode

from ..improvement_workflow import IMPROVEMENT
from ..models import ImprovementAction, ImprovementStatus, ImprovementTransition

SUBJECT_MISSING = (
    "Rattachez l'action à au moins l'un de ces champs : étape de la cartographie, projet ou contrat."
)
# What only the workflow writes: a form's values for them are ignored.
WORKFLOW_FIELDS = ("status", "closed_on", "outcome", "created_by_id")


def _check(action: ImprovementAction) -> None:
    if not (action.stage_code or action.project_id or action.contract_id):
        raise ValidationError(SUBJECT_MISSING)
    if action.stage_code and action.stage_code not in StageCode.values:
        raise ValidationError({"stage_code": f"Étape de la cartographie inconnue : « {action.stage_code} »."})
    owner = action.owner if action.owner_id else None
    if owner is not None and not owner.is_active:
        raise ValidationError({"owner": f"{owner} n'a plus de compte actif : choisissez un autre pilote."})
    if owner is not None and not access_for(owner).has(Perm.VIEW_STEERING):
        raise ValidationError(
            {"owner": f"{owner} n'a pas accès au pilotage : il ne pourrait pas suivre l'action."}
        )


@transaction.atomic
def improvement_save(*, actor, action: ImprovementAction) -> ImprovementAction:
    """Record a new action (open, logged, its owner told) or change one's description, links, owner and
    due date; its state changes only through improvement_transition."""
    if not access_for(actor).has(Perm.MANAGE_IMPROVEMENTS):
        raise PermissionDenied
    _check(action)
    created = action.pk is None
    previous_owner = None
    if created:
        action.status, action.closed_on, action.outcome = ImprovementStatus.OPEN, None, ""
        action.created_by = actor
    else:
        stored = ImprovementAction.objects.get(pk=action.pk)
        for name in WORKFLOW_FIELDS:
            setattr(action, name, getattr(stored, name))
        previous_owner = stored.owner_id
    action.full_clean(exclude=["created_by"])  # the author may have left: his actions stay editable
    action.save()
    if created:
        ImprovementTransition.objects.create(
            action=action,
            name="create",
            from_status=ImprovementStatus.OPEN,
            to_status=ImprovementStatus.OPEN,
            by=actor,
        )
    if action.owner_id != previous_owner:
        _tell_owner(action, actor)
    return action


def _tell_owner(action: ImprovementAction, actor) -> None:
    """The owner hears that the action is his, unless he recorded or reassigned it himself."""
    if action.owner_id == getattr(actor, "pk", None):
        return
    notify(
        recipients=[action.owner],
        message=Message(
            key=f"improvement-{action.pk}-owner-{action.owner_id}",
            subject=f"Action d'amélioration qui vous est confiée : {shorten(action.title)}",
            body=(
                f"{actor} vous confie l'action « {action.title} » "
                f"({action.get_kind_display().lower()}), à mener pour le {action.due_on:%d/%m/%Y}."
            ),
            url=action.get_absolute_url(),
            kind=Kind.IMPROVEMENT_ASSIGNED,
        ),
    )


def improvement_transition(
    *, actor, action: ImprovementAction, name: str, comment: str = ""
) -> ImprovementAction:
    """Take in charge, close, reopen or cancel an action along IMPROVEMENT, or refuse with the reason."""
    return IMPROVEMENT.apply(action, name, actor, comment=comment).record
