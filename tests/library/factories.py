"""Library documents made through the services, as the pages do."""

from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.library.models import Audience, Document, Kind
from mutualis.library.services import document_create


def pdf(name: str = "guide.pdf", content: bytes = b"%PDF-1.4 guide") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_document(actor, *, title="Guide de l'expression du besoin", audience=Audience.EVERYONE, entities=(),
                  file=None, **fields) -> Document:  # fmt: skip
    document = Document(
        title=title,
        summary=fields.pop("summary", "Comment décrire son besoin à la cellule achats."),
        kind=fields.pop("kind", Kind.GUIDE),
        audience=audience,
        **fields,
    )
    return document_create(actor=actor, document=document, entities=entities, file=file or pdf())
