"""A purchasing gain: its inputs (reference and new situation, quantities, lever), the figures the
PHARE method computes from them, and the log of its validation by management control.

SR, SN and the gain are all stored, with the inputs they came from, so that a figure can always be
explained and recomputed; `recompute()` is the only place that writes the figures."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel, TransitionLog
from mutualis.organisations.access import access_for

from .. import method
from ..method import GainKind

MONEY = {"max_digits": 16, "decimal_places": 2}
# Unit prices and quantities keep more decimals than money: a price per tablet, a quantity in m³.
UNIT = {"max_digits": 18, "decimal_places": 4, "validators": [MinValueValidator(Decimal(0))]}


class GainOrigin(models.TextChoices):
    AWARD = "award", "Attribution d'un lot"
    CONTRACT = "contract", "Contrat hors projet"
    RENEWAL = "renewal", "Reconduction"
    RENEGOTIATION = "renegotiation", "Renégociation"


class ReferenceSource(models.TextChoices):
    PREVIOUS_CONTRACT = "previous_contract", "Prix payé sous le contrat remplacé"
    PRICE_SCHEDULE = "price_schedule", "Bordereau de prix en vigueur"
    MARKET = "market", "Référence de marché"
    OFFERS_MEAN = "offers_mean", "Moyenne des offres reçues (besoin nouveau)"


class Lever(models.TextChoices):
    PRICE = "price", "Prix"
    SPECIFICATION = "specification", "Juste besoin, spécification"
    PROCESS = "process", "Processus"
    NEGOTIATION = "negotiation", "Négociation"
    POOLING = "pooling", "Mutualisation"
    OTHER = "other", "Autre"


class GainStage(models.TextChoices):
    IDENTIFIED = "identified", "Identifié"
    TARGETED = "targeted", "Ciblé"
    SECURED = "secured", "Sécurisé (notifié)"
    REALISED = "realised", "Réalisé (volumes constatés)"


class GainStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposé, à compléter"
    DECLARED = "declared", "Déclaré, à valider"
    VALIDATED = "validated", "Validé par le contrôle de gestion"
    RETURNED = "returned", "Renvoyé pour correction"


class GainQuerySet(models.QuerySet):
    def for_user(self, user) -> "GainQuerySet":
        scope = access_for(user).entity_ids
        return self if scope is None else self.filter(entity_id__in=scope)

    def search(self, text: str) -> "GainQuerySet":
        text = (text or "").strip()
        return (
            self.filter(Q(label__icontains=text) | Q(lot__project__object__icontains=text)) if text else self
        )

    def counted(self) -> "GainQuerySet":
        """Gains that count in the totals: declared or validated (a proposal is not yet anyone's figure)."""
        return self.filter(status__in=[GainStatus.DECLARED, GainStatus.VALIDATED])

    def to_declare(self, buyer) -> "GainQuerySet":
        """Gains waiting for their buyer: proposed by Mutualis to complete, or returned for correction."""
        return self.filter(buyer=buyer, status__in=[GainStatus.PROPOSED, GainStatus.RETURNED])

    def to_validate(self) -> "GainQuerySet":
        """Gains declared by a buyer, waiting for management control."""
        return self.filter(status=GainStatus.DECLARED)

    def in_year(self, year: int) -> "GainQuerySet":
        """Gains with a share in the year: notified that year (year N) or the year before (year N+1)."""
        return self.filter(year_n__in=[year, year - 1])

    def year_totals(self, year: int, *group_by: str) -> list[dict]:
        """The year's gain per group, in SQL: the N share of the year's gains and the N+1 share of the
        previous year's, with the count of records behind each figure."""
        in_n = Q(year_n=year)
        in_n1 = Q(year_n=year - 1)
        return list(
            self.in_year(year)
            .values(*group_by)
            .annotate(
                gain_n=models.Sum("gain_year_n", filter=in_n, default=Decimal(0)),
                gain_n1=models.Sum("gain_year_n1", filter=in_n1, default=Decimal(0)),
                annual=models.Sum("annual_gain", filter=in_n, default=Decimal(0)),
                records=models.Count("pk"),
            )
            .annotate(total=models.F("gain_n") + models.F("gain_n1"))
            .order_by(*group_by)
        )


class Gain(Versioned, TimeStampedModel):
    """The gain of one purchase (an awarded lot, a contract, a renewal or a renegotiation)."""

    origin = models.CharField("origine", max_length=20, choices=GainOrigin.choices, default=GainOrigin.AWARD)
    lot = models.OneToOneField(
        "procurements.Lot",
        verbose_name="lot attribué",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="gain",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name="contrat",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gains",
    )
    label = models.CharField("objet", max_length=500)
    entity = models.ForeignKey(
        "organisations.Entity", verbose_name="établissement", on_delete=models.PROTECT, related_name="gains"
    )
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gains",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="acheteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gains",
    )
    action = models.ForeignKey(
        "gains.PlanAction",
        verbose_name="action du plan d'actions",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gains",
    )
    # Inputs of the method.
    kind = models.CharField("nature", max_length=20, choices=GainKind.choices, default=GainKind.RECURRING)
    reference_source = models.CharField(
        "source de la référence", max_length=20, choices=ReferenceSource.choices
    )
    reference_unit_price = models.DecimalField(
        "prix unitaire de référence HT (€)",
        null=True,
        blank=True,
        help_text="À défaut, pour un achat ponctuel ou un investissement, la moyenne des offres reçues.",
        **UNIT,
    )
    offers = models.JSONField(
        "offres reçues (€ HT)",
        default=list,
        blank=True,
        help_text="Prix unitaires de toutes les offres reçues.",
    )
    new_unit_price = models.DecimalField("nouveau prix unitaire HT (€)", **UNIT)
    unit = models.CharField("unité", max_length=60, default="forfait annuel")
    quantity = models.DecimalField(
        "quantité", help_text="Annuelle pour un achat récurrent ; achetée sinon.", **UNIT
    )
    amortisation_years = models.PositiveSmallIntegerField(
        "durée d'amortissement (ans)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    notification_date = models.DateField("date de notification")
    lever = models.CharField("levier", max_length=20, choices=Lever.choices, default=Lever.PRICE)
    stage = models.CharField("stade", max_length=20, choices=GainStage.choices, default=GainStage.IDENTIFIED)
    # The winning offer's price before negotiation, annualised like the new unit price: the part of
    # the gain the negotiation rounds obtained, measured from the recorded rounds.
    price_before_negotiation = models.DecimalField(
        "prix unitaire avant négociation HT (€)", null=True, blank=True, **UNIT
    )
    comment = models.TextField("commentaire", blank=True)
    # Figures computed by the method (recompute()), stored so that totals are sums in SQL.
    reference_amount = models.DecimalField("situation de référence annuelle (€ HT)", **MONEY)
    new_amount = models.DecimalField("nouvelle situation annuelle (€ HT)", **MONEY)
    annual_gain = models.DecimalField("gain annuel (€)", **MONEY)
    year_n = models.PositiveSmallIntegerField("année N", db_index=True)
    gain_year_n = models.DecimalField("gain en année N (€)", **MONEY)
    gain_year_n1 = models.DecimalField("gain en année N+1 (€)", **MONEY)
    explanation = models.TextField("calcul", blank=True)
    # The validation workflow (GAIN in workflow.py), logged in GainTransition.
    status = models.CharField(
        "état", max_length=20, choices=GainStatus.choices, default=GainStatus.PROPOSED, db_index=True
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déclaré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared_at = models.DateTimeField("déclaré le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)

    objects = GainQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "gain achat"
        verbose_name_plural = "gains achats"
        ordering = ["-notification_date", "pk"]
        indexes = [
            models.Index(fields=["year_n", "status"], name="gain_year_status"),
            # Covers the synthesis's sums (GainQuerySet.year_totals grouped by one of these columns): the
            # year's counted gains are read from the index alone, three times faster on 100,000 gains.
            models.Index(
                fields=[
                    *("year_n", "status", "entity", "family", "buyer", "lever", "stage"),
                    *("gain_year_n", "gain_year_n1", "annual_gain"),
                ],
                name="gain_year_totals",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="investment") | Q(amortisation_years__gte=1),
                name="gain_investment_has_amortisation",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("gains:gain_detail", args=[self.pk])

    def figures(self) -> method.GainFigures:
        """The method applied to this record's inputs; raises ValidationError naming the field."""
        return method.compute_for_record(
            kind=self.kind,
            quantity=self.quantity,
            amortisation_years=self.amortisation_years,
            reference_unit_price=self.reference_unit_price,
            # A new recurring need has no price paid: the offers' mean is its reference.
            recurring_from_offers=self.reference_source == ReferenceSource.OFFERS_MEAN,
            offers=[Decimal(str(value)) for value in self.offers or []],
            new_unit_price=self.new_unit_price,
            notification_date=self.notification_date,
        )

    def recompute(self) -> None:
        figures = self.figures()
        self.reference_amount, self.new_amount = figures.reference_amount, figures.new_amount
        self.annual_gain, self.year_n = figures.annual_gain, figures.year_n
        self.gain_year_n, self.gain_year_n1 = figures.gain_year_n, figures.gain_year_n1
        self.explanation = figures.explanation

    def negotiation_figures(self) -> method.GainFigures | None:
        """The part of the gain the negotiation obtained: before-negotiation price against the new one."""
        if self.price_before_negotiation is None:
            return None
        return method.compute_for_record(
            kind=self.kind,
            quantity=self.quantity,
            amortisation_years=self.amortisation_years,
            reference_unit_price=self.price_before_negotiation,
            new_unit_price=self.new_unit_price,
            notification_date=self.notification_date,
        )


class GainTransition(TransitionLog):
    """One step of a gain's validation: who declared, validated or returned it, when, with what comment.

    Append-only, like the other workflow logs: rows are written once, so they carry no history."""

    record_field = "gain"

    gain = models.ForeignKey(Gain, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("action", max_length=20)
    from_status = models.CharField("de", max_length=20, choices=GainStatus.choices)
    to_status = models.CharField("vers", max_length=20, choices=GainStatus.choices)

    class Meta:
        verbose_name = "étape de validation d'un gain"
        verbose_name_plural = "étapes de validation des gains"
        ordering = ["gain", "at", "pk"]
