"""A gain's validation, declared on the one workflow mechanism: the buyer declares the gain Mutualis
proposed (or he typed), management control validates it or returns it with a comment."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from mutualis.core.formats import euros
from mutualis.core.workflow import Move, Transition, Workflow, transition_log
from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify, shorten
from mutualis.organisations.access import access_for
from mutualis.organisations.models import User
from mutualis.organisations.roles import ROLE_PERMISSIONS, Perm, Role

from .models import Gain, GainStatus, GainTransition

DECLARERS = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.DECLARE_GAINS in perms)
CONTROLLERS = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.VALIDATE_GAINS in perms)
EDITABLE = frozenset({GainStatus.PROPOSED, GainStatus.RETURNED})


def roles_on(actor, gain: Gain) -> frozenset[Role]:
    """Gains are declared and validated by territory-wide roles: an entity role never counts."""
    access = access_for(actor)
    return frozenset(Role) if access.is_superuser else access.roles


def _computable(gain: Gain) -> list[str]:
    try:
        gain.figures()
    except ValidationError as error:
        return [f"{gain} : {message}" for messages in error.message_dict.values() for message in messages]
    return []


def _declare(gain: Gain, move: Move) -> None:
    gain.recompute()
    gain.declared_by, gain.declared_at = move.actor, timezone.now()
    gain.validated_by = gain.validated_at = None


def _validate(gain: Gain, move: Move) -> None:
    # Management control checks someone else's figure: the person who declared it does not validate it.
    if gain.declared_by_id is not None and gain.declared_by_id == getattr(move.actor, "pk", None):
        raise ValidationError("Vous avez déclaré ce gain : un autre contrôleur de gestion doit le valider.")
    gain.validated_by, gain.validated_at = move.actor, timezone.now()


def _return(gain: Gain, move: Move) -> None:
    gain.validated_by = gain.validated_at = None


def _tell_controllers(gain: Gain, move: Move) -> None:
    """A declared gain waits for management control: every controller hears of it (one validates)."""
    controllers = User.objects.filter(is_active=True, memberships__role=Role.CONTROLLER).distinct()
    notify(
        recipients=[person for person in controllers if person.pk != getattr(move.actor, "pk", None)],
        message=Message(
            # One message per declaration: a gain declared again after its return is announced again.
            key=f"gain-{gain.pk}-declared-{move.log_row.pk}",
            subject=f"Gain à valider : {shorten(gain.label)}",
            body=(
                f"{move.actor} a déclaré le gain « {gain.label} » ({gain.entity}) : "
                f"{euros(gain.annual_gain)} par an, {euros(gain.gain_year_n)} en {gain.year_n}."
            ),
            url=gain.get_absolute_url(),
            kind=Kind.GAIN_DECLARED,
        ),
    )


def _tell_buyer(gain: Gain, move: Move) -> None:
    """A returned gain goes back to its buyer, with the controller's comment."""
    notify(
        recipients=[gain.buyer],
        message=Message(
            key=f"gain-{gain.pk}-returned-{move.log_row.pk}",
            subject=f"Gain renvoyé pour correction : {shorten(gain.label)}",
            body=f"{move.actor} vous renvoie le gain « {gain.label} » : {move.comment.strip()}",
            url=gain.get_absolute_url(),
            kind=Kind.GAIN_RETURNED,
        ),
    )


GAIN = Workflow(
    field="status",
    lock=lambda gain: Gain.objects.select_for_update().get(pk=gain.pk),
    roles_of=roles_on,
    log=transition_log(GainTransition, "gain", name_field="action"),
    refusal=lambda gain, transition: (
        f"Le gain « {gain} » est {gain.get_status_display().lower()} : "
        f"« {transition.label.lower()} » n'est pas possible."
    ),
    transitions=(
        Transition(
            "declare",
            "Déclarer le gain",
            sources=EDITABLE,
            target=GainStatus.DECLARED,
            roles=DECLARERS,
            preconditions=(_computable,),
            perform=_declare,
            after=_tell_controllers,
        ),
        Transition(
            "validate",
            "Valider",
            sources={GainStatus.DECLARED},
            target=GainStatus.VALIDATED,
            roles=CONTROLLERS,
            perform=_validate,
        ),
        Transition(
            "return",
            "Renvoyer à l'acheteur",
            sources={GainStatus.DECLARED, GainStatus.VALIDATED},
            target=GainStatus.RETURNED,
            roles=CONTROLLERS,
            comment_required=True,
            comment_hint="Dites à l'acheteur ce qu'il doit revoir.",
            perform=_return,
            after=_tell_buyer,
        ),
    ),
)
