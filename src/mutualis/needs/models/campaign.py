"""A needs campaign: the purchasing team asks every entity for its needs in a set of families."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel


class CampaignQuerySet(models.QuerySet):
    def open(self) -> "CampaignQuerySet":
        return self.filter(is_open=True)


class Campaign(Versioned, TimeStampedModel):
    """Needs are declared per campaign (a year, some families), then consolidated across the territory."""

    title = models.CharField("intitulé", max_length=200)
    year = models.PositiveSmallIntegerField("année des besoins")
    families = models.ManyToManyField(
        "catalogue.PurchaseFamily", verbose_name="familles concernées", related_name="campaigns"
    )
    deadline = models.DateField("date limite de saisie")
    launch_date = models.DateField(
        "lancement prévu des consultations",
        help_text="Date qui choisit la table des seuils (les seuils applicables sont ceux du lancement).",
    )
    contract_duration_months = models.PositiveSmallIntegerField(
        "durée prévue des futurs contrats (mois)",
        default=48,
        help_text="La valeur estimée d'un besoin récurrent couvre toute la durée du futur contrat, "
        "reconductions comprises (R2121-1, R2121-8).",
    )
    instructions = models.TextField("consignes aux établissements", blank=True)
    is_open = models.BooleanField("ouverte à la saisie", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[families])

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "campagne de recensement des besoins"
        verbose_name_plural = "campagnes de recensement des besoins"
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:campaign_detail", args=[self.pk])
