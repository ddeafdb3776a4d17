"""Incidents during a contract's execution: what went wrong, for which member entity, with which holder,
how serious, the penalties applied, and the follow-up (declared → handled → closed, each move logged)."""

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


class IncidentKind(models.TextChoices):
    LATE_DELIVERY = "late_delivery", "Retard de livraison"
    NON_CONFORMITY = "non_conformity", "Non-conformité"
    SERVICE_FAILURE = "service_failure", "Défaut de service / prestation non exécutée"
    INVOICE_DISPUTE = "invoice_dispute", "Litige de facturation"
    OTHER = "other", "Autre"


class IncidentSeverity(models.TextChoices):
    MINOR = "minor", "Mineure"
    MAJOR = "major", "Majeure"
    CRITICAL = "critical", "Critique"


class IncidentStatus(models.TextChoices):
    DECLARED = "declared", "Déclaré"
    HANDLING = "handling", "En traitement"
    CLOSED = "closed", "Clos"


OPEN_STATUSES = (IncidentStatus.DECLARED, IncidentStatus.HANDLING)


class IncidentQuerySet(models.QuerySet):
    def for_user(self, user) -> "IncidentQuerySet":
        """The team sees every incident; an entity role those its own entities suffered."""
        scope = access_for(user).entity_ids
        return self if scope is None else self.filter(entity_id__in=scope)

    def search(self, text: str) -> "IncidentQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(description__icontains=text)
            | Q(contract__reference__icontains=text)
            | Q(contract__object__icontains=text)
            | Q(supplier__name__icontains=text)
            | Q(entity__name__icontains=text)
        )

    def open(self) -> "IncidentQuerySet":
        """Declared or being handled: not closed."""
        return self.filter(status__in=OPEN_STATUSES)

    def of_supplier(self, supplier) -> "IncidentQuerySet":
        """The incidents where this supplier was the holder in cause, most recent first (with their entity,
        which the incidents table shows). Chain after for_user(user) on a page."""
        return self.filter(supplier=supplier).select_related("entity").order_by("-occurred_on", "-pk")

    def of_contract(self, contract) -> "IncidentQuerySet":
        """The incidents of this contract, most recent first (with their entity). Chain after
        for_user(user) on a page: an entity role reads its own entities' incidents only."""
        return self.filter(contract=contract).select_related("entity").order_by("-occurred_on", "-pk")

    def between(self, start=None, end=None) -> "IncidentQuerySet":
        """Incidents that occurred in a period (both ends included, either may be open): what a QCD
        evaluation of that period will show beside its grid."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(occurred_on__gte=start)
        if end is not None:
            queryset = queryset.filter(occurred_on__lte=end)
        return queryset


class Incident(Versioned, TimeStampedModel):
    """One incident suffered by a member entity on a contract, attributed to one of its holders."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.PROTECT, related_name="incidents"
    )
    entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="entité concernée",
        on_delete=models.PROTECT,
        related_name="incidents",
        help_text="L'entité membre qui a subi l'incident.",
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        verbose_name="titulaire en cause",
        on_delete=models.PROTECT,
        related_name="incidents",
        help_text="L'un des titulaires du contrat ; par défaut, son titulaire unique.",
    )
    kind = models.CharField("nature", max_length=20, choices=IncidentKind.choices)
    occurred_on = models.DateField("survenu le")
    description = models.TextField(
        "description", help_text="Ce qui s'est passé, les livraisons ou pièces en cause."
    )
    severity = models.CharField("gravité", max_length=10, choices=IncidentSeverity.choices)
    # Penalties the entity applied to the holder under the contract. They are NOT a purchasing gain
    # (PHARE counts savings on the price of what is bought, not sanctions): the gains module never
    # reads this column, and nothing may add it to a gain or a saving.
    penalty_amount = models.DecimalField(
        "pénalités appliquées (€ HT)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), message="Les pénalités ne peuvent pas être négatives.")],
        help_text="Montant des pénalités appliquées au titulaire, s'il y en a. "
        "Ce n'est jamais un gain achat : il n'entre pas dans le calcul des gains.",
    )
    status = models.CharField(
        "état", max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.DECLARED
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pris en charge par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_on = models.DateField("clos le", null=True, blank=True)
    outcome = models.TextField("suite donnée", blank=True, help_text="Ce qui a été fait, écrit à la clôture.")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déclaré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = "incident d'exécution"
        verbose_name_plural = "incidents d'exécution"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["supplier", "occurred_on"], name="incident_supplier_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(penalty_amount__isnull=True) | Q(penalty_amount__gte=0),
                name="incident_penalty_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Incident n° {self.pk} : {self.get_kind_display().lower()} du {self.occurred_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:incident_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status == IncidentStatus.CLOSED


class IncidentTransition(TransitionLog):
    """One move of an incident (declared, taken in charge, closed, reopened): append-only."""

    record_field = "incident"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField("action", max_length=20)
    from_status = models.CharField("de", max_length=10, choices=IncidentStatus.choices)
    to_status = models.CharField("vers", max_length=10, choices=IncidentStatus.choices)

    class Meta:
        verbose_name = "étape d'un incident"
        verbose_name_plural = "étapes des incidents"
        ordering = ["incident", "at", "pk"]
