"""Procurement projects. For now the record a consolidated need becomes; the pipeline issue adds its
process map, workflow, lots and offers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.models import TimeStampedModel
from mutualis.needs.procedure import ProcedureKind
from mutualis.organisations.access import access_for


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProjectQuerySet":
        scope = access_for(user).entity_ids
        return self if scope is None else self.filter(entities__in=scope).distinct()

    def search(self, text: str) -> "ProjectQuerySet":
        text = (text or "").strip()
        return self.filter(object__icontains=text) if text else self


class Project(TimeStampedModel):
    """A planned consultation: what, for whom, for how much, by which procedure, when."""

    object = models.CharField("objet", max_length=500)
    family = models.ForeignKey(
        "catalogue.PurchaseFamily", verbose_name="famille d'achat", on_delete=models.PROTECT
    )
    entities = models.ManyToManyField(
        "organisations.Entity", verbose_name="entités concernées", related_name="projects"
    )
    estimated_value = models.DecimalField("valeur estimée HT (€)", max_digits=16, decimal_places=2)
    procedure = models.CharField("procédure calculée", max_length=40, choices=ProcedureKind.choices)
    procedure_explanation = models.TextField("explication")
    thresholds_version = models.CharField("seuils appliqués", max_length=200)
    planned_launch_quarter = models.CharField(
        "lancement prévu (trimestre)", max_length=7, help_text="Ex. 2027-T1."
    )
    source_campaign = models.ForeignKey(
        "needs.Campaign",
        verbose_name="campagne d'origine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    history = HistoricalRecords(m2m_fields=[entities])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "projet d'achat"
        verbose_name_plural = "projets d'achat"
        ordering = ["planned_launch_quarter", "object"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_campaign", "family"], name="project_once_per_campaign_family"
            ),
        ]

    def __str__(self) -> str:
        return self.object

    def get_absolute_url(self) -> str:
        return reverse("procurements:project_detail", args=[self.pk])
