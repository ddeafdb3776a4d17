"""What the client may still do on his request (correct it, withdraw it while submitted), files deleted by
their author while the request is open, and the satisfaction page's menu entry."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutualis.clients.models import RequestAttachment, RequestStatus, ServiceRequest
from mutualis.clients.services.requests import attachment_add, request_transition
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Role
from mutualis.www.context_processors import menu_for

from .factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_requester_corrects_his_request_until_it_is_taken(login, role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    service_request = make_request(prescriber, entity=hospital)
    client = login(prescriber)
    page = client.get(service_request.get_absolute_url()).content.decode()
    url = reverse("clients:request_update", args=[service_request.pk])
    assert url in page
    assert client.get(url).status_code == 200
    bad = client.post(url, {"object": "", "estimated_amount": "-3", "version": service_request.version})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"object", "estimated_amount"}
    response = client.post(url, {
        "object": "Lits électriques", "estimated_amount": "90000", "wished_date": "2027-03-01",
        "version": service_request.version,
    })  # fmt: skip
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert (service_request.object, str(service_request.estimated_amount)) == ("Lits électriques", "90000.00")
    assert service_request.history.first().history_user == prescriber
    request_transition(actor=buyer, request=service_request, name="take")
    refused = client.post(url, {"object": "Autre", "version": service_request.version + 1}, follow=True)
    assert "ne se modifie plus" in html.unescape(refused.content.decode())
    service_request.refresh_from_db()
    assert service_request.object == "Lits électriques"
    assert url not in client.get(service_request.get_absolute_url()).content.decode()


def test_only_the_client_side_corrects_a_request(login, role_users, hospital):
    service_request = make_request(role_users[Role.PRESCRIBER], entity=hospital)
    url = reverse("clients:request_update", args=[service_request.pk])
    assert login(role_users[Role.REFERENT]).get(url).status_code == 200
    for role in (Role.BUYER, Role.FAMILY_CORRESPONDENT):
        assert login(role_users[role]).get(url).status_code == 403, role
    # Nor does anyone else withdraw it: the refusal says whose move it is.
    response = login(role_users[Role.FAMILY_CORRESPONDENT]).post(
        reverse("clients:request_transition", args=[service_request.pk]), {"move": "withdraw"}, follow=True
    )
    assert "Seuls le demandeur et le référent achats" in html.unescape(response.content.decode())
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.SUBMITTED


def test_the_client_withdraws_with_a_reason_and_the_buyer_is_told(login, role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    service_request = make_request(prescriber, entity=hospital)
    service_request.family.responsible_buyer = buyer
    service_request.family.save()
    client = login(prescriber)
    page = client.get(service_request.get_absolute_url()).content.decode()
    assert "Confirmer le retrait de la demande" in page
    response = client.post(
        reverse("clients:request_transition", args=[service_request.pk]),
        {"move": "withdraw", "comment": "Le service a trouvé un contrat existant"},
        follow=True,
    )
    assert "maintenant : retirée" in html.unescape(response.content.decode())
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.WITHDRAWN and not service_request.is_open
    row = service_request.transitions.last()
    assert (row.name, row.from_status, row.to_status, row.by) == (
        "withdraw",
        "submitted",
        "withdrawn",
        prescriber,
    )
    assert row.comment == "Le service a trouvé un contrat existant"
    told = buyer.notifications.get(key__endswith=f"withdraw-{row.pk}")
    assert "retirée" in told.subject and "contrat existant" in told.body
    assert "Confirmer le retrait" not in client.get(service_request.get_absolute_url()).content.decode()


def test_a_file_is_deleted_by_its_author_while_the_request_is_open(
    login, role_users, hospital, media, django_capture_on_commit_callbacks
):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    service_request = make_request(prescriber, entity=hospital)
    mine = attachment_add(
        actor=prescriber, request=service_request, file=SimpleUploadedFile("a.pdf", b"%PDF")
    )
    theirs = attachment_add(actor=buyer, request=service_request, file=SimpleUploadedFile("b.pdf", b"%PDF"))
    stored = media / mine.file.name
    assert stored.exists()
    client = login(prescriber)
    page = client.get(service_request.get_absolute_url()).content.decode()
    assert reverse("clients:attachment_delete", args=[mine.pk]) in page
    assert reverse("clients:attachment_delete", args=[theirs.pk]) not in page
    refused = client.post(reverse("clients:attachment_delete", args=[theirs.pk]), follow=True)
    assert "Seule la personne qui a joint ce fichier" in html.unescape(refused.content.decode())
    # The test's transaction never commits: the file's removal, left to the commit, is run here.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clients:attachment_delete", args=[mine.pk]))
    assert response.status_code == 302
    assert response.url == service_request.get_absolute_url() + "#fichiers-titre"
    assert list(RequestAttachment.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert not stored.exists()
    assert RequestAttachment.history.get(history_type="-").history_user == prescriber
    row = service_request.transitions.last()
    assert (row.name, row.by, row.comment) == ("delete_file", prescriber, "Pièce jointe supprimée : a.pdf")
    assert "Pièce jointe supprimée : a.pdf" in client.get(service_request.get_absolute_url()).content.decode()


def test_no_file_is_deleted_once_the_request_is_delivered(login, role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    service_request = make_request(prescriber, entity=hospital)
    mine = attachment_add(
        actor=prescriber, request=service_request, file=SimpleUploadedFile("a.pdf", b"%PDF")
    )
    for move in ("take", "start", "deliver"):
        request_transition(actor=buyer, request=service_request, name=move)
    client = login(prescriber)
    assert (
        reverse("clients:attachment_delete", args=[mine.pk])
        not in client.get(service_request.get_absolute_url()).content.decode()
    )
    response = client.post(reverse("clients:attachment_delete", args=[mine.pk]), follow=True)
    assert "ne peuvent plus être supprimées" in html.unescape(response.content.decode())
    assert RequestAttachment.objects.filter(pk=mine.pk).exists()
    assert not ServiceRequest.objects.get().transitions.filter(name="delete_file").exists()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_the_satisfaction_page_has_its_menu_entry(login, role_users, role):
    page = login(role_users[role]).get(reverse("www:home")).content.decode()
    menu = page[page.index('id="navigation"') :].split("</nav>")[0]
    reads = role not in {Role.FAMILY_CORRESPONDENT, Role.PRESCRIBER}
    assert (">Satisfaction des clients</a>" in menu) is reads
    assert (reverse("clients:satisfaction") in menu) is reads


def test_the_satisfaction_entry_is_current_on_its_page_only(role_users):
    access = access_for(role_users[Role.BUYER])
    current = {item["label"] for item in menu_for(access, "clients", "satisfaction") if item["current"]}
    assert current == {"Satisfaction des clients"}
    current = {item["label"] for item in menu_for(access, "clients", "request_list") if item["current"]}
    assert current == {"Accompagnement"}
