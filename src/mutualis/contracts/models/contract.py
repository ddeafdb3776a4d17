"""A contract or lot of the territory's registry, modelled on the DECP 2.0.3 `marche` record."""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords

from mutualis.catalogue.models import Nature, nature_of_cpv
from mutualis.core.fulltext import FullTextIndex
from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel
from mutualis.core.ordering import DateOrLast
from mutualis.legal.publication import publication_windows
from mutualis.organisations.access import access_for

from .. import enums

# DECP `id`: 1 to 16 characters, none of & " \ < space , ; (DOMAIN.md §4.4).
validate_reference = RegexValidator(
    r'^[^&"\\<\s,;]{1,16}$',
    'La référence compte 1 à 16 caractères, sans espace ni & " \\ < , ; (format des données essentielles).',
)
SHARE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]
FRAMEWORK = enums.Technique.FRAMEWORK.value
# The registry's default order: the next decision due first (the ones already late on top), then the end
# date, contracts without either last; the id makes it total, so that a page can resume after a row.
REGISTRY_ORDER = (DateOrLast("decision_due_on"), DateOrLast("end_date"), "reference", "id")


@deconstructible
class ChoiceListValidator:
    """A non-empty list of enumeration values; a "none" value ("Sans objet", "Pas de …") stands alone."""

    def __init__(self, allowed, label: str):
        self.allowed = list(allowed)
        self.label = label

    def __call__(self, values) -> None:
        if not isinstance(values, list) or not values:
            raise ValidationError(f"{self.label} : choisissez au moins une valeur.")
        unknown = [v for v in values if v not in self.allowed]
        if unknown:
            raise ValidationError(f"{self.label} : valeur(s) inconnue(s) {', '.join(map(str, unknown))}.")
        none_values = [v for v in values if v.startswith(("Sans objet", "Pas de"))]
        if none_values and len(values) > 1:
            raise ValidationError(f"{self.label} : « {none_values[0]} » exclut les autres valeurs.")

    def __eq__(self, other) -> bool:
        return isinstance(other, ChoiceListValidator) and (self.allowed, self.label) == (
            other.allowed,
            other.label,
        )


def _choices_validator(enum, label: str) -> ChoiceListValidator:
    return ChoiceListValidator(enum.values, label)


class ContractQuerySet(models.QuerySet):
    def usable_by_entities(self, entity_ids) -> "ContractQuerySet":
        """Contracts bought by these entities or made available to them."""
        through = self.model.available_to.through
        available = through.objects.filter(contract_id=OuterRef("pk"), entity_id__in=entity_ids)
        return self.filter(Q(buyer_id__in=entity_ids) | Exists(available))

    def for_user(self, user) -> "ContractQuerySet":
        scope = access_for(user).entity_ids
        return self if scope is None else self.usable_by_entities(scope)

    def in_registry_order(self) -> "ContractQuerySet":
        return self.order_by(*REGISTRY_ORDER)

    def notified(self) -> "ContractQuerySet":
        return self.filter(notification_date__isnull=False)

    def notified_since(self, day: date) -> "ContractQuerySet":
        """Contracts notified on or after this day: the new ones."""
        return self.filter(notification_date__gte=day)

    def in_force(self, today: date | None = None) -> "ContractQuerySet":
        today = today or timezone.localdate()
        return self.notified().filter(end_date__gte=today).exclude(terminated_on__lt=today)

    def expiring_within(self, days: int, today: date | None = None) -> "ContractQuerySet":
        today = today or timezone.localdate()
        return self.in_force(today).filter(end_date__lte=today + timezone.timedelta(days=days))

    def decision_overdue(self, today: date | None = None) -> "ContractQuerySet":
        today = today or timezone.localdate()
        return self.in_force(today).filter(decision_due_on__lt=today)

    def publication_late(self, today: date | None = None) -> "ContractQuerySet":
        """Contracts to publish in DECP whose essential data are still unpublished after the deadline."""
        today = today or timezone.localdate()
        late = Q(pk__in=[])
        for period in publication_windows():
            window = Q(
                notification_date__gte=period.valid_from,
                notification_date__lt=today - relativedelta(months=period.deadline_months),
                amount__gte=period.minimum_amount,
            )
            late |= window & Q(notification_date__lt=period.until) if period.until else window
        return self.notified().filter(late, data_published_on__isnull=True)

    def with_amendment_totals(self) -> "ContractQuerySet":
        return self.annotate(
            amendments_total=models.Sum("amendments__amount_change", default=Decimal(0)),
            amendment_count=models.Count("amendments"),
        )

    def search(self, text: str) -> "ContractQuerySet":
        """Words of the object or reference (full text, in French), a holder's name or identifier, or the
        start of a CPV code."""
        text = (text or "").strip()
        if not text:
            return self
        from mutualis.suppliers.models import Supplier

        # The directory is small: its matching suppliers first, then their contracts by the holder index.
        holders = Supplier.objects.filter(
            Q(name__icontains=text) | Q(identifier__startswith=text.replace(" ", ""))
        ).values("pk")
        found = Q(
            pk__in=self.model.holders.through.objects.filter(supplier__in=holders).values("contract_id")
        )
        if text.isascii() and text.isdigit():
            # Only digits can start a CPV code: for words, this term made the database read every row.
            found |= Q(cpv__code__startswith=text)
        words = SEARCH_INDEX.matches(text)
        return self.filter(found | words if words is not None else found)


class Contract(Versioned, TimeStampedModel):
    """One contract or lot: what the buyer signed, with whom, for how much and how long."""

    reference = models.CharField("référence", max_length=16, validators=[validate_reference])
    buyer = models.ForeignKey(
        "organisations.Entity",
        verbose_name="acheteur",
        on_delete=models.PROTECT,
        related_name="contracts_bought",
        help_text="L'entité qui a passé le contrat ; pour un groupement, le coordonnateur.",
    )
    purchasing_group = models.ForeignKey(
        "organisations.PurchasingGroup",
        verbose_name="groupement de commandes",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    object = models.CharField("objet", max_length=1000)
    nature = models.CharField("nature", max_length=40, choices=enums.ContractNature.choices, default="Marché")
    techniques = models.JSONField(
        "techniques d'achat", default=list, validators=[_choices_validator(enums.Technique, "Techniques")]
    )
    execution_modes = models.JSONField(
        "modalités d'exécution",
        default=list,
        validators=[_choices_validator(enums.ExecutionMode, "Modalités")],
    )
    framework = models.ForeignKey(
        "self",
        verbose_name="accord-cadre d'origine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsequent_contracts",
        help_text="Pour un marché subséquent ou un bon de commande passé sur un accord-cadre.",
    )
    cpv = models.ForeignKey("catalogue.CpvCode", verbose_name="code CPV principal", on_delete=models.PROTECT)
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    procedure = models.CharField("procédure", max_length=70, choices=enums.Procedure.choices)
    ccag = models.CharField("CCAG", max_length=60, choices=enums.Ccag.choices, default="Pas de CCAG")
    offers_received = models.PositiveIntegerField(
        "offres reçues", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    price_types = models.JSONField(
        "types de prix", default=list, validators=[_choices_validator(enums.PriceType, "Types de prix")]
    )
    price_form = models.CharField("forme du prix", max_length=12, choices=enums.PriceForm.choices)
    amount = models.DecimalField(
        "montant HT (€)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(1))],
        help_text="Montant initial ; pour un accord-cadre, son maximum sur toute la durée (obligatoire).",
    )
    minimum_amount = models.DecimalField(
        "montant minimum HT (€)", max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    notification_date = models.DateField("date de notification", null=True, blank=True)
    start_date = models.DateField(
        "début d'exécution", null=True, blank=True, help_text="À défaut, la date de notification."
    )
    firm_duration_months = models.PositiveSmallIntegerField(
        "durée ferme (mois)", validators=[MinValueValidator(1)]
    )
    renewal_count = models.PositiveSmallIntegerField("nombre de reconductions", default=0)
    renewal_period_months = models.PositiveSmallIntegerField(
        "durée d'une reconduction (mois)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    renewal_notice_months = models.PositiveSmallIntegerField("préavis de non-reconduction (mois)", default=0)
    grouping_kind = models.CharField(
        "groupement d'opérateurs",
        max_length=20,
        choices=enums.GroupingKind.choices,
        default="Pas de groupement",
    )
    subcontracting_declared = models.BooleanField("sous-traitance déclarée", default=False)
    social_considerations = models.JSONField(
        "considérations sociales",
        default=list,
        validators=[_choices_validator(enums.SocialConsideration, "Considérations sociales")],
    )
    environmental_considerations = models.JSONField(
        "considérations environnementales",
        default=list,
        validators=[_choices_validator(enums.EnvironmentalConsideration, "Considérations environnementales")],
    )
    is_innovative = models.BooleanField("marché innovant", default=False)
    advance_paid = models.BooleanField("avance versée", default=False)
    advance_rate = models.DecimalField(
        "taux d'avance", max_digits=5, decimal_places=4, null=True, blank=True, validators=SHARE_VALIDATORS,
        help_text="0,10 pour 10 %.",
    )  # fmt: skip
    origin_eu_share = models.DecimalField(
        "part de produits de l'UE",
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=SHARE_VALIDATORS,
    )
    origin_france_share = models.DecimalField(
        "part de produits français", max_digits=5, decimal_places=4, null=True, blank=True,
        validators=SHARE_VALIDATORS,
    )  # fmt: skip
    execution_place_code = models.CharField("lieu d'exécution (code)", max_length=10, blank=True)
    execution_place_type = models.CharField(
        "type de code du lieu", max_length=20, choices=enums.PlaceCodeType.choices, default="Code commune"
    )
    data_published_on = models.DateField("première publication des données", null=True, blank=True)
    terminated_on = models.DateField("résilié le", null=True, blank=True)
    manager = models.ForeignKey(
        "organisations.User",
        verbose_name="acheteur en charge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_contracts",
    )
    available_to = models.ManyToManyField(
        "organisations.Entity",
        verbose_name="entités utilisatrices",
        blank=True,
        related_name="usable_contracts",
        help_text="Les entités qui peuvent commander sur ce contrat, en plus de l'acheteur.",
    )
    holders = models.ManyToManyField(
        "suppliers.Supplier", verbose_name="titulaires", through="ContractHolder", related_name="contracts"
    )
    notes = models.TextField("informations pour commander", blank=True)
    # Kept in step by the services so lists filter and sort in SQL.
    is_framework = models.BooleanField("accord-cadre", default=False, editable=False)
    end_date = models.DateField("fin prévue", null=True, blank=True, editable=False, db_index=True)
    decision_due_on = models.DateField(
        "décision attendue le", null=True, blank=True, editable=False, db_index=True
    )
    decision_kind = models.CharField("décision attendue", max_length=10, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[available_to])

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "contrat"
        ordering = ["-notification_date", "reference"]
        # Steering reads a year of notifications (indicators, trends): a range on this column.
        indexes = [
            models.Index(fields=["notification_date"], name="contract_notified_idx"),
            # Home pages count the contracts ending within the horizon and the decisions overdue.
            models.Index(fields=["end_date"], name="contract_end_idx"),
            # The registry list's default order (REGISTRY_ORDER, its very expressions): a page reads the
            # index in order, and the next one seeks in it, instead of sorting the whole registry.
            models.Index(*REGISTRY_ORDER, name="contract_registry_key_idx"),
            # The registry filtered by family and state (in force, ending, overdue): the count and the
            # page read the family's contracts by end date, not all of the family's.
            models.Index(fields=["family", "end_date"], name="contract_family_end_idx"),
            # The few awaiting their DECP publication: the daily alert and steering read them by date;
            # with the amount (the publication threshold), the late ones are counted from the index alone.
            models.Index(
                fields=["notification_date", "amount"],
                condition=Q(data_published_on__isnull=True),
                name="contract_unpublished_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "reference"], name="contract_unique_reference_per_buyer"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(minimum_amount__isnull=True) | Q(minimum_amount__lte=models.F("amount")),
                name="contract_minimum_not_above_maximum",
            ),
            models.CheckConstraint(
                condition=Q(renewal_count=0) | Q(renewal_period_months__gte=1),
                name="contract_renewals_have_a_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.object[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:contract_detail", args=[self.pk])

    @property
    def uid(self) -> str:
        """National DECP key: buyer SIRET + reference."""
        return f"{self.buyer.siret}{self.reference}"

    @property
    def duration_months(self) -> int:
        """DECP dureeMois: initial total duration, renewals included."""
        return self.firm_duration_months + self.renewal_count * (self.renewal_period_months or 0)

    @property
    def effective_start(self) -> date | None:
        return self.start_date or self.notification_date

    @property
    def is_works(self) -> bool:
        return nature_of_cpv(self.cpv_id) == Nature.WORKS if self.cpv_id else False

    def clean(self) -> None:
        errors = {}
        if self.minimum_amount is not None and self.amount and self.minimum_amount > self.amount:
            errors["minimum_amount"] = "Le minimum ne peut dépasser le montant maximum."
        if self.renewal_count and not self.renewal_period_months:
            errors["renewal_period_months"] = "Indiquez la durée d'une reconduction."
        if self.framework_id and self.framework_id == self.pk:
            errors["framework"] = "Un contrat ne peut être son propre accord-cadre."
        if self.framework_id and not self.framework.is_framework:
            errors["framework"] = "Le contrat d'origine choisi n'est pas un accord-cadre."
        if self.start_date and self.notification_date and self.start_date < self.notification_date:
            errors["start_date"] = "L'exécution ne peut commencer avant la notification."
        shares = (self.origin_eu_share, self.origin_france_share)
        if None not in shares and shares[1] > shares[0]:
            errors["origin_france_share"] = (
                "La part française, comprise dans la part UE, ne peut la dépasser."
            )
        if self.advance_rate is not None and not self.advance_paid:
            errors["advance_rate"] = "Un taux d'avance suppose qu'une avance soit versée."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.is_framework = FRAMEWORK in (self.techniques or [])
        super().save(*args, **kwargs)


# The registry's words, searchable in French (core/fulltext): the object ranks above the reference.
SEARCH_INDEX = FullTextIndex("contracts.Contract", {"object": "A", "reference": "B"})
