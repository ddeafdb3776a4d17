"""The requests' rules: who asks for what, the target date, lateness, the refusal's reason, messages and
files kept between the client and the team, the hand-off to a need line or a project."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mutualis.clients.models import RequestStatus, ServiceModule, ServiceRequest
from mutualis.clients.services.conversion import request_to_need_line, request_to_project
from mutualis.clients.services.requests import message_post, request_assign, request_transition
from mutualis.clients.workflow import target_date
from mutualis.needs.models import Campaign, NeedStatus
from mutualis.notifications.models import Notification
from mutualis.organisations.roles import Role
from tests.organisations.factories import MembershipFactory

from .factories import make_request

pytestmark = pytest.mark.django_db


def test_the_seven_modules_are_loaded():
    assert ServiceModule.objects.count() == 7
    assert ServiceModule.objects.first().title == "Assistance à l'analyse du besoin"


def test_a_prescriber_asks_for_his_entity_only(role_users, hospital, other_hospital):
    prescriber = role_users[Role.PRESCRIBER]
    request = make_request(prescriber, entity=hospital)
    assert (request.status, request.requested_by, request.transitions.get().name) == (
        "submitted", prescriber, "submit",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        make_request(prescriber, entity=other_hospital)
    assert "entity" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make_request(prescriber, entity=hospital, codes=())
    assert "modules" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        make_request(role_users[Role.GOVERNANCE], entity=hospital)


def test_target_date_is_the_longest_delay_in_working_days(role_users, hospital):
    buyer = role_users[Role.BUYER]
    request = make_request(role_users[Role.PRESCRIBER], entity=hospital, codes=("negociation", "dce"))
    # Friday 8 May 2026 is a public holiday: the count starts on Monday 11; 20 working days later,
    # the Ascension (14 May) and Whit Monday (25 May) skipped.
    assert target_date(request, date(2026, 5, 8)) == date(2026, 6, 10)
    taken = request_transition(actor=buyer, request=request, name="take", today=date(2026, 5, 8))
    assert (taken.status, taken.assigned_to, taken.taken_on) == ("taken", buyer, date(2026, 5, 8))
    assert taken.target_date == date(2026, 6, 10)


def test_late_is_open_with_its_target_date_passed(role_users, hospital):
    buyer = role_users[Role.BUYER]
    late = request_transition(
        actor=buyer, request=make_request(buyer, entity=hospital), name="take", today=date(2026, 1, 5)
    )
    on_time = request_transition(actor=buyer, request=make_request(buyer, entity=hospital), name="take")
    assert late.is_late and not on_time.is_late
    assert set(ServiceRequest.objects.late()) == {late}
    declined = request_transition(actor=buyer, request=late, name="decline", comment="Hors périmètre")
    assert not declined.is_late and not ServiceRequest.objects.late().exists()
    assert ServiceRequest.objects.workload() == [
        {"assigned_to": buyer.pk, "assigned_to__first_name": buyer.first_name,
         "assigned_to__last_name": buyer.last_name, "assigned_to__username": buyer.username,
         "open_count": 1, "late_count": 0},
    ]  # fmt: skip


def test_declining_needs_a_reason_told_to_the_client(role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    request = make_request(prescriber, entity=hospital)
    with pytest.raises(ValidationError):
        request_transition(actor=buyer, request=request, name="decline")
    declined = request_transition(actor=buyer, request=request, name="decline", comment="Déjà couvert")
    assert (declined.status, declined.decline_reason) == (RequestStatus.DECLINED, "Déjà couvert")
    told = Notification.objects.get(recipient=prescriber)
    assert "déclinée" in told.subject and "Déjà couvert" in told.body
    with pytest.raises(PermissionDenied):
        request_transition(actor=prescriber, request=make_request(prescriber, entity=hospital), name="take")


def test_a_request_walks_to_delivery_and_the_team_assigns_a_buyer(role_users, hospital):
    buyer, legal = role_users[Role.BUYER], role_users[Role.LEGAL_OFFICER]
    request = make_request(role_users[Role.PRESCRIBER], entity=hospital)
    request_assign(actor=buyer, request=request, buyer=legal)
    with pytest.raises(ValidationError):
        request_assign(actor=buyer, request=request, buyer=role_users[Role.PRESCRIBER])
    request = request_transition(actor=buyer, request=request, name="take")
    assert request.assigned_to == legal  # the one the team named
    request = request_transition(actor=legal, request=request, name="start")
    request = request_transition(actor=legal, request=request, name="deliver")
    assert (request.status, request.delivered_on) == ("delivered", timezone.localdate())
    assert [t.name for t in request.transitions.all()] == ["submit", "take", "start", "deliver"]


def test_messages_are_the_clients_and_the_teams_only(role_users, hospital, other_hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    request = request_transition(actor=buyer, request=make_request(prescriber, entity=hospital), name="take")
    message_post(actor=prescriber, request=request, body="Pouvez-vous nous rappeler ?")
    message_post(actor=buyer, request=request, body="Oui, demain matin.")
    assert [m.author for m in request.messages.all()] == [prescriber, buyer]
    assert Notification.objects.filter(recipient=buyer, subject__startswith="Message").count() == 1
    stranger = MembershipFactory(entity=other_hospital, role=Role.PRESCRIBER).user
    for outsider in (stranger, role_users[Role.GOVERNANCE], role_users[Role.CONTROLLER]):
        assert not ServiceRequest.objects.for_user(outsider).filter(pk=request.pk).exists()
        with pytest.raises(PermissionDenied):
            message_post(actor=outsider, request=request, body="Je lis ?")
    for party in (prescriber, role_users[Role.REFERENT], buyer, role_users[Role.LEGAL_OFFICER]):
        assert ServiceRequest.objects.for_user(party).filter(pk=request.pk).exists()
    with pytest.raises(ValidationError):
        message_post(actor=buyer, request=request, body="  ")


@pytest.fixture
def open_campaign(db):
    return Campaign.objects.create(
        title="Besoins 2027", year=2027, deadline=date(2026, 12, 15), launch_date=date(2027, 2, 1)
    )


def test_a_request_becomes_a_need_line_once(role_users, hospital, open_campaign):
    buyer = role_users[Role.BUYER]
    request = make_request(role_users[Role.PRESCRIBER], entity=hospital, wished_date=date(2027, 3, 1))
    with pytest.raises(ValidationError) as refused:
        request_to_need_line(actor=buyer, request=request)
    assert "Aucune campagne de recensement ouverte" in refused.value.messages[0]
    open_campaign.families.add(request.family)
    line = request_to_need_line(actor=buyer, request=request)
    request.refresh_from_db()
    assert request.need_line == line and line.service_request == request
    assert (line.entity, line.family, line.description, line.estimated_amount, line.wished_start) == (
        hospital, request.family, request.object, Decimal("80000"), date(2027, 3, 1),
    )  # fmt: skip
    assert line.status == NeedStatus.DRAFT
    with pytest.raises(ValidationError, match="déjà donné la ligne"):
        request_to_need_line(actor=buyer, request=request)
    with pytest.raises(PermissionDenied):
        request_to_need_line(actor=role_users[Role.PRESCRIBER], request=request)


def test_a_request_becomes_a_project_once(role_users, hospital, support):
    buyer = role_users[Role.BUYER]
    request = make_request(role_users[Role.PRESCRIBER], entity=hospital, estimated_amount=None)
    with pytest.raises(ValidationError, match="montant estimé"):
        request_to_project(actor=buyer, request=request)
    ServiceRequest.objects.filter(pk=request.pk).update(estimated_amount=Decimal("300000"))
    request = request_transition(actor=buyer, request=request, name="take")
    project = request_to_project(actor=buyer, request=request)
    request.refresh_from_db()
    assert request.project == project and list(project.service_requests.all()) == [request]
    assert (project.object, project.family, project.estimated_value, project.buyer) == (
        request.object, request.family, Decimal("300000"), buyer,
    )  # fmt: skip
    assert list(project.entities.all()) == [hospital] and project.buyer_entity == support
    with pytest.raises(ValidationError, match="déjà donné le projet"):
        request_to_project(actor=buyer, request=request)


def test_a_declined_request_is_not_converted(role_users, hospital):
    buyer = role_users[Role.BUYER]
    request = make_request(buyer, entity=hospital)
    request_transition(actor=buyer, request=request, name="decline", comment="Non")
    with pytest.raises(ValidationError, match="déclinée"):
        request_to_project(actor=buyer, request=request)
    assert timezone.localdate() - timedelta(days=1) < timezone.localdate()
