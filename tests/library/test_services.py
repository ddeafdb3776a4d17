"""The library's rules: who sees which document (everyone, the team only, chosen entities), numbered
versions, the files refused by kind or size with the field named and nothing written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.library.models import Audience, Document, DocumentVersion
from mutualis.library.services import document_archive, document_create, document_save, version_add
from mutualis.organisations.roles import Role
from tests.organisations.factories import EntityFactory, MembershipFactory

from .factories import make_document, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def visible(user) -> set[str]:
    return set(Document.objects.visible_to(user).values_list("title", flat=True))


def test_each_document_is_seen_by_its_audience_only(role_users, hospital):
    buyer = role_users[Role.BUYER]
    make_document(buyer, title="Pour tous")
    make_document(buyer, title="Cellule", audience=Audience.TEAM)
    make_document(buyer, title="Pour le CH", audience=Audience.ENTITIES, entities=[hospital])
    other = EntityFactory(name="Autre CH")
    make_document(buyer, title="Pour l'autre", audience=Audience.ENTITIES, entities=[other])
    stranger = MembershipFactory(entity=other, role=Role.PRESCRIBER).user
    everything = {"Pour tous", "Cellule", "Pour le CH", "Pour l'autre"}

    for role in (Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER):
        assert visible(role_users[role]) == everything
    for role in (Role.PRESCRIBER, Role.REFERENT, Role.FAMILY_CORRESPONDENT):
        assert visible(role_users[role]) == {"Pour tous", "Pour le CH"}
    assert visible(stranger) == {"Pour tous", "Pour l'autre"}
    # Governance reads the whole territory's documents, not the team's own.
    assert visible(role_users[Role.GOVERNANCE]) == everything - {"Cellule"}
    assert visible(None) == set()


def test_an_archived_document_leaves_the_clients_library_and_comes_back(role_users):
    buyer, prescriber = role_users[Role.BUYER], role_users[Role.PRESCRIBER]
    document = make_document(buyer)
    document_archive(actor=buyer, document=document)
    assert visible(prescriber) == set() and visible(buyer) == {document.title}
    document_archive(actor=buyer, document=document, archived=False)
    assert visible(prescriber) == {document.title}


def test_versions_are_numbered_and_the_latest_is_current(role_users):
    buyer = role_users[Role.BUYER]
    document = make_document(buyer, file=pdf("trame.pdf", b"%PDF v1"))
    version_add(actor=buyer, document=document, file=pdf("trame.pdf", b"%PDF v2"), note="Seuils à jour")
    third = version_add(actor=role_users[Role.LEGAL_OFFICER], document=document,
                        file=SimpleUploadedFile("trame.docx", b"PK docx"))  # fmt: skip
    assert list(document.versions.values_list("number", flat=True)) == [3, 2, 1]
    assert document.current_version == third and third.uploaded_by == role_users[Role.LEGAL_OFFICER]
    first = document.versions.get(number=1)
    assert first.file.read() == b"%PDF v1" and first.name == "trame.pdf"
    assert document.versions.get(number=2).note == "Seuils à jour"
    # Another document starts again at 1.
    assert make_document(buyer, title="Autre").current_version.number == 1


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("script.exe", b"MZ", "n’est pas autorisée"),
        ("image.png", b"\x89PNG", "n’est pas autorisée"),
        ("gros.pdf", b"%PDF" + b"0" * 2048, "dépasse"),
    ],
)
def test_a_refused_file_names_the_field_and_writes_nothing(role_users, settings, name, content, words):
    settings.MUTUALIS_DOCUMENT_MAX_BYTES = 1024
    buyer = role_users[Role.BUYER]
    with pytest.raises(ValidationError) as refused:
        make_document(buyer, file=SimpleUploadedFile(name, content))
    assert list(refused.value.message_dict) == ["file"] and words in refused.value.message_dict["file"][0]
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()

    settings.MUTUALIS_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    document = make_document(buyer)
    settings.MUTUALIS_DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        version_add(actor=buyer, document=document, file=SimpleUploadedFile(name, content))
    assert list(refused.value.message_dict) == ["file"]
    assert document.versions.count() == 1


def test_a_document_for_chosen_entities_needs_one(role_users, hospital):
    buyer = role_users[Role.BUYER]
    with pytest.raises(ValidationError) as refused:
        make_document(buyer, audience=Audience.ENTITIES)
    assert "entities" in refused.value.message_dict
    assert not Document.objects.exists()
    document = make_document(buyer, audience=Audience.ENTITIES, entities=[hospital])
    document.audience = Audience.EVERYONE
    document_save(actor=buyer, document=document, entities=[hospital])
    assert not document.entities.exists()  # a document for everyone keeps no entity list


def test_only_the_team_keeps_the_library(role_users):
    document = make_document(role_users[Role.BUYER])
    for role in (Role.PRESCRIBER, Role.REFERENT, Role.GOVERNANCE, Role.CONTROLLER):
        with pytest.raises(PermissionDenied):
            version_add(actor=role_users[role], document=document, file=pdf())
        with pytest.raises(PermissionDenied):
            document_create(actor=role_users[role], document=Document(title="T", summary="S", kind="guide"),
                            file=pdf())  # fmt: skip
    assert document.versions.count() == 1 and Document.objects.count() == 1
