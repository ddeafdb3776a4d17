"""The invitation targeting, worked by hand: the clients of the organiser's entity ranked by the projects
they created and the requests they made in the 24 months before the matinale; ties by last name; people
outside the window, of the team, inactive or of another entity (unless the matinale is open) left out."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mutualis.clients.models import ServiceRequest
from mutualis.events.models import Invitation, InvitationReason
from mutualis.events.services.invitations import invitations_prepare
from mutualis.events.targeting import entity_ranking, member_referents, people_ranking, window
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project
from tests.clients.factories import make_request
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.procurements.factories import new_project

from .factories import make_event

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2027, 3, 15, 9, 0, tzinfo=PARIS)
INSIDE = START - timedelta(days=200)
OUTSIDE = START - timedelta(days=25 * 31)  # 25 months before: out of the window
AFTER = START + timedelta(days=1)


def person(entity, role, first, last, **fields):
    user = UserFactory(first_name=first, last_name=last, **fields)
    MembershipFactory(user=user, entity=entity, role=role)
    return user


def requests(user, entity, at, count=1):
    for _ in range(count):
        request = make_request(user, entity=entity)
        ServiceRequest.objects.filter(pk=request.pk).update(created_at=at)


def projects(buyer, creator, entity, at, count=1):
    for _ in range(count):
        project = new_project(buyer, entities=[entity])
        Project.objects.filter(pk=project.pk).update(created_by=creator, created_at=at)


@pytest.fixture
def people(role_users, support, hospital, other_hospital):
    """By hand, for a matinale on 15/03/2027 organised for the member hospital:
    - Alice Martin (prescriber): 3 requests inside, 1 outside (25 months before), 1 after → 3
    - Bruno Dubois (referent): 1 request + 2 projects he created inside → 3 (ties with Martin: D before M)
    - Chloé Lefèvre (family correspondent): 1 request inside → 1
    - Denis Roux (prescriber): 1 request outside only → left out
    - Emma Noël (prescriber of the other hospital): 4 requests inside → left out unless open, then first
    - Fanny Petit (prescriber, inactive): 5 requests inside → left out
    - the buyer: 4 projects inside → left out (team, not a client)
    Entities over the window count everyone's activity for them, inactive people's too: the hospital
    3 + 1 + 1 + 5 = 10 requests and Dubois's 2 projects, the other hospital 4 requests, the support
    establishment the buyer's 4 projects (tied with the other hospital: « Autre… » before « CHU… »)."""
    buyer = role_users[Role.BUYER]
    alice = person(hospital, Role.PRESCRIBER, "Alice", "Martin")
    bruno = person(hospital, Role.REFERENT, "Bruno", "Dubois")
    chloe = person(hospital, Role.FAMILY_CORRESPONDENT, "Chloé", "Lefèvre")
    denis = person(hospital, Role.PRESCRIBER, "Denis", "Roux")
    emma = person(other_hospital, Role.PRESCRIBER, "Emma", "Noël")
    fanny = person(hospital, Role.PRESCRIBER, "Fanny", "Petit")
    other_referent = person(other_hospital, Role.REFERENT, "Gilles", "Blanc")
    requests(alice, hospital, INSIDE, 3)
    requests(alice, hospital, OUTSIDE)
    requests(alice, hospital, AFTER)
    requests(bruno, hospital, INSIDE)
    projects(buyer, bruno, hospital, INSIDE, 2)
    requests(chloe, hospital, INSIDE)
    requests(denis, hospital, OUTSIDE)
    requests(emma, other_hospital, INSIDE, 4)
    requests(fanny, hospital, INSIDE, 5)
    fanny.is_active = False
    fanny.save()
    projects(buyer, buyer, support, INSIDE, 4)
    return {"buyer": buyer, "alice": alice, "bruno": bruno, "chloe": chloe, "emma": emma,
            "other_referent": other_referent}  # fmt: skip


def test_the_window_is_the_24_months_before_the_start(people, hospital):
    event = make_event(people["buyer"], entity=hospital, starts_at=START)
    assert window(event) == (datetime(2025, 3, 15, 9, 0, tzinfo=PARIS), START)


def test_the_organiser_entity_clients_ranked_by_hand(people, hospital):
    event = make_event(people["buyer"], entity=hospital, starts_at=START)
    ranking = people_ranking(event)
    assert [(r.rank, r.person.last_name, r.projects, r.requests) for r in ranking] == [
        (1, "Dubois", 2, 1),
        (2, "Martin", 0, 3),
        (3, "Lefèvre", 0, 1),
    ]
    assert [r.person.last_name for r in people_ranking(event, limit=2)] == ["Dubois", "Martin"]
    assert list(member_referents(event)) == []  # not open to the other members


def test_an_open_matinale_ranks_the_other_members_and_invites_their_referents(
    people, support, hospital, other_hospital
):
    event = make_event(people["buyer"], entity=hospital, starts_at=START, open_to_members=True)
    assert [(r.rank, r.person.last_name, r.activity) for r in people_ranking(event)] == [
        (1, "Noël", 4), (2, "Dubois", 3), (3, "Martin", 3), (4, "Lefèvre", 1),
    ]  # fmt: skip
    assert list(member_referents(event)) == [people["other_referent"]]
    entities = [(r.rank, r.entity, r.projects, r.requests) for r in entity_ranking(event)]
    assert entities == [(1, hospital, 2, 10), (2, other_hospital, 0, 4), (3, support, 4, 0)]


def test_invitations_take_the_top_n_the_chosen_and_the_member_referents_once(people, hospital, role_users):
    event = make_event(
        people["buyer"], entity=hospital, starts_at=START, open_to_members=True, targeted_count=2
    )
    chosen = [people["alice"], role_users[Role.GOVERNANCE]]  # Martin is 3rd: invited as chosen
    created = invitations_prepare(actor=people["buyer"], event=event, chosen=chosen)
    rows = {(i.person.last_name, i.reason, i.rank, i.activity) for i in created}
    assert rows == {
        ("Noël", InvitationReason.TARGETED, 1, 4),
        ("Dubois", InvitationReason.TARGETED, 2, 3),
        ("Martin", InvitationReason.CHOSEN, None, None),
        (role_users[Role.GOVERNANCE].last_name, InvitationReason.CHOSEN, None, None),
        ("Blanc", InvitationReason.MEMBER, None, None),
    }
    # Prepared again: nobody twice.
    assert invitations_prepare(actor=people["buyer"], event=event) == []
    assert Invitation.objects.filter(event=event).count() == 5
