"""What the client and the purchasing team exchange on a request: messages and private files."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mutualis.contracts.models.parts import DOCUMENT_EXTENSIONS, validate_document_size

from .request import ServiceRequest


class RequestMessage(models.Model):
    """A message between the client and the purchasing team on a request: append-only."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField("message")
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "message sur une demande d'accompagnement"
        verbose_name_plural = "messages sur les demandes d'accompagnement"
        ordering = ["request", "at", "pk"]

    def __str__(self) -> str:
        return f"Message de {self.author} le {self.at:%d/%m/%Y}"


def attachment_path(instance, filename: str) -> str:
    return f"clients/{instance.request_id}/{filename}"


class RequestAttachment(models.Model):
    """A file joined to a request; served only to those who see the request."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        "fichier",
        upload_to=attachment_path,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size],
        help_text="PDF, bureautique, image ou ZIP.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pièce jointe d'une demande d'accompagnement"
        verbose_name_plural = "pièces jointes des demandes d'accompagnement"
        ordering = ["request", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # A file has no page of its own: its request's, at the files.
        return reverse("clients:request_detail", args=[self.request_id]) + "#fichiers-titre"

    @property
    def name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
