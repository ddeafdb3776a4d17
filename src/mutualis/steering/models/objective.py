"""A yearly target for one indicator, for the territory, an entity or a purchase family."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.models import TimeStampedModel

from .scope import ScopedQuerySet


class ObjectiveQuerySet(ScopedQuerySet):
    def of_year(self, year: int) -> "ObjectiveQuerySet":
        return self.filter(year=year)


class Objective(TimeStampedModel):
    """« 50 % des contrats avec une considération environnementale en 2027 », for the territory, an
    entity or a family. The indicator is a code of the indicator registry (steering.indicators)."""

    indicator = models.CharField("indicateur", max_length=60)
    year = models.PositiveSmallIntegerField("année")
    entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="entité",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objectives",
        help_text="Vide : l'objectif du territoire.",
    )
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objectives",
        help_text="Vide : toutes les familles.",
    )
    target = models.DecimalField("cible", max_digits=16, decimal_places=2)
    source = models.CharField(
        "origine",
        max_length=200,
        blank=True,
        help_text="Par exemple : SPASER 2025-2027, feuille de route PHARE.",
    )
    history = HistoricalRecords()

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = "objectif"
        ordering = ["-year", "indicator", "entity__name", "family__code"]
        indexes = [models.Index(fields=["year", "indicator"], name="objective_year_indicator")]

    def __str__(self) -> str:
        return f"Objectif {self.year} : {self.indicator}"

    def get_absolute_url(self) -> str:
        return reverse("steering:objective_update", args=[self.pk])
