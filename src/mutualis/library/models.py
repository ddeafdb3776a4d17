"""The library offered to internal clients: guides, booklets, templates… (Document), each with its files
in numbered versions (DocumentVersion), seen by everyone signed in, by the purchasing team only, or by
chosen entities. `Document.objects.visible_to(user)` is the one rule every page and download applies."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mutualis.contracts.models.parts import validate_document_size
from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

# Documents to read or fill in: PDF and office files (no archives nor images, which a client cannot reuse).
EXTENSIONS = ("pdf", "docx", "xlsx", "odt", "ods", "pptx", "odp")


class Kind(models.TextChoices):
    GUIDE = "guide", "Guide"
    BOOKLET = "livret", "Livret"
    TEMPLATE = "modele", "Modèle ou trame"
    SHEET = "fiche", "Fiche pratique"
    OTHER = "autre", "Autre"


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Toutes les personnes connectées"
    TEAM = "team", "La cellule achats seulement"
    ENTITIES = "entities", "Les personnes des entités choisies"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentQuerySet":
        """Who keeps the library sees every document, archived ones included; anyone else with the right
        to read it sees the current documents meant for everyone, and those meant for his entities (a role
        of the whole territory: for every entity). Nobody else sees any."""
        access = access_for(user)
        if access.has(Perm.MANAGE_LIBRARY):
            return self
        if not access.has(Perm.VIEW_LIBRARY):
            return self.none()
        scope = access.entity_ids
        chosen = Q(audience=Audience.ENTITIES)
        if scope is not None:
            links = Document.entities.through.objects.filter(entity_id__in=scope)
            chosen &= Q(pk__in=links.values("document"))
        return self.filter(Q(audience=Audience.EVERYONE) | chosen, is_archived=False)

    def for_user(self, user) -> "DocumentQuerySet":
        return self.visible_to(user)  # the lists' scoping rule (core/scoping.py)

    def with_current(self) -> "DocumentQuerySet":
        """Each document's current version number and its date, for lists and exports in one query (ordered
        again: an aggregate drops Meta.ordering)."""
        return self.annotate(
            current_number=models.Max("versions__number"), updated_on=models.Max("versions__uploaded_at")
        ).order_by(*Document._meta.ordering)

    def search(self, text: str) -> "DocumentQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | Q(summary__icontains=text))


class Document(Versioned, TimeStampedModel):
    """A guide, booklet, template… of the library: its description and who may see it; files are versions."""

    title = models.CharField("titre", max_length=200)
    summary = models.TextField("résumé", help_text="Ce que contient le document et à quoi il sert.")
    kind = models.CharField("type de document", max_length=10, choices=Kind.choices)
    module = models.ForeignKey(
        "clients.ServiceModule",
        verbose_name="module de l'offre de service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.CharField(
        "qui peut le voir", max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    entities = models.ManyToManyField(
        "organisations.Entity",
        verbose_name="entités destinataires",
        blank=True,
        related_name="+",
        help_text="Seulement si le document est réservé à des entités choisies.",
    )
    is_archived = models.BooleanField("archivé", default=False, editable=False)
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document de la bibliothèque"
        verbose_name_plural = "documents de la bibliothèque"
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:document_detail", args=[self.pk])

    @property
    def current_version(self) -> "DocumentVersion | None":
        return self.versions.order_by("-number").first()


def version_path(instance, filename: str) -> str:
    return f"library/{instance.document_id}/{instance.number}/{filename}"


class DocumentVersion(models.Model):
    """One file of a document, numbered 1, 2, 3…; the highest is the current one, the others stay
    downloadable."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version n°", editable=False)
    file = models.FileField(
        "fichier",
        upload_to=version_path,
        max_length=300,
        validators=[FileExtensionValidator(EXTENSIONS), validate_document_size],
        help_text="PDF ou bureautique : " + ", ".join(EXTENSIONS) + ".",
    )
    # The name as uploaded: the one downloaded, whatever suffix the storage gave the stored file.
    file_name = models.CharField("nom du fichier", max_length=255, editable=False)
    note = models.CharField(
        "ce qui change", max_length=300, blank=True, help_text="Par exemple : mise à jour des seuils."
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
        verbose_name = "version d'un document de la bibliothèque"
        verbose_name_plural = "versions des documents de la bibliothèque"
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="library_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="library_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.document} — version {self.number}"

    @property
    def name(self) -> str:
        return self.file_name or self.file.name.rsplit("/", 1)[-1]
