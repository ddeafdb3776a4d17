"""The territory's purchasing-gain target for a year, against which the synthesis shows what is achieved."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from mutualis.core.models import TimeStampedModel

from .gain import MONEY


class GainTarget(TimeStampedModel):
    """One figure per year, set by the purchasing direction; its changes are kept (history)."""

    year = models.PositiveSmallIntegerField("année", unique=True)
    amount = models.DecimalField(
        "objectif de gains (€)", validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    comment = models.TextField(
        "commentaire", blank=True, help_text="Origine de l'objectif, par exemple la feuille de route PHARE."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "objectif annuel de gains achats"
        verbose_name_plural = "objectifs annuels de gains achats"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Objectif de gains {self.year}"
