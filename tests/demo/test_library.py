"""The demo's library: six real-looking documents whose files are built at load time (a needs-definition
template in two versions, PDF guides), one for the purchasing team only, one for two establishments."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mutualis.demo.library import load_library
from mutualis.library.models import Audience, Document
from mutualis.organisations.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def _read(version) -> bytes:
    with version.file.open("rb") as file:
        return file.read()


def test_six_documents_with_their_files_one_in_two_versions():
    assert Document.objects.count() == 6
    template = Document.objects.get(title="Trame de définition du besoin")
    assert list(template.versions.values_list("number", flat=True)) == [2, 1]
    sheet = load_workbook(io.BytesIO(_read(template.current_version))).active
    headers = [cell.value for cell in sheet[1]]
    assert (
        "Quantité annuelle estimée" in headers and "Critères environnementaux et sociaux souhaités" in headers
    )
    first = load_workbook(io.BytesIO(_read(template.versions.get(number=1)))).active
    assert "Critères environnementaux et sociaux souhaités" not in [cell.value for cell in first[1]]
    guide = Document.objects.get(title="Guide : répondre aux questions de la cellule achats")
    assert _read(guide.current_version).startswith(b"%PDF")
    assert Document.objects.filter(audience=Audience.TEAM).count() == 1
    assert {e.short_name for e in Document.objects.get(audience=Audience.ENTITIES).entities.all()} == {
        "Hospices civils de Beaune", "CH de Semur-en-Auxois"
    }  # fmt: skip


def test_each_person_sees_the_documents_meant_for_him(client):
    visible = {}
    for username in ("prescripteur", "referent", "acheteur"):
        client.force_login(User.objects.get(username=username))
        rows = client.get(reverse("library:document_list")).context["table"].rows
        visible[username] = {row.record.title for row in rows}
    assert len(visible["prescripteur"]) == 4  # neither the team's grid nor the linen sheet of Beaune
    assert visible["referent"] == visible["prescripteur"] | {"Fiche pratique : commander le linge des Ehpad"}
    assert len(visible["acheteur"]) == 6


def test_a_second_load_leaves_the_library_alone():
    assert load_library({"acheteuse": User.objects.get(username="acheteuse")}) == 6
    assert Document.objects.count() == 6
