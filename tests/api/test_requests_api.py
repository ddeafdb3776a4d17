"""The internal clients' requests through the API: the interface's scope, services and workflow rights
(every transition by every role, allowed and refused), writes refused with the field named and nothing
written, read-only tokens refused, files given as metadata and the page's checked link."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mutualis.clients.models import RequestMessage, RequestStatus, ServiceModule, ServiceRequest
from mutualis.clients.services.requests import attachment_add, message_post, request_transition
from mutualis.organisations.roles import Role
from mutualis.tokens.models import TokenScope
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.clients.factories import make_request
from tests.organisations.factories import MembershipFactory
from tests.tokens.factories import with_token

pytestmark = pytest.mark.django_db
LIST = reverse("api:service-request-list")
TEAM = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER}
CLIENT_SIDE = {Role.PRESCRIBER, Role.REFERENT}  # the requester and his entity's referent


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def detail(service_request):
    return reverse("api:service-request-detail", args=[service_request.pk])


def transitions(service_request):
    return reverse("api:service-request-transitions", args=[service_request.pk])


def at(service_request, status) -> ServiceRequest:
    ServiceRequest.objects.filter(pk=service_request.pk).update(status=status)
    service_request.refresh_from_db()
    return service_request


def api_for(user, **options) -> APIClient:
    return with_token(APIClient(), user, **options)


# Every transition by every role, from the state it starts from: (transition, state, roles allowed).
TABLE = [
    ("take", RequestStatus.SUBMITTED, TEAM),
    ("start", RequestStatus.TAKEN, TEAM),
    ("deliver", RequestStatus.IN_PROGRESS, TEAM),
    ("decline", RequestStatus.TAKEN, TEAM),
    ("withdraw", RequestStatus.SUBMITTED, CLIENT_SIDE),
]
TARGETS = {
    "take": RequestStatus.TAKEN,
    "start": RequestStatus.IN_PROGRESS,
    "deliver": RequestStatus.DELIVERED,
    "decline": RequestStatus.DECLINED,
    "withdraw": RequestStatus.WITHDRAWN,
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize(("name", "state", "allowed"), TABLE, ids=[row[0] for row in TABLE])
def test_each_transition_by_each_role(role_users, hospital, name, state, allowed, role):
    service_request = at(make_request(role_users[Role.PRESCRIBER], entity=hospital), state)
    logged = service_request.transitions.count()
    response = api_for(role_users[role]).post(
        transitions(service_request), {"transition": name, "comment": "Hors périmètre"}, format="json"
    )
    service_request.refresh_from_db()
    if role in allowed:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == TARGETS[name] == service_request.status
        row = service_request.transitions.last()
        assert (row.name, row.from_status, row.by) == (name, state, role_users[role])
        assert response.json()["transitions"][-1]["name"] == name
    else:
        assert response.status_code == 403
        assert "detail" in response.json()
        assert service_request.status == state and service_request.transitions.count() == logged


def test_a_refused_transition_names_the_field_and_changes_nothing(role_users, hospital):
    buyer, prescriber = role_users[Role.BUYER], role_users[Role.PRESCRIBER]
    service_request = make_request(prescriber, entity=hospital)
    team = api_for(buyer)
    refused = team.post(transitions(service_request), {"transition": "deliver"}, format="json")
    assert refused.status_code == 400
    assert "n'est pas possible" in refused.json()["transition"][0]
    no_reason = team.post(transitions(service_request), {"transition": "decline"}, format="json")
    assert no_reason.status_code == 400 and "pourquoi" in no_reason.json()["comment"][0]
    unknown = team.post(transitions(service_request), {"transition": "archive"}, format="json")
    assert unknown.status_code == 400 and "transition" in unknown.json()
    request_transition(actor=buyer, request=service_request, name="take")
    late = api_for(prescriber).post(transitions(service_request), {"transition": "withdraw"}, format="json")
    assert late.status_code == 400 and "retirer la demande" in late.json()["transition"][0]
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.TAKEN
    assert list(service_request.transitions.values_list("name", flat=True)) == ["submit", "take"]


def test_a_withdrawal_keeps_its_reason_and_another_entitys_referent_cannot(
    role_users, hospital, other_hospital
):
    service_request = make_request(role_users[Role.PRESCRIBER], entity=hospital)
    stranger = MembershipFactory(entity=other_hospital, role=Role.REFERENT).user
    refused = api_for(stranger).post(transitions(service_request), {"transition": "withdraw"}, format="json")
    assert refused.status_code == 404  # he does not even see it
    response = api_for(role_users[Role.REFERENT]).post(
        transitions(service_request), {"transition": "withdraw", "comment": "Achat abandonné"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert response.json()["actions"] == []
    assert response.json()["transitions"][-1]["comment"] == "Achat abandonné"


def test_a_client_reads_his_entitys_requests_only(role_users, hospital, other_hospital):
    own = make_request(role_users[Role.PRESCRIBER], entity=hospital)
    stranger = MembershipFactory(entity=other_hospital, role=Role.PRESCRIBER).user
    other = make_request(stranger, entity=other_hospital)
    client = api_for(role_users[Role.PRESCRIBER])
    assert [row["id"] for row in client.get(LIST).json()["results"]] == [own.pk]
    assert client.get(detail(own)).status_code == 200
    assert client.get(detail(other)).status_code == 404
    message = reverse("api:service-request-messages", args=[other.pk])
    assert client.post(message, {"body": "Bonjour"}, format="json").status_code == 404
    assert not RequestMessage.objects.exists()
    team = api_for(role_users[Role.BUYER])
    assert {row["id"] for row in team.get(LIST).json()["results"]} == {own.pk, other.pk}
    # Governance and management control see none, as on the pages (the exchanges are the parties').
    assert api_for(role_users[Role.GOVERNANCE]).get(LIST).status_code == 403


def test_the_list_filters_as_the_queue(role_users, hospital, other_hospital):
    buyer = role_users[Role.BUYER]
    sourcing = make_request(buyer, entity=hospital, codes=("sourcing",))
    dce = make_request(buyer, entity=other_hospital, codes=("dce",))
    request_transition(actor=buyer, request=dce, name="take")
    late = make_request(buyer, entity=hospital, codes=("dce",))
    request_transition(actor=buyer, request=late, name="take")
    ServiceRequest.objects.filter(pk=late.pk).update(target_date=timezone.localdate() - timedelta(days=1))
    client = api_for(buyer)

    def ids(**query):
        response = client.get(LIST, query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    module = ServiceModule.objects.get(code="sourcing")
    assert ids(status="submitted") == {sourcing.pk}
    assert ids(module=module.pk) == {sourcing.pk}
    assert ids(entity=other_hospital.pk) == {dce.pk}
    assert ids(assigned_to=buyer.pk) == {dce.pk, late.pk}
    assert ids(late="true") == {late.pk}
    row = client.get(detail(late)).json()
    assert row["is_late"] is True and row["assigned_to"]["id"] == buyer.pk
    refused = client.get(LIST, {"late": "peut-être"})
    assert refused.status_code == 400 and "late" in refused.json()


def test_the_detail_gives_the_log_messages_and_the_files_link(role_users, hospital, login):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    service_request = make_request(prescriber, entity=hospital)
    message_post(actor=buyer, request=service_request, body="Pouvez-vous préciser le volume ?")
    attachment = attachment_add(
        actor=prescriber, request=service_request, file=SimpleUploadedFile("cahier.pdf", b"%PDF-1.4 secret")
    )
    data = api_for(prescriber).get(detail(service_request)).json()
    assert [row["name"] for row in data["transitions"]] == ["submit"]
    assert data["messages"][0]["body"] == "Pouvez-vous préciser le volume ?"
    assert data["messages"][0]["author"]["id"] == buyer.pk
    assert data["actions"] == ["withdraw"]
    [file] = data["attachments"]
    link = reverse("clients:attachment_download", args=[attachment.pk])
    assert file["name"] == "cahier.pdf" and file["download_url"] == f"http://testserver{link}"
    assert "secret" not in str(data)  # metadata only: the bytes go through the checked page
    served = login(prescriber).get(link)
    assert b"".join(served.streaming_content) == b"%PDF-1.4 secret"


def valid_body(hospital, **changes) -> dict:
    body = {
        "modules": [ServiceModule.objects.get(code="sourcing").pk],
        "entity": hospital.pk,
        "object": "Lits médicalisés",
        "family": PurchaseFamilyFactory().pk,
        "estimated_amount": "150000.00",
        "wished_date": "2027-01-15",
    }
    return {**body, **changes}


def test_a_client_asks_through_the_api_as_through_the_form(role_users, hospital):
    prescriber = role_users[Role.PRESCRIBER]
    response = api_for(prescriber).post(LIST, valid_body(hospital), format="json")
    assert response.status_code == 201, response.json()
    created = ServiceRequest.objects.get()
    assert response.json()["id"] == created.pk and created.requested_by == prescriber
    assert (created.status, created.estimated_amount) == (RequestStatus.SUBMITTED, Decimal("150000.00"))
    assert [m.code for m in created.modules.all()] == ["sourcing"]
    assert list(created.transitions.values_list("name", flat=True)) == ["submit"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"modules": []}, "modules", "au moins un module"),
        ({"object": ""}, "object", ""),
        ({"estimated_amount": "0"}, "estimated_amount", ""),
        ({"estimated_amount": "-5"}, "estimated_amount", "négatif"),
        ({"wished_date": "15/01/2027"}, "wished_date", ""),
        ({"family": 999999}, "family", ""),
        ({"object": 12}, "object", ""),
    ],
    ids=["no-module", "no-object", "zero-amount", "negative-amount", "date", "family", "object-number"],
)
def test_bad_input_names_the_field_and_writes_nothing(role_users, hospital, changes, field, words):
    response = api_for(role_users[Role.PRESCRIBER]).post(LIST, valid_body(hospital, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json() and words in " ".join(response.json()[field])
    assert not ServiceRequest.objects.exists()


def test_a_client_cannot_ask_for_another_entity_nor_for_a_withdrawn_module(
    role_users, hospital, other_hospital
):
    client = api_for(role_users[Role.PRESCRIBER])
    response = client.post(LIST, valid_body(other_hospital), format="json")
    assert response.status_code == 400 and "pas l'une de vos entités" in response.json()["entity"][0]
    ServiceModule.objects.filter(code="sourcing").update(is_active=False)
    response = client.post(LIST, valid_body(hospital), format="json")
    assert response.status_code == 400 and "plus proposé" in response.json()["modules"][0]
    assert not ServiceRequest.objects.exists()


def test_a_read_only_token_is_refused_every_write(role_users, hospital):
    prescriber = role_users[Role.PRESCRIBER]
    service_request = make_request(prescriber, entity=hospital)
    client = api_for(prescriber, scope=TokenScope.READ)
    assert client.get(detail(service_request)).status_code == 200
    writes = [
        client.post(LIST, valid_body(hospital), format="json"),
        client.post(transitions(service_request), {"transition": "withdraw"}, format="json"),
        client.patch(detail(service_request), {"object": "Autre", "version": 1}, format="json"),
        client.post(
            reverse("api:service-request-messages", args=[service_request.pk]), {"body": "Hé"}, format="json"
        ),
    ]
    assert [w.status_code for w in writes] == [403] * 4
    assert all(w.json()["detail"] == "Ce jeton est en lecture seule." for w in writes)
    service_request.refresh_from_db()
    assert ServiceRequest.objects.count() == 1 and service_request.status == RequestStatus.SUBMITTED
    assert service_request.object != "Autre" and not RequestMessage.objects.exists()


def test_the_client_corrects_his_request_while_submitted(role_users, hospital):
    prescriber = role_users[Role.PRESCRIBER]
    service_request = make_request(prescriber, entity=hospital)
    client = api_for(prescriber)
    change = {"object": "Lits électriques", "estimated_amount": "90000", "version": service_request.version}
    response = client.patch(detail(service_request), change, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["object"] == "Lits électriques"
    assert response.json()["estimated_amount"] == "90000.00"
    assert service_request.history.first().history_user == prescriber  # the token's owner, not "Système"
    stale = client.patch(detail(service_request), {"object": "Autre", **{"version": 1}}, format="json")
    assert stale.status_code == 409 and stale.json()["version"] == service_request.version + 1
    no_version = client.patch(detail(service_request), {"object": "Autre"}, format="json")
    assert no_version.status_code == 400 and "version" in no_version.json()
    bad = client.patch(detail(service_request), {"object": "", "version": 2}, format="json")
    assert bad.status_code == 400 and "object" in bad.json()
    team = api_for(role_users[Role.BUYER]).patch(detail(service_request), {"version": 2}, format="json")
    assert team.status_code == 403 and "demandeur" in team.json()["detail"]
    request_transition(actor=role_users[Role.BUYER], request=service_request, name="take")
    service_request.refresh_from_db()
    taken = client.patch(
        detail(service_request), {"object": "Autre", "version": service_request.version}, format="json"
    )
    assert taken.status_code == 400 and "ne peut plus être modifiée" in taken.json()["detail"][0]
    service_request.refresh_from_db()
    assert service_request.object == "Lits électriques"


def test_the_team_assigns_a_buyer_and_a_target_date(role_users, hospital):
    buyer, legal = role_users[Role.BUYER], role_users[Role.LEGAL_OFFICER]
    service_request = make_request(role_users[Role.PRESCRIBER], entity=hospital)
    url = reverse("api:service-request-assign", args=[service_request.pk])
    target = timezone.localdate() + timedelta(days=20)
    refused = api_for(role_users[Role.PRESCRIBER]).post(url, {"buyer": buyer.pk}, format="json")
    assert refused.status_code == 403 and "cellule achats" in refused.json()["detail"]
    team = api_for(buyer)
    past = team.post(url, {"buyer": legal.pk, "target_date": "2020-01-01"}, format="json")
    assert past.status_code == 400 and "passé" in past.json()["target_date"][0]
    client_side = team.post(url, {"buyer": role_users[Role.PRESCRIBER].pk}, format="json")
    assert client_side.status_code == 400 and "buyer" in client_side.json()
    service_request.refresh_from_db()
    assert service_request.assigned_to is None and service_request.target_date is None
    response = team.post(url, {"buyer": legal.pk, "target_date": target.isoformat()}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["assigned_to"]["id"] == legal.pk
    assert response.json()["target_date"] == target.isoformat()


def test_both_parties_write_messages(role_users, hospital):
    service_request = make_request(role_users[Role.PRESCRIBER], entity=hospital)
    url = reverse("api:service-request-messages", args=[service_request.pk])
    empty = api_for(role_users[Role.PRESCRIBER]).post(url, {"body": "   "}, format="json")
    assert empty.status_code == 400 and "body" in empty.json()
    sent = api_for(role_users[Role.BUYER]).post(url, {"body": "Reçu, merci."}, format="json")
    assert sent.status_code == 201 and sent.json()["body"] == "Reçu, merci."
    assert service_request.messages.get().author == role_users[Role.BUYER]


def test_the_schema_documents_the_requests(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/service-requests/"])
    assert {"get", "patch"} <= set(paths["/api/v1/service-requests/{id}/"])
    for action in ("transitions", "assign", "messages"):
        assert "post" in paths[f"/api/v1/service-requests/{{id}}/{action}/"], action
    status = schema["components"]["schemas"]["ServiceRequestStatusEnum"]["enum"]
    assert "withdrawn" in status
