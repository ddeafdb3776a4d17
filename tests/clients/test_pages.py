"""The pages: the offer, a client's request with a file, the team's queue and workload, a request's page
with its moves, messages, private files and hand-off."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutualis.clients.models import ServiceModule, ServiceRequest
from mutualis.clients.services.requests import request_transition
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.organisations.factories import MembershipFactory

from .factories import make_request

pytestmark = pytest.mark.django_db
LIST = reverse("clients:request_list")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_everyone_reads_the_offer_and_the_administrator_edits_it(login, role_users):
    page = login(role_users[Role.GOVERNANCE]).get(reverse("clients:module_list")).content.decode()
    assert "Sourcing et benchmark" in page and "Modifier" not in page and "Faire une demande" not in page
    module = ServiceModule.objects.get(code="sourcing")
    client = login(role_users[Role.ADMIN])
    url = reverse("clients:module_update", args=[module.pk])
    form = client.get(url)
    assert form.status_code == 200 and "<legend" in form.content.decode()
    response = client.post(url, {
        "title": "Sourcing", "description": "D", "deliverables": "Une note", "delay_days": 12,
        "team": "Acheteurs", "position": 2, "is_active": "on", "version": module.version,
    })  # fmt: skip
    assert response.status_code == 302
    module.refresh_from_db()
    assert (module.title, module.delay_days) == ("Sourcing", 12)


def test_a_prescriber_asks_with_a_file_and_follows_his_request(login, role_users, hospital):
    prescriber = role_users[Role.PRESCRIBER]
    client = login(prescriber)
    form = client.get(reverse("clients:request_create"))
    assert form.status_code == 200 and form.context["form"].initial["entity"] == hospital.pk
    family = PurchaseFamilyFactory()
    modules = ServiceModule.objects.filter(code__in=["sourcing", "strategie"])
    response = client.post(reverse("clients:request_create"), {
        "modules": [m.pk for m in modules], "entity": hospital.pk, "object": "Lits médicalisés",
        "family": family.pk, "estimated_amount": "150000", "wished_date": "2027-01-15",
        "attachment": SimpleUploadedFile("besoin.pdf", b"%PDF-1.4", content_type="application/pdf"),
    })  # fmt: skip
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response.url == request.get_absolute_url()
    assert set(request.modules.all()) == set(modules) and request.wished_date == date(2027, 1, 15)
    attachment = request.attachments.get()
    page = client.get(request.get_absolute_url())
    assert page.status_code == 200 and "besoin.pdf" in page.content.decode()
    assert page.context["moves"] == []
    download = client.get(reverse("clients:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    client.post(reverse("clients:message_create", args=[request.pk]), {"body": "Urgent ?"})
    assert request.messages.get().author == prescriber
    mine = client.get(LIST)
    assert [row.record for row in mine.context["table"].paginated_rows] == [request]
    assert "workload" not in mine.context


def test_a_stranger_neither_sees_the_request_nor_its_files(login, role_users, hospital, other_hospital):
    request = make_request(role_users[Role.PRESCRIBER], entity=hospital)
    from mutualis.clients.services.requests import attachment_add

    attachment = attachment_add(
        actor=role_users[Role.PRESCRIBER], request=request, file=SimpleUploadedFile("a.pdf", b"%PDF")
    )
    stranger = MembershipFactory(entity=other_hospital, role=Role.PRESCRIBER).user
    client = login(stranger)
    assert client.get(request.get_absolute_url()).status_code == 404
    assert client.get(reverse("clients:attachment_download", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("clients:message_create", args=[request.pk]), {"body": "?"}).status_code == 404
    assert login(role_users[Role.GOVERNANCE]).get(request.get_absolute_url()).status_code == 403


def test_the_team_queue_filters_and_shows_the_workload(login, role_users, hospital):
    buyer, legal = role_users[Role.BUYER], role_users[Role.LEGAL_OFFICER]
    late = request_transition(
        actor=buyer, request=make_request(buyer, entity=hospital), name="take", today=date(2026, 1, 5)
    )
    waiting = make_request(role_users[Role.PRESCRIBER], entity=hospital, codes=("dce",))
    client = login(legal)
    response = client.get(LIST, {"late": "true"})
    assert [row.record for row in response.context["table"].paginated_rows] == [late]
    response = client.get(LIST, {"status": "submitted", "module": ServiceModule.objects.get(code="dce").pk})
    assert [row.record for row in response.context["table"].paginated_rows] == [waiting]
    response = client.get(LIST, {"assigned_to": buyer.pk})
    assert [row.record for row in response.context["table"].paginated_rows] == [late]
    assert [
        (row["assigned_to"], row["open_count"], row["late_count"]) for row in response.context["workload"]
    ] == [(buyer.pk, 1, 1)]
    page = response.content.decode()
    assert "<caption" in page and '<th scope="row">' in page and "En retard" in page
    export = client.get(LIST, {"export": "csv"})
    assert export.status_code == 200


def test_the_team_moves_assigns_and_converts_from_the_page(login, role_users, hospital, support):
    buyer, legal = role_users[Role.BUYER], role_users[Role.LEGAL_OFFICER]
    request = make_request(role_users[Role.PRESCRIBER], entity=hospital)
    client = login(buyer)
    page = client.get(request.get_absolute_url())
    assert [move.name for move in page.context["moves"]] == ["take", "decline"]
    client.post(reverse("clients:request_assign", args=[request.pk]), {"buyer": legal.pk})
    client.post(reverse("clients:request_transition", args=[request.pk]), {"move": "take"})
    request.refresh_from_db()
    assert (request.status, request.assigned_to) == ("taken", legal)
    response = client.post(reverse("clients:request_to_need", args=[request.pk]), follow=True)
    assert "Aucune campagne de recensement ouverte" in response.content.decode()
    client.post(reverse("clients:request_to_project", args=[request.pk]))
    request.refresh_from_db()
    assert request.project is not None and request.project.buyer == legal
    page = client.get(request.get_absolute_url()).content.decode()
    assert request.project.get_absolute_url() in page and "Créer le projet" not in page
