"""Each move of a matinale by each role: the team that organises (administrator, buyer, legal officer)
may, every other role is refused and nothing is written; a move out of its state or its time is refused
with a French message."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mutualis.events.models import Event, EventStatus, EventTransition
from mutualis.events.services.events import event_transition
from mutualis.organisations.roles import Role

from .factories import make_event

pytestmark = pytest.mark.django_db

ORGANISERS = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER}
# move -> (state it starts from, whether the matinale has started)
MOVES = {
    "invite": (EventStatus.PLANNED, False),
    "hold": (EventStatus.INVITED, True),
    "close": (EventStatus.HELD, True),
    "cancel": (EventStatus.INVITED, False),
}


def at(buyer, entity, status, started):
    event = make_event(buyer, entity=entity)
    start = timezone.now() + (timedelta(hours=-3) if started else timedelta(days=20))
    Event.objects.filter(pk=event.pk).update(
        status=status, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    event.refresh_from_db()
    return event


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
@pytest.mark.parametrize("move", list(MOVES))
def test_each_move_by_each_role(role_users, hospital, move, role):
    status, started = MOVES[move]
    event = at(role_users[Role.BUYER], hospital, status, started)
    if role in ORGANISERS:
        moved = event_transition(actor=role_users[role], event=event, name=move, comment="Motif")
        assert moved.status != status
        assert EventTransition.objects.get(event=event).by == role_users[role]
    else:
        with pytest.raises(PermissionDenied):
            event_transition(actor=role_users[role], event=event, name=move, comment="Motif")
        event.refresh_from_db()
        assert event.status == status and not EventTransition.objects.exists()


def test_moves_out_of_their_state_or_time_are_refused_in_french(role_users, hospital):
    buyer = role_users[Role.BUYER]
    closed = at(buyer, hospital, EventStatus.CLOSED, True)
    with pytest.raises(ValidationError, match="La matinale est à l'état « close » : « annuler la matinale »"):
        event_transition(actor=buyer, event=closed, name="cancel", comment="Trop tard")
    coming = at(buyer, hospital, EventStatus.INVITED, False)
    with pytest.raises(ValidationError, match="n'a pas encore eu lieu"):
        event_transition(actor=buyer, event=coming, name="hold")
    started = at(buyer, hospital, EventStatus.PLANNED, True)
    with pytest.raises(ValidationError, match="trop tard pour inviter"):
        event_transition(actor=buyer, event=started, name="invite")
    assert not EventTransition.objects.exists()
