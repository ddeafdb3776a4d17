"""The purchasing process map as data: versions of an ordered list of stages, each with the role that
runs it, its expected duration and the procedures it applies to (ARCHITECTURE rule 5).

A version used by a project is frozen: administrators adjust the map by publishing a new version, and
running projects keep the one they started with.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from mutualis.contracts.enums import Procedure
from mutualis.core.models import TimeStampedModel
from mutualis.organisations.roles import ROLE_PERMISSIONS, Perm, Role


class ProcessMapQuerySet(models.QuerySet):
    def published(self) -> "ProcessMapQuerySet":
        return self.filter(published_at__isnull=False)

    def current(self) -> "ProcessMap | None":
        """The version new projects start with: the latest published one."""
        return self.published().order_by("-version").first()


class ProcessMap(TimeStampedModel):
    """One version of the purchasing process map."""

    version = models.PositiveIntegerField("version", unique=True)
    label = models.CharField("intitulé", max_length=200)
    notes = models.TextField("ce qui change", blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)

    objects = ProcessMapQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "carte des processus"
        verbose_name_plural = "cartes des processus"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.label} (version {self.version})"

    @property
    def is_frozen(self) -> bool:
        """Published versions are never edited: projects rely on them."""
        return self.published_at is not None


class StageCode(models.TextChoices):
    """The stages the application knows the rules of; a map orders them and sets who and how long."""

    NEED = "besoin", "Analyse du besoin"
    SOURCING = "sourcing", "Sourcing et benchmark"
    STRATEGY = "strategie", "Stratégie d'achat"
    DOCUMENTS = "dce", "Rédaction du dossier de consultation"
    PUBLICATION = "publication", "Publication et réception des offres"
    ANALYSIS = "analyse", "Analyse des offres"
    NEGOTIATION = "negociation", "Négociation"
    AWARD = "attribution", "Attribution"
    NOTIFICATION = "notification", "Signature et notification"
    EXECUTION = "execution", "Suivi de l'exécution"


class Stage(models.Model):
    """One stage of a map version: who runs it, how long it should take, for which procedures."""

    process_map = models.ForeignKey(ProcessMap, on_delete=models.CASCADE, related_name="stages")
    code = models.CharField("étape", max_length=20, choices=StageCode.choices)
    label = models.CharField("libellé affiché", max_length=120)
    position = models.PositiveSmallIntegerField("rang")
    responsible_role = models.CharField("rôle responsable", max_length=30, choices=Role.choices)
    expected_days = models.PositiveSmallIntegerField(
        "durée prévue (jours)",
        validators=[MinValueValidator(0)],
        help_text="0 : pas d'échéance (par exemple le suivi de l'exécution).",
    )
    procedures = models.JSONField(
        "procédures concernées", default=list, help_text="Les procédures pour lesquelles l'étape s'applique."
    )
    description = models.TextField("ce qui est attendu", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "étape"
        ordering = ["process_map", "position"]
        constraints = [
            models.UniqueConstraint(fields=["process_map", "code"], name="stage_code_once_per_map"),
            models.UniqueConstraint(fields=["process_map", "position"], name="stage_position_once_per_map"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        errors = {}
        unknown = set(self.procedures or []) - set(Procedure.values)
        if unknown or not self.procedures:
            errors["procedures"] = "Choisissez une ou plusieurs procédures de la liste."
        # The pages and the API let only those who manage projects move them.
        if (
            self.responsible_role
            and Perm.MANAGE_PROJECTS not in ROLE_PERMISSIONS[Role(self.responsible_role)]
        ):
            errors["responsible_role"] = "Choisissez un rôle de la cellule achats qui gère les projets."
        if errors:
            raise ValidationError(errors)

    def applies_to(self, procedure: str) -> bool:
        return procedure in self.procedures
