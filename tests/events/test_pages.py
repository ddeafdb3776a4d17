"""The pages: the team programmes a matinale (a refusal names its field), invites; the invited client
finds it on his home page and registers from its page; the team sees him registered, notes the
attendance and reads the results, masked under five answers; the list exports."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.clients.models import ServiceModule
from mutualis.events.models import Event, EventStatus, Registration
from mutualis.events.services.events import event_transition
from mutualis.events.services.invitations import invitation_add
from mutualis.events.services.registrations import register
from mutualis.organisations.roles import Role

from .factories import make_event
from .test_results import answer, closed_event

pytestmark = pytest.mark.django_db


def test_the_team_programmes_a_matinale_and_a_bad_date_is_named(login, role_users, hospital):
    client = login(role_users[Role.BUYER])
    start = timezone.localtime() + timedelta(days=40)
    data = {
        "title": "Co-construction du DCE", "theme": ServiceModule.objects.get(code="dce").pk,
        "starts_at": start.strftime("%Y-%m-%dT09:00"), "ends_at": start.strftime("%Y-%m-%dT08:00"),
        "place": "Amphithéâtre", "capacity": 30, "organiser_entity": hospital.pk, "targeted_count": 10,
        "invitation_days": 15,
    }  # fmt: skip
    refused = client.post(reverse("events:event_create"), data)
    assert refused.status_code == 200
    assert "La fin doit suivre le début de la matinale." in unescape(refused.content.decode())
    assert not Event.objects.exists()

    data["ends_at"] = start.strftime("%Y-%m-%dT11:00")
    created = client.post(reverse("events:event_create"), data)
    event = Event.objects.get()
    assert created.url == event.get_absolute_url()
    assert (event.organiser, event.status, event.capacity) == (
        role_users[Role.BUYER],
        EventStatus.PLANNED,
        30,
    )
    assert login(role_users[Role.PRESCRIBER]).post(reverse("events:event_create"), data).status_code == 403


def test_the_invited_client_registers_from_its_page_and_the_team_sees_it(login, role_users, hospital):
    buyer, prescriber = role_users[Role.BUYER], role_users[Role.PRESCRIBER]
    event = make_event(buyer, entity=hospital, capacity=1)
    invitation_add(actor=buyer, event=event, person=prescriber)
    event_transition(actor=buyer, event=event, name="invite")

    client = login(prescriber)
    home = unescape(client.get("/").content.decode())
    assert "Matinales : vous êtes invité" in home and "pas encore inscrit" in home
    page = client.get(event.get_absolute_url()).content.decode()
    assert "M&#x27;inscrire à la matinale" in page or "M'inscrire à la matinale" in unescape(page)
    assert "Personnes invitées" not in page  # the list of invited people is the team's
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "Vous êtes inscrit à la matinale." in unescape(response.content.decode())
    assert "vous êtes inscrit" in unescape(client.get("/").content.decode())

    team_page = unescape(login(buyer).get(event.get_absolute_url()).content.decode())
    assert "Inscrits (1 / 1)" in team_page and str(prescriber) in team_page


def test_an_uninvited_client_is_told_the_matinale_is_by_invitation(login, role_users, hospital):
    event = make_event(role_users[Role.BUYER], entity=hospital)
    client = login(role_users[Role.FAMILY_CORRESPONDENT])
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "Cette matinale est réservée aux personnes invitées." in unescape(response.content.decode())
    assert not Registration.objects.exists()


def test_attendance_sheet_and_results_masked_then_shown(login, role_users, hospital):
    buyer, prescriber = role_users[Role.BUYER], role_users[Role.PRESCRIBER]
    event = make_event(buyer, entity=hospital)
    invitation_add(actor=buyer, event=event, person=prescriber)
    register(actor=prescriber, event=event)
    event_transition(actor=buyer, event=event, name="invite")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    event_transition(actor=buyer, event=event, name="hold")
    client = login(buyer)
    url = reverse("events:attendance", args=[event.pk])
    assert str(prescriber) in client.get(url).content.decode()
    assert client.post(url, {"present": [str(prescriber.pk)]}).status_code == 302
    assert Registration.objects.get().attended is True
    event_transition(actor=buyer, event=event, name="close")
    page = unescape(client.get(event.get_absolute_url()).content.decode())
    assert "0 questionnaire(s) répondu(s) pour 1 présent(s)" in page
    assert "moins de 5 réponses : résultats masqués" in page


def test_results_table_with_five_answers(login, role_users, hospital):
    from tests.organisations.factories import MembershipFactory

    people = [MembershipFactory(entity=hospital, role=Role.PRESCRIBER).user for _ in range(5)]
    event = closed_event(role_users[Role.BUYER], hospital, people)
    for person in people:
        answer(event, person, [4, 5, 3, 4], comment="Très utile")
    page = unescape(login(role_users[Role.CONTROLLER]).get(event.get_absolute_url()).content.decode())
    assert "taux de réponse de 100,0 %" in page
    assert "Note moyenne par question" in page and "4,00" in page and "Très utile" in page
    # A client who came reads no results (the aggregates are the team's and the steering's).
    assert "Résultats du questionnaire" not in login(people[0]).get(event.get_absolute_url()).content.decode()


def test_the_list_exports_its_rows(login, role_users, hospital):
    make_event(role_users[Role.BUYER], entity=hospital, title="=Matinale achats responsables")
    response = login(role_users[Role.PRESCRIBER]).get(reverse("events:event_list"), {"export": "csv"})
    content = response.getvalue().decode("utf-8-sig")
    assert response.status_code == 200
    assert "'=Matinale achats responsables" in content  # a formula escaped
