"""Price schedules (bordereau de prix unitaires, BPU): one line per item, unit and unit price.

A flat price per unit (per workstation, per bed, per m²) is one line. The same line fields serve a
contract's schedule and an offer's (procurements.OfferPriceLine), so that the award hands the winning
offer's prices to the contract field by field.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class VatRate(models.TextChoices):
    # Stored as text of the Decimal so that « 5.5 » and « 5.50 » cannot both exist; French rates
    # (CGI art. 278 to 281 nonies), the overseas rates are out of scope.
    NORMAL = "20", "20 %"
    INTERMEDIATE = "10", "10 %"
    REDUCED = "5.5", "5,5 %"
    SPECIAL = "2.1", "2,1 %"
    NONE = "0", "0 % (exonéré ou non soumis)"


class PriceLineBase(models.Model):
    """The fields of one line of a price schedule, shared by contracts and offers."""

    position = models.PositiveIntegerField("N°", validators=[MinValueValidator(1)])
    item_code = models.CharField(
        "référence", max_length=60, blank=True, help_text="Référence du fournisseur ou code article."
    )
    label = models.CharField("désignation", max_length=500)
    unit = models.CharField(
        "unité", max_length=60, help_text="Par exemple « boîte de 100 », « poste / an », « m² »."
    )
    unit_price = models.DecimalField(
        "prix unitaire HT (€)", max_digits=18, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    vat_rate = models.CharField("taux de TVA", max_length=4, choices=VatRate.choices, default=VatRate.NORMAL)
    annual_quantity = models.DecimalField(
        "quantité annuelle estimée", max_digits=18, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    revision_index = models.CharField(
        "indice de révision", max_length=60, blank=True, help_text="Par exemple « ICHTrev-TS », « BT01 »."
    )
    base_month = models.DateField(
        "mois de base", null=True, blank=True, help_text="Mois de référence de l'indice (mm/aaaa)."
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.label} ({self.unit})"

    def clean(self):
        super().clean()
        if self.base_month and self.base_month.day != 1:
            self.base_month = self.base_month.replace(day=1)  # a month: kept as its first day
        if self.base_month and not self.revision_index:
            raise ValidationError({"revision_index": "Un mois de base va avec un indice de révision."})

    @property
    def vat_percent(self) -> Decimal:
        return Decimal(self.vat_rate)

    @property
    def unit_price_ttc(self) -> Decimal:
        return (self.unit_price * (1 + self.vat_percent / 100)).quantize(Decimal("0.0001"))

    # The fields a line hands on (offer → contract), in the schedule's column order.
    COPIED_FIELDS = (
        "position", "item_code", "label", "unit", "unit_price", "vat_rate", "annual_quantity",
        "revision_index", "base_month",
    )  # fmt: skip

    def line_values(self) -> dict:
        return {name: getattr(self, name) for name in self.COPIED_FIELDS}


class PriceLine(PriceLineBase):
    """A line of a contract's price schedule."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="price_lines")
    history = HistoricalRecords()

    class Meta(PriceLineBase.Meta):
        verbose_name = "ligne de prix"
        verbose_name_plural = "lignes de prix"
        constraints = [
            models.UniqueConstraint(fields=["contract", "position"], name="price_line_position_unique"),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="price_line_price_not_negative"
            ),
        ]
