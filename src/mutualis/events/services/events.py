"""Writing a matinale: created and edited by the team that organises them, moved only through EVENT."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..models import Event, EventStatus
from ..workflow import EVENT


def require_manager(actor) -> None:
    if not access_for(actor).has(Perm.MANAGE_EVENTS):
        raise PermissionDenied


@transaction.atomic
def event_save(*, actor, event: Event) -> Event:
    """Create or change a matinale (its organiser: the creator); a closed or cancelled one stays as it is."""
    require_manager(actor)
    if event.pk and event.status in {EventStatus.CLOSED, EventStatus.CANCELLED}:
        raise ValidationError("La matinale est close ou annulée : elle ne se modifie plus.")
    if event.pk is None:
        event.organiser = actor
    event.full_clean(exclude=["organiser"])
    event.save()
    return event


def event_transition(*, actor, event: Event, name: str, comment: str = "") -> Event:
    """Send the invitations, note it held, close it (the questionnaire leaves), or cancel it (the reason)."""
    return EVENT.apply(event, name, actor, comment=comment).record
