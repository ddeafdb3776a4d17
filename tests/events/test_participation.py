"""Invitations sent once, on their date, in the application and by e-mail (not to those who opted out);
registrations within capacity, then a waiting list in order; a withdrawal promotes the first one waiting,
who is told; refusals leave the database as it was."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from mutualis.events.models import Event, EventStatus, Invitation, Registration, RegistrationStatus
from mutualis.events.services.events import event_transition
from mutualis.events.services.invitations import invitation_add
from mutualis.events.services.registrations import attendance_save, register, unregister
from mutualis.notifications.models import EmailOptOut, Kind, Notification
from mutualis.organisations.roles import Role
from tests.organisations.factories import MembershipFactory

from .factories import make_event

pytestmark = pytest.mark.django_db


def clients(entity, count):
    return [MembershipFactory(entity=entity, role=Role.PRESCRIBER).user for _ in range(count)]


def invited_event(buyer, entity, people, **fields):
    event = make_event(buyer, entity=entity, **fields)
    for person in people:
        invitation_add(actor=buyer, event=event, person=person)
    return event


def statuses(event):
    rows = Registration.objects.filter(event=event).order_by("registered_at", "pk")
    return [(r.person_id, r.status) for r in rows]


def test_the_daily_command_sends_the_invitations_fifteen_days_before_once(
    role_users, hospital, mailoutbox, django_capture_on_commit_callbacks, capsys
):
    buyer = role_users[Role.BUYER]
    alice, bruno = clients(hospital, 2)
    EmailOptOut.objects.create(user=bruno, kind=Kind.EVENT_INVITATION)
    event = invited_event(buyer, hospital, [alice, bruno], starts_at=timezone.now() + timedelta(days=20))
    invitation_day = timezone.localtime(event.starts_at).date() - timedelta(days=15)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_invitations", "--today", (invitation_day - timedelta(days=1)).isoformat())
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED and not Notification.objects.exists()

    for _ in range(2):  # the second run sends nothing more
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_event_invitations", "--today", invitation_day.isoformat())
    event.refresh_from_db()
    assert event.status == EventStatus.INVITED
    assert event.transitions.get().by == buyer  # in the organiser's name
    assert set(Notification.objects.values_list("recipient", flat=True)) == {alice.pk, bruno.pk}
    assert Notification.objects.count() == 2
    assert [message.to for message in mailoutbox] == [[alice.email]]  # Bruno keeps them in the application
    assert "Matinale « Sourcing et benchmark »" in mailoutbox[0].subject
    assert not Invitation.objects.filter(event=event, sent_at=None).exists()
    assert "1 matinale(s)" in capsys.readouterr().out.splitlines()[1]


def test_within_capacity_registered_beyond_waiting_in_order(role_users, hospital):
    people = clients(hospital, 4)
    event = invited_event(role_users[Role.BUYER], hospital, people, capacity=2)
    for person in people:
        register(actor=person, event=event)
    assert statuses(event) == [
        (people[0].pk, RegistrationStatus.REGISTERED),
        (people[1].pk, RegistrationStatus.REGISTERED),
        (people[2].pk, RegistrationStatus.WAITING),
        (people[3].pk, RegistrationStatus.WAITING),
    ]
    with pytest.raises(ValidationError, match="déjà en liste d'attente"):
        register(actor=people[3], event=event)


def test_a_withdrawal_promotes_the_first_waiting_who_is_told(role_users, hospital):
    people = clients(hospital, 4)
    event = invited_event(role_users[Role.BUYER], hospital, people, capacity=2)
    for person in people:
        register(actor=person, event=event)

    assert unregister(actor=people[3], event=event) is None  # a waiting one leaves: nobody promoted
    promoted = unregister(actor=people[0], event=event)
    assert promoted.person == people[2]
    assert Registration.objects.get(event=event, person=people[2]).status == RegistrationStatus.REGISTERED
    told = Notification.objects.get(recipient=people[2])
    assert "une place s'est libérée" in told.subject and told.url == event.get_absolute_url()

    # The one who withdrew comes back: at the end of the line.
    assert register(actor=people[0], event=event).status == RegistrationStatus.WAITING
    assert unregister(actor=people[1], event=event).person == people[0]


def test_only_the_invited_register_unless_the_matinale_is_open(role_users, hospital, other_hospital):
    buyer = role_users[Role.BUYER]
    invited, stranger = clients(hospital, 1)[0], clients(other_hospital, 1)[0]
    event = invited_event(buyer, hospital, [invited])
    with pytest.raises(PermissionDenied):
        register(actor=stranger, event=event)
    assert not Registration.objects.exists()
    Event.objects.filter(pk=event.pk).update(open_to_members=True)
    event.refresh_from_db()
    assert register(actor=stranger, event=event).status == RegistrationStatus.REGISTERED
    with pytest.raises(PermissionDenied):  # governance holds no client role
        register(actor=role_users[Role.GOVERNANCE], event=event)


def test_registrations_close_when_the_matinale_starts(role_users, hospital):
    person = clients(hospital, 1)[0]
    event = invited_event(role_users[Role.BUYER], hospital, [person])
    register(actor=person, event=event)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="inscriptions à cette matinale sont closes"):
        unregister(actor=person, event=event)
    assert Registration.objects.get().status == RegistrationStatus.REGISTERED


def test_attendance_then_close_sends_the_questionnaire_to_the_attendees(role_users, hospital):
    buyer = role_users[Role.BUYER]
    came, absent = clients(hospital, 2)
    event = invited_event(buyer, hospital, [came, absent])
    for person in (came, absent):
        register(actor=person, event=event)
    event_transition(actor=buyer, event=event, name="invite")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    event = event_transition(actor=buyer, event=event, name="hold")
    with pytest.raises(ValidationError, match="Notez d'abord la présence des inscrits : 2"):
        event_transition(actor=buyer, event=event, name="close")
    with pytest.raises(ValidationError) as refused:
        attendance_save(actor=buyer, event=event, present_ids=[str(came.pk), "x"])
    assert "present" in refused.value.message_dict
    assert not Registration.objects.filter(attended__isnull=False).exists()
    with pytest.raises(PermissionDenied):
        attendance_save(actor=came, event=event, present_ids=[came.pk])

    attendance_save(actor=buyer, event=event, present_ids=[str(came.pk)])
    event = event_transition(actor=buyer, event=event, name="close")
    assert event.status == EventStatus.CLOSED
    assert list(event.surveys.values_list("person", flat=True)) == [came.pk]
    assert Notification.objects.filter(recipient=came, key=f"event-{event.pk}-survey").exists()


def test_a_cancellation_tells_the_invited_with_its_reason(role_users, hospital):
    buyer = role_users[Role.BUYER]
    person = clients(hospital, 1)[0]
    event = invited_event(buyer, hospital, [person])
    event_transition(actor=buyer, event=event, name="invite")
    with pytest.raises(ValidationError):
        event_transition(actor=buyer, event=event, name="cancel")  # no reason
    event = event_transition(actor=buyer, event=event, name="cancel", comment="Intervenant indisponible")
    told = Notification.objects.get(recipient=person, key=f"event-{event.pk}-cancelled")
    assert told.body.endswith("Motif : Intervenant indisponible")
