"""Writing the library: a document created with its first file, described again, given a new version,
archived or put back; only by those who keep the library (MANAGE_LIBRARY). Every refusal names its field
and leaves the database as it was."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .models import Audience, Document, DocumentVersion


def _require(actor) -> None:
    if not access_for(actor).has(Perm.MANAGE_LIBRARY):
        raise PermissionDenied


def _check(document: Document, entities) -> list:
    """The document's own checks, plus its audience against the chosen entities (a many-to-many field,
    which the model cannot check before it is saved)."""
    errors: dict[str, list[str]] = {}
    entities = list(entities or ())
    if document.audience == Audience.ENTITIES and not entities:
        errors["entities"] = ["Choisissez au moins une entité destinataire, ou un autre public."]
    if document.audience != Audience.ENTITIES:
        entities = []  # a document for everyone or for the team is not also one for some entities
    try:
        document.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return entities


NO_FILE = "Choisissez le fichier à déposer."


def _checked_version(actor, file, note: str) -> DocumentVersion:
    """A version not yet tied to its document, its file checked (kind, size) before anything is written."""
    if not file:
        raise ValidationError({"file": [NO_FILE]})
    name = file.name.replace("\\", "/").rsplit("/", 1)[-1]
    version = DocumentVersion(file=file, file_name=name, note=(note or "").strip(), uploaded_by=actor)
    version.full_clean(exclude=["document", "number", "uploaded_by"])  # errors keyed by field
    return version


def _save_version(document: Document, version: DocumentVersion) -> DocumentVersion:
    version.document = document
    version.number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version.save()
    return version


@transaction.atomic
def document_create(*, actor, document: Document, entities=(), file=None, note: str = "") -> Document:
    """A new document of the library, with its first file (version 1)."""
    _require(actor)
    errors = {}
    try:
        entities = _check(document, entities)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        version = _checked_version(actor, file, note)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    document.save()
    document.entities.set(entities)
    _save_version(document, version)
    return document


@transaction.atomic
def document_save(*, actor, document: Document, entities=()) -> Document:
    """A document described again (title, summary, kind, module, family, who may see it)."""
    _require(actor)
    entities = _check(document, entities)
    document.save()
    document.entities.set(entities)
    return document


@transaction.atomic
def version_add(*, actor, document: Document, file, note: str = "") -> DocumentVersion:
    """A new file for the document: numbered after the last one, it becomes the current version."""
    _require(actor)
    # Locked so that two files sent at once get two numbers, not one refused by the unique constraint.
    version = _checked_version(actor, file, note)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    return _save_version(locked, version)


@transaction.atomic
def document_archive(*, actor, document: Document, archived: bool = True) -> Document:
    """Withdrawn from the clients' library (kept, with its versions, for the team), or put back."""
    _require(actor)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    locked.is_archived = archived
    locked.save()
    return locked
