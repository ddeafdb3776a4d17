"""The demo's matinales: two past ones whose results show (at least five answers each), one coming with
its invitations sent, three places taken and one person waiting; built once."""

import pytest
from django.utils import timezone

from mutualis.demo.events import load_events
from mutualis.events.models import Event, EventStatus, RegistrationStatus
from mutualis.events.results import results
from mutualis.organisations.models import Entity, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def test_two_past_matinales_with_their_results():
    past = Event.objects.filter(status=EventStatus.CLOSED).order_by("starts_at")
    assert [event.theme.code for event in past] == ["sourcing", "dce"]
    for event in past:
        assert event.starts_at < timezone.now()
        assert event.invitations.exclude(sent_at=None).exists()
        shown = results(event)
        assert not shown.masked and shown.answered >= 5 and shown.attendees == 6
        assert all(mean is not None for mean in shown.means)


def test_one_coming_matinale_with_invitations_and_a_waiting_list():
    coming = Event.objects.get(status=EventStatus.INVITED)
    assert coming.registrations_open and coming.open_to_members
    assert coming.invitations.filter(person__username="prescripteur").exclude(sent_at=None).exists()
    registrations = coming.registrations.order_by("registered_at", "pk")
    assert [r.status for r in registrations] == [RegistrationStatus.REGISTERED] * 3 + [
        RegistrationStatus.WAITING
    ]


def test_loading_again_adds_nothing():
    people = {user.username: user for user in User.objects.all()}
    entities = {entity.siret: entity for entity in Entity.objects.all()}
    assert load_events(people, entities, "26210007600013") == 3
    assert Event.objects.count() == 3
