"""The library's pages: search and filters, a document with its versions and their downloads (a document
one may not see is not found), creation with its first file, a new version, refusals shown on the field,
archiving, and the list's exports with formulas escaped."""

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutualis.catalogue.models import PurchaseFamily
from mutualis.clients.models import ServiceModule
from mutualis.library.models import Audience, Document, DocumentVersion, Kind
from mutualis.library.services import version_add
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.organisations.factories import EntityFactory

from .factories import make_document, pdf

pytestmark = pytest.mark.django_db
LIST = reverse("library:document_list")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].rows]


def download(client, version):
    response = client.get(reverse("library:version_download", args=[version.pk]))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body


def test_search_and_filters_find_the_documents(login, role_users):
    buyer = role_users[Role.BUYER]
    sourcing = ServiceModule.objects.get(code="sourcing")
    family = PurchaseFamilyFactory(label="Fournitures médicales")
    make_document(buyer, title="Livret du sourcing", module=sourcing, kind=Kind.BOOKLET)
    make_document(buyer, title="Trame de définition du besoin", kind=Kind.TEMPLATE, family=family,
                  summary="Colonnes : quantités, spécifications, contraintes.")  # fmt: skip
    make_document(buyer, title="Fiche : les marchés subséquents", kind=Kind.SHEET)
    client = login(role_users[Role.PRESCRIBER])

    assert len(titles(client.get(LIST))) == 3
    assert titles(client.get(LIST, {"q": "SOURCING"})) == ["Livret du sourcing"]
    assert titles(client.get(LIST, {"q": "spécifications"})) == ["Trame de définition du besoin"]  # summary
    assert titles(client.get(LIST, {"module": sourcing.pk})) == ["Livret du sourcing"]
    assert titles(client.get(LIST, {"family": family.pk})) == ["Trame de définition du besoin"]
    assert titles(client.get(LIST, {"kind": "fiche"})) == ["Fiche : les marchés subséquents"]
    refused = client.get(LIST, {"module": "abc"})
    assert "module" in refused.context["filter"].form.errors


def test_a_team_only_document_is_neither_listed_nor_opened_nor_downloaded_by_a_prescriber(login, role_users):
    document = make_document(role_users[Role.BUYER], title="Grille interne", audience=Audience.TEAM)
    version = document.current_version
    client = login(role_users[Role.PRESCRIBER])
    assert titles(client.get(LIST)) == []
    assert client.get(document.get_absolute_url()).status_code == 404
    assert download(client, version)[0] == 404
    assert b"Grille interne" not in client.get(LIST, {"export": "csv"}).getvalue()

    team = login(role_users[Role.LEGAL_OFFICER])
    assert titles(team.get(LIST)) == ["Grille interne"]
    assert download(team, version) == (200, b"%PDF-1.4 guide")


def test_a_document_for_chosen_entities_reaches_their_people_only(login, role_users, hospital, client):
    other = EntityFactory(name="Autre CH")
    document = make_document(role_users[Role.BUYER], title="Pour l'autre CH", audience=Audience.ENTITIES,
                             entities=[other])  # fmt: skip
    mine = make_document(role_users[Role.BUYER], title="Pour mon CH", audience=Audience.ENTITIES,
                         entities=[hospital])  # fmt: skip
    prescriber = login(role_users[Role.PRESCRIBER])
    assert titles(prescriber.get(LIST)) == ["Pour mon CH"]
    assert prescriber.get(document.get_absolute_url()).status_code == 404
    assert download(prescriber, document.current_version)[0] == 404
    page = html.unescape(prescriber.get(mine.get_absolute_url()).content.decode())
    assert "Les personnes des entités choisies : Centre hospitalier membre" in page


def test_a_document_shows_its_current_version_and_keeps_the_old_ones_downloadable(
    login, role_users, tmp_path
):
    buyer = role_users[Role.BUYER]
    document = make_document(buyer, title="Livret du sourcing", file=pdf("livret.pdf", b"%PDF premier"))
    # A file left where the second version goes (a restored backup…): the storage adds a suffix on disk.
    (tmp_path / "library" / str(document.pk) / "2").mkdir(parents=True)
    (tmp_path / "library" / str(document.pk) / "2" / "livret.pdf").write_bytes(b"ancien")
    second = pdf("livret.pdf", b"%PDF second")
    version_add(actor=buyer, document=document, file=second, note="Annuaire ajouté")
    client = login(role_users[Role.PRESCRIBER])
    response = client.get(document.get_absolute_url())
    page = html.unescape(response.content.decode())
    assert response.context["current"].number == 2
    assert [v.number for v in response.context["past_versions"]] == [1]
    assert "Annuaire ajouté" in page and "Modifier" not in page and "Archiver" not in page
    first, second = document.versions.get(number=1), document.versions.get(number=2)
    assert download(client, second) == (200, b"%PDF second")
    assert download(client, first) == (200, b"%PDF premier")
    assert second.file.name != f"library/{document.pk}/2/livret.pdf"
    for version in (first, second):  # downloaded under the name they were uploaded with
        response = client.get(reverse("library:version_download", args=[version.pk]))
        b"".join(response.streaming_content)  # read to the end: the test client closes it then
        assert 'filename="livret.pdf"' in response["Content-Disposition"]
    assert titles(client.get(LIST)) == ["Livret du sourcing"]
    assert client.get(LIST).context["table"].rows[0].get_cell("current_number") == "v2"


def test_the_team_adds_a_document_with_its_file_then_a_version(login, role_users, hospital):
    client = login(role_users[Role.BUYER])
    assert client.get(reverse("library:document_create")).status_code == 200
    family = PurchaseFamily.objects.first() or PurchaseFamilyFactory()
    response = client.post(reverse("library:document_create"), {
        "title": "Trame de définition du besoin", "summary": "À remplir avant toute demande.",
        "kind": "modele",
        "family": family.pk, "audience": "entities", "entities": [hospital.pk],
        "file": SimpleUploadedFile("trame.xlsx", b"PK xlsx"), "note": "Première édition",
    })  # fmt: skip
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert list(document.entities.all()) == [hospital]
    assert (document.current_version.number, document.current_version.note) == (1, "Première édition")

    url = reverse("library:version_create", args=[document.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("trame-v2.xlsx", b"PK v2"), "note": "Colonnes"})
    assert response.status_code == 302
    assert document.current_version.number == 2 and document.current_version.name == "trame-v2.xlsx"

    update = reverse("library:document_update", args=[document.pk])
    response = client.post(update, {
        "title": "Trame du besoin", "summary": "À remplir.", "kind": "modele", "audience": "everyone",
        "version": document.version,
    })  # fmt: skip
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Trame du besoin" and not document.entities.exists()


def test_a_refused_file_is_shown_on_its_field_and_nothing_is_saved(login, role_users, settings):
    client = login(role_users[Role.BUYER])
    response = client.post(reverse("library:document_create"), {
        "title": "Programme", "summary": "Un exécutable", "kind": "autre", "audience": "everyone",
        "file": SimpleUploadedFile("outil.exe", b"MZ"),
    })  # fmt: skip
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    page = html.unescape(response.content.decode())
    assert "Fichier (version 1)</a> : L" in page
    assert "exe" in page and "n’est pas autorisée" in page and "pdf, docx, xlsx, odt, ods, pptx, odp" in page
    assert not Document.objects.exists()

    document = make_document(role_users[Role.BUYER])
    settings.MUTUALIS_DOCUMENT_MAX_BYTES = 1024
    url = reverse("library:version_create", args=[document.pk])
    response = client.post(url, {"file": SimpleUploadedFile("gros.pdf", b"%PDF" + b"0" * 2048)})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert "Le fichier dépasse" in html.unescape(response.content.decode())
    response = client.post(url, {"note": "sans fichier"})
    assert html.unescape(response.content.decode()).count("Choisissez le fichier à déposer.") >= 1
    assert DocumentVersion.objects.count() == 1


def test_archiving_withdraws_the_document_from_the_clients(login, role_users):
    document = make_document(role_users[Role.BUYER], title="Ancien guide")
    team = login(role_users[Role.BUYER])
    response = team.post(reverse("library:document_archive", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_archived
    assert titles(team.get(LIST, {"archived": "true"})) == ["Ancien guide"]
    prescriber = login(role_users[Role.PRESCRIBER])
    assert prescriber.get(document.get_absolute_url()).status_code == 404
    assert prescriber.post(reverse("library:document_archive", args=[document.pk])).status_code == 403


def test_the_exports_list_the_documents_with_formulas_escaped(login, role_users):
    make_document(role_users[Role.BUYER], title='=HYPERLINK("http://x")', summary="+1 résumé")
    client = login(role_users[Role.PRESCRIBER])
    response = client.get(LIST, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Numéro", "Titre", "Type"]
    assert rows[1][1] == '\'=HYPERLINK("http://x")' and rows[1][-1] == "'+1 résumé"
    assert rows[1][6] == "1"  # the current version
    xlsx = client.get(LIST, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.getvalue()[:2] == b"PK"


def test_the_menu_and_the_offer_lead_to_the_library(login, role_users):
    client = login(role_users[Role.PRESCRIBER])
    page = client.get(reverse("www:home")).content.decode()
    assert f'href="{LIST}"' in page and ">Bibliothèque</a>" in page
    offer = client.get(reverse("clients:module_list")).content.decode()
    sourcing = ServiceModule.objects.get(code="sourcing")
    assert f"{LIST}?module={sourcing.pk}" in offer
