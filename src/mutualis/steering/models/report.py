"""A governance report asked for a period and a scope, built by the background worker."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from .scope import ScopedQuerySet


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Prêt"
    FAILED = "failed", "Échec"


class GovernanceReport(models.Model):
    """The PDF and the workbook of one period (a year, or a quarter of it) and scope (the territory, an
    entity, a family). The files are kept privately and served by a view that checks rights."""

    year = models.PositiveSmallIntegerField("année")
    quarter = models.PositiveSmallIntegerField(
        "trimestre", null=True, blank=True, choices=[(q, f"T{q}") for q in range(1, 5)]
    )
    entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="entité",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        "état", max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    message = models.TextField("message", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="demandé par", null=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport de gouvernance"
        verbose_name_plural = "rapports de gouvernance"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        period = f"T{self.quarter} {self.year}" if self.quarter else str(self.year)
        return f"Rapport de gouvernance {period}"

    def get_absolute_url(self) -> str:
        return reverse("steering:report_detail", args=[self.pk])
