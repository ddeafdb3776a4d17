"""An improvement action's life, on the one workflow mechanism: its owner takes it in charge and closes it
with its outcome; the team that keeps the log may also reopen or cancel it (with the reason)."""

from django.utils import timezone

from mutualis.core.workflow import Move, Transition, Workflow, transition_log
from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify, shorten
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import ROLE_PERMISSIONS, TERRITORY_WIDE_ROLES, Perm, Role

from .models import ImprovementAction, ImprovementStatus, ImprovementTransition

# The action's owner, whatever his roles: a referent who owns an action moves it though he keeps no log.
OWNER = "owner"
MANAGERS = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_IMPROVEMENTS in perms)
RUNNING = frozenset({ImprovementStatus.OPEN, ImprovementStatus.IN_PROGRESS})


def roles_on(actor, action: ImprovementAction) -> frozenset:
    """The managers' roles are territory-wide ones; an entity role counts only as the action's owner."""
    access = access_for(actor)
    roles = set(Role) if access.is_superuser else set(access.roles & TERRITORY_WIDE_ROLES)
    # The owner counts while he may still reach the steering pages (an active person with such a role).
    if action.owner_id == getattr(actor, "pk", None) and access.has(Perm.VIEW_STEERING):
        roles.add(OWNER)
    return frozenset(roles)


def _close(action: ImprovementAction, move: Move) -> None:
    # The closing comment is the action's outcome: what was done and whether it worked.
    action.outcome = move.comment.strip()
    action.closed_on = timezone.localdate()


def _reopen(action: ImprovementAction, move: Move) -> None:
    action.closed_on = None


def _tell_owner_reopened(action: ImprovementAction, move: Move) -> None:
    """A reopened action is the owner's again: he hears why, unless he reopened it himself."""
    if action.owner_id == getattr(move.actor, "pk", None):
        return
    notify(
        recipients=[action.owner],
        message=Message(
            key=f"improvement-{action.pk}-reopened-{move.log_row.pk}",
            subject=f"Action d'amélioration rouverte : {shorten(action.title)}",
            body=f"{move.actor} a rouvert l'action « {action.title} » dont vous êtes pilote : "
            f"{move.comment.strip()}",
            url=action.get_absolute_url(),
            kind=Kind.IMPROVEMENT_ASSIGNED,
        ),
    )


IMPROVEMENT = Workflow(
    field="status",
    lock=lambda action: ImprovementAction.objects.select_for_update().get(pk=action.pk),
    roles_of=roles_on,
    log=transition_log(ImprovementTransition, "action"),
    refusal=lambda action, transition: (
        f"L'action « {action.title} » est {action.get_status_display().lower()} : "
        f"« {transition.label.lower()} » n'est pas possible."
    ),
    transitions=(
        Transition(
            "start",
            "Prendre en charge",
            sources={ImprovementStatus.OPEN},
            target=ImprovementStatus.IN_PROGRESS,
            roles=MANAGERS | {OWNER},
        ),
        Transition(
            "close",
            "Clore l'action",
            sources=RUNNING,
            target=ImprovementStatus.CLOSED,
            roles=MANAGERS | {OWNER},
            comment_required=True,
            comment_hint="Dites ce qui a été fait et si c'est efficace : ce sera le résultat de l'action.",
            perform=_close,
        ),
        Transition(
            "reopen",
            "Rouvrir",
            sources={ImprovementStatus.CLOSED},
            target=ImprovementStatus.IN_PROGRESS,
            roles=MANAGERS,
            comment_required=True,
            comment_hint="Dites pourquoi l'action est rouverte.",
            perform=_reopen,
            after=_tell_owner_reopened,
        ),
        Transition(
            "cancel",
            "Abandonner",
            sources=RUNNING,
            target=ImprovementStatus.CANCELLED,
            roles=MANAGERS,
            comment_required=True,
            comment_hint="Dites pourquoi l'action est abandonnée.",
        ),
    ),
)
