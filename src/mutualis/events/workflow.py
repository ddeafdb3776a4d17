"""A matinale's workflow, on the one mechanism (core.workflow): the team sends the invitations (or the daily
command does, on the invitation date), notes that it was held, closes it (the attendees get the
questionnaire), or cancels it with the reason (those invited and registered are told)."""

from mutualis.core.workflow import Move, Transition, Workflow, transition_log
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import ROLE_PERMISSIONS, TERRITORY_WIDE_ROLES, Perm, Role

from .models import Event, EventStatus, EventTransition, RegistrationStatus

# Those who organise matinales: the roles holding MANAGE_EVENTS (territory-wide ones).
MANAGERS = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_EVENTS in perms)


def roles_on(actor, event: Event) -> frozenset:
    """Only roles of the whole territory move a matinale: a client registers, he never moves it."""
    access = access_for(actor)
    return frozenset(set(Role) if access.is_superuser else access.roles & TERRITORY_WIDE_ROLES)


def _past(event: Event) -> list[str]:
    return ["La matinale a commencé : il est trop tard pour inviter."] if event.has_started else []


def _not_started(event: Event) -> list[str]:
    return [] if event.has_started else ["La matinale n'a pas encore eu lieu."]


def _attendance_noted(event: Event) -> list[str]:
    missing = event.registrations.filter(status=RegistrationStatus.REGISTERED, attended=None).count()
    if missing:
        return [f"Notez d'abord la présence des inscrits : {missing} non renseignée(s)."]
    return []


def _invite(event: Event, move: Move) -> None:
    from .services.invitations import invitations_prepare, invitations_send

    if not event.invitations.exists():  # nobody chosen yet: the targeting of the data
        invitations_prepare(actor=move.actor, event=event)
    invitations_send(event)


def _closed(event: Event, move: Move) -> None:
    from .services.surveys import surveys_send

    surveys_send(event)


def _cancelled(event: Event, move: Move) -> None:
    from .services.invitations import tell_cancelled

    tell_cancelled(event, move.comment.strip())


EVENT = Workflow(
    field="status",
    lock=lambda event: Event.objects.select_for_update().get(pk=event.pk),
    roles_of=roles_on,
    log=transition_log(EventTransition, "event"),
    refusal=lambda event, transition: (
        f"La matinale est à l'état « {event.get_status_display().lower()} » : "
        f"« {transition.label.lower()} » n'est pas possible."
    ),
    transitions=(
        Transition(
            "invite",
            "Envoyer les invitations",
            sources={EventStatus.PLANNED},
            target=EventStatus.INVITED,
            roles=MANAGERS,
            guards=(_past,),
            after=_invite,
        ),
        Transition(
            "hold",
            "Noter que la matinale a eu lieu",
            # From « programmée » too: an open matinale may fill without invitations ever being sent.
            sources={EventStatus.PLANNED, EventStatus.INVITED},
            target=EventStatus.HELD,
            roles=MANAGERS,
            guards=(_not_started,),
        ),
        Transition(
            "close",
            "Clore et envoyer le questionnaire",
            sources={EventStatus.HELD},
            target=EventStatus.CLOSED,
            roles=MANAGERS,
            preconditions=(_attendance_noted,),
            after=_closed,
        ),
        Transition(
            "cancel",
            "Annuler la matinale",
            sources={EventStatus.PLANNED, EventStatus.INVITED},
            target=EventStatus.CANCELLED,
            roles=MANAGERS,
            comment_required=True,
            comment_hint="Dites aux invités pourquoi la matinale est annulée.",
            after=_cancelled,
        ),
    ),
)
