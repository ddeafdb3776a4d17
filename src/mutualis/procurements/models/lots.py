"""A project's lots, its weighted award criteria, the offers received per lot and their scores."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mutualis.contracts.models.prices import PriceLineBase
from mutualis.core.formats import weight
from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel

SCORE_MAX = Decimal(10)


class LotStatus(models.TextChoices):
    OPEN = "open", "En consultation"
    AWARDED = "awarded", "Attribué"
    UNSUCCESSFUL = "unsuccessful", "Infructueux ou sans suite"


class Lot(Versioned, TimeStampedModel):
    """One lot of a consultation; awarding it creates its contract in the registry."""

    project = models.ForeignKey("procurements.Project", on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField("n° de lot", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=300)
    estimated_value = models.DecimalField(
        "valeur estimée HT (€)", max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    cpv = models.ForeignKey(
        "catalogue.CpvCode",
        verbose_name="code CPV",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="À défaut, celui du projet.",
    )
    status = models.CharField("statut", max_length=20, choices=LotStatus.choices, default=LotStatus.OPEN)
    unsuccessful_reason = models.TextField("motif (infructueux ou sans suite)", blank=True)
    awarded_offer = models.OneToOneField(
        "procurements.Offer",
        verbose_name="offre retenue",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,  # an awarded offer goes only with its lot (project deletion)
        related_name="won_lot",
    )
    awarded_on = models.DateField("attribué le", null=True, blank=True)
    rejections_sent_on = models.DateField("lettres de rejet envoyées le", null=True, blank=True)
    rejections_sent_electronically = models.BooleanField("rejets envoyés par voie électronique", default=True)
    signed_on = models.DateField("signé le", null=True, blank=True)
    notified_on = models.DateField("notifié le", null=True, blank=True)
    contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name="contrat",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procurement_lot",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lot"
        ordering = ["project", "number"]
        # Steering reads the lots notified in a year (lead times end to end).
        indexes = [models.Index(fields=["notified_on"], name="lot_notified_idx")]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="lot_number_once_per_project"),
            models.CheckConstraint(
                condition=~Q(status="awarded") | Q(awarded_offer__isnull=False, awarded_on__isnull=False),
                name="lot_awarded_has_offer_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Lot {self.number} — {self.title}"


class LotAction(models.TextChoices):
    AWARD = "award", "Attribution"
    DECLARE_UNSUCCESSFUL = "declare_unsuccessful", "Déclaration d'infructuosité ou sans suite"
    NOTIFY = "notify", "Signature et notification"


class LotTransition(models.Model):
    """One decision on a lot (award, unsuccessful, notification): who, when, from which status to which.

    An append-only log, like the projects' StageTransition: rows are written once and never edited, so
    they carry no change history of their own."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("action", max_length=30, choices=LotAction.choices)
    from_status = models.CharField("de", max_length=20, choices=LotStatus.choices)
    to_status = models.CharField("vers", max_length=20, choices=LotStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("le", default=timezone.now)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "décision sur un lot"
        verbose_name_plural = "décisions sur les lots"
        ordering = ["lot", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.lot} : {self.get_action_display()}"


class CriterionKind(models.TextChoices):
    PRICE = "price", "Prix"
    TECHNICAL = "technical", "Valeur technique"
    ENVIRONMENTAL = "environmental", "Performance environnementale"
    SOCIAL = "social", "Performance sociale"
    DELAY = "delay", "Délais"
    OTHER = "other", "Autre"


class Criterion(Versioned):
    """An award criterion with its weight, declared with the consultation documents (R2152-7)."""

    project = models.ForeignKey("procurements.Project", on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField("critère", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=CriterionKind.choices)
    weight = models.DecimalField(
        "pondération (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    position = models.PositiveSmallIntegerField("rang", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "critère d'attribution"
        verbose_name_plural = "critères d'attribution"
        ordering = ["project", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "label"], name="criterion_label_once_per_project"),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100), name="criterion_weight_between_0_and_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({weight(self.weight)} %)"

    @property
    def is_price(self) -> bool:
        """The price criterion is scored from the prices, not typed."""
        return self.kind == CriterionKind.PRICE


class Offer(Versioned, TimeStampedModel):
    """An offer received for a lot."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="offers")
    supplier = models.ForeignKey(
        "suppliers.Supplier", verbose_name="soumissionnaire", on_delete=models.PROTECT, related_name="offers"
    )
    price = models.DecimalField(
        "prix HT (€)", max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    received_on = models.DateField("reçue le", null=True, blank=True)
    is_regular = models.BooleanField(
        "offre régulière et acceptable",
        default=True,
        help_text="Décochez une offre irrégulière, inacceptable ou inappropriée : elle n'est pas classée.",
    )
    notes = models.TextField("observations", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "offre"
        ordering = ["lot", "price", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "supplier"], name="offer_once_per_supplier_and_lot"),
            models.CheckConstraint(condition=Q(price__gt=0), name="offer_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} — {self.price} €"


class OfferScore(models.Model):
    """The score of an offer on a criterion other than price, out of 10."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(
        "note sur 10",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(SCORE_MAX)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "note"
        constraints = [
            models.UniqueConstraint(fields=["offer", "criterion"], name="score_once_per_offer_and_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=10), name="score_between_0_and_10"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.label} : {self.score}"


class NegotiationRound(models.Model):
    """One round of negotiation on an offer: its price before and after, so that the gain the
    negotiation obtained is measured from the prices, not typed.

    Append-only: a round is recorded once (offer_negotiate) and the offer's price follows it."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="negotiation_rounds")
    number = models.PositiveSmallIntegerField("tour n°", validators=[MinValueValidator(1)])
    price_before = models.DecimalField("prix HT avant le tour (€)", max_digits=16, decimal_places=2)
    price_after = models.DecimalField("prix HT après le tour (€)", max_digits=16, decimal_places=2)
    held_on = models.DateField("date du tour")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField("observations", blank=True)

    class Meta:
        verbose_name = "tour de négociation"
        verbose_name_plural = "tours de négociation"
        ordering = ["offer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="negotiation_round_once_per_offer"),
            models.CheckConstraint(
                condition=Q(price_before__gt=0, price_after__gt=0), name="negotiation_prices_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} — tour {self.number} : {self.price_before} € → {self.price_after} €"

    @property
    def difference(self) -> Decimal:
        """What the round changed, in euros: negative when the price went down."""
        return self.price_after - self.price_before

    @property
    def difference_percent(self) -> Decimal:
        """The same change in per cent of the price before the round."""
        return (self.difference * 100 / self.price_before).quantize(Decimal("0.01"))


class OfferPriceLine(PriceLineBase):
    """A line of the price schedule an offer quotes; the award copies the winning offer's lines into
    the contract (procurements.services.award)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="price_lines")
    history = HistoricalRecords()

    class Meta(PriceLineBase.Meta):
        verbose_name = "ligne de prix de l'offre"
        verbose_name_plural = "lignes de prix de l'offre"
        constraints = [
            models.UniqueConstraint(fields=["offer", "position"], name="offer_price_line_position_unique"),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="offer_price_line_price_not_negative"
            ),
        ]
