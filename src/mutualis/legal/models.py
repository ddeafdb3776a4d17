from django.db import models
from simple_history.models import HistoricalRecords


class LegalRule(models.Model):
    """One dated legal value (threshold, time limit, ratio, obligation…); a new decree is a new row."""

    rule = models.CharField(
        "règle", max_length=60, help_text="Nom de la règle : waiver, eu, standstill_days, time_limit…"
    )
    scope = models.CharField(
        "portée", max_length=80, blank=True, help_text="Précise la règle (procédure, étape) ; vide : aucune."
    )
    nature = models.CharField(
        "nature",
        max_length=30,
        blank=True,
        help_text="fournitures, services, travaux, fournitures_services ; vide : toutes",
    )
    buyer_kind = models.CharField(
        "type d'acheteur", max_length=40, blank=True, help_text="Vide : tous les acheteurs."
    )
    valid_from = models.DateField("applicable aux consultations lancées à partir du")
    value = models.DecimalField(
        "valeur", max_digits=14, decimal_places=2, help_text="Montant HT (€), jours, mois, ratio ou 1/0."
    )
    reference = models.CharField("texte", max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "règle juridique datée"
        verbose_name_plural = "règles juridiques datées"
        ordering = ["rule", "scope", "nature", "buyer_kind", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "scope", "nature", "buyer_kind", "valid_from"],
                name="legal_rule_once_per_date",
            )
        ]

    def __str__(self) -> str:
        scope = " ".join(part for part in (self.scope, self.nature, self.buyer_kind) if part)
        return f"{self.rule} {scope} = {self.value} ({self.valid_from})".replace("  ", " ")
