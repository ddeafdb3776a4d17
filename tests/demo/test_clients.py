"""The demo's internal clients' requests: about fifteen from the prescriber and the referent, at every
state, given to the two buyers, two late; one became a need line and one a project; five questionnaires
answered, four of them on sourcing (one short of showing its means); built once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.clients.models import RequestStatus, SatisfactionSurvey, ServiceModule, ServiceRequest
from mutualis.clients.satisfaction import MIN_RESPONSES, results
from mutualis.demo.clients import load_client_requests
from mutualis.organisations.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def test_requests_at_every_state_from_the_two_clients_given_to_the_two_buyers():
    assert ServiceModule.objects.count() == 7
    requests = ServiceRequest.objects.all()
    assert 14 <= requests.count() <= 18
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(requests.values_list("requested_by__username", flat=True)) == {"prescripteur", "referent"}
    assert set(requests.exclude(assigned_to=None).values_list("assigned_to__username", flat=True)) == {
        "acheteur", "acheteuse",
    }  # fmt: skip
    assert requests.late().count() == 2
    assert all(r.decline_reason for r in requests.filter(status=RequestStatus.DECLINED))
    assert all(r.transitions.count() >= 1 for r in requests)


def test_one_request_became_a_need_line_and_one_a_project_with_a_conversation():
    line_request = ServiceRequest.objects.exclude(need_line=None).get()
    assert line_request.need_line.description == line_request.object
    project_request = ServiceRequest.objects.exclude(project=None).get()
    assert project_request.project.object == project_request.object
    assert ServiceRequest.objects.filter(messages__isnull=False).distinct().count() == 1


def test_the_clients_and_the_buyers_find_them_on_their_pages(client):
    client.force_login(User.objects.get(username="prescripteur"))
    home = client.get(reverse("www:home"))
    sections = {section.key: section for section in home.context["sections"]}
    assert (
        sections["mes-demandes"].records.total
        == ServiceRequest.objects.filter(requested_by__username="prescripteur").count()
    )
    client.force_login(User.objects.get(username="acheteuse"))
    queue = client.get(reverse("clients:request_list"), {"late": "true"})
    assert queue.status_code == 200 and queue.context["workload"]
    late = ServiceRequest.objects.late().first()
    assert client.get(late.get_absolute_url()).status_code == 200


def test_built_once():
    people = {user.username: user for user in User.objects.all()}
    before = ServiceRequest.objects.count()
    assert load_client_requests(people, timezone.localdate()) == before
    assert ServiceRequest.objects.count() == before


def test_four_sourcing_questionnaires_answered_one_short_of_the_threshold():
    delivered = ServiceRequest.objects.filter(status=RequestStatus.DELIVERED)
    assert SatisfactionSurvey.objects.count() == delivered.count()
    assert SatisfactionSurvey.objects.filter(
        answered_at__isnull=True
    ).get().request.requested_by.username == ("prescripteur")
    groups = {group.label: group for group in results(year=timezone.localdate().year)["groups"]}
    sourcing = groups["Sourcing et benchmark"]
    assert sourcing.answered == MIN_RESPONSES - 1 and sourcing.masked
