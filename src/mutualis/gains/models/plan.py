"""The territory's purchasing action plan (PAAT) and the establishments' own plans (PAA): actions
with their expected gain, computed by the same method as the gains that realise them."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel
from mutualis.organisations.access import access_for
from mutualis.procurements.models.project import validate_quarter

from .. import method
from ..method import GainKind
from .gain import MONEY, UNIT, Lever


class PlanOrigin(models.TextChoices):
    TERRITORY = "territory", "Plan d'actions achats de territoire (PAAT)"
    ESTABLISHMENT = "establishment", "Plan d'actions de l'établissement (PAA)"


class BudgetKind(models.TextChoices):
    OPERATING = "operating", "Exploitation"
    INVESTMENT = "investment", "Investissement"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    POSTPONED = "postponed", "Reportée"
    ABANDONED = "abandoned", "Abandonnée"


def quarter_start(quarter: str) -> date:
    """First day of a « 2027-T3 » quarter: the date the expected gain is spread from."""
    year, number = quarter.split("-T")
    return date(int(year), 3 * int(number) - 2, 1)


class PlanActionQuerySet(models.QuerySet):
    def for_user(self, user) -> "PlanActionQuerySet":
        scope = access_for(user).entity_ids
        if scope is None:
            return self
        return self.filter(entities__in=scope).distinct()

    def search(self, text: str) -> "PlanActionQuerySet":
        text = (text or "").strip()
        return self.filter(Q(title__icontains=text) | Q(description__icontains=text)) if text else self

    def of_year(self, year: int) -> "PlanActionQuerySet":
        return self.filter(year=year)


class PlanAction(Versioned, TimeStampedModel):
    """One purchasing action of the plan: what, for whom, by whom, when, and the gain expected."""

    year = models.PositiveSmallIntegerField("année du plan", db_index=True)
    origin = models.CharField("plan", max_length=20, choices=PlanOrigin.choices, default=PlanOrigin.TERRITORY)
    title = models.CharField("objet de l'action", max_length=300)
    description = models.TextField("description", blank=True)
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_actions",
    )
    entities = models.ManyToManyField(
        "organisations.Entity", verbose_name="établissements concernés", related_name="plan_actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pilote",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    planned_quarter = models.CharField(
        "trimestre prévu", max_length=7, validators=[validate_quarter], help_text="Ex. 2027-T1."
    )
    status = models.CharField(
        "statut", max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    lever = models.CharField("levier", max_length=20, choices=Lever.choices, default=Lever.PRICE)
    budget = models.CharField(
        "budget", max_length=20, choices=BudgetKind.choices, default=BudgetKind.OPERATING
    )
    # The expected gain's inputs, for the same method as the gains.
    kind = models.CharField(
        "nature du gain", max_length=20, choices=GainKind.choices, default=GainKind.RECURRING
    )
    reference_unit_price = models.DecimalField("prix unitaire de référence HT (€)", **UNIT)
    new_unit_price = models.DecimalField("prix unitaire visé HT (€)", **UNIT)
    quantity = models.DecimalField("quantité", help_text="Annuelle pour un achat récurrent.", **UNIT)
    amortisation_years = models.PositiveSmallIntegerField(
        "durée d'amortissement (ans)", null=True, blank=True
    )
    projects = models.ManyToManyField(
        "procurements.Project", verbose_name="projets d'achat", blank=True, related_name="plan_actions"
    )
    # Expected figures (recompute()), spread as if notified on the first day of the planned quarter.
    expected_annual_gain = models.DecimalField("gain annuel attendu (€)", **MONEY)
    expected_gain_year_n = models.DecimalField("gain attendu en année N (€)", **MONEY)
    expected_gain_year_n1 = models.DecimalField("gain attendu en année N+1 (€)", **MONEY)

    objects = PlanActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "action du plan d'actions achats"
        verbose_name_plural = "actions du plan d'actions achats"
        ordering = ["year", "planned_quarter", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan:action_detail", args=[self.pk])

    def figures(self) -> method.GainFigures:
        """The expected gain, as if notified on the first day of the planned quarter."""
        return method.compute_for_record(
            kind=GainKind.INVESTMENT if self.budget == BudgetKind.INVESTMENT else self.kind,
            quantity=self.quantity,
            amortisation_years=self.amortisation_years,
            reference_unit_price=self.reference_unit_price,
            new_unit_price=self.new_unit_price,
            notification_date=quarter_start(self.planned_quarter),
        )

    def recompute(self) -> None:
        figures = self.figures()
        self.expected_annual_gain = figures.annual_gain
        self.expected_gain_year_n, self.expected_gain_year_n1 = figures.gain_year_n, figures.gain_year_n1

    @property
    def realised_gain(self) -> Decimal:
        """The annual gain of the declared or validated gains that realise the action."""
        return sum(
            (g.annual_gain for g in self.gains.all() if g.status in ("declared", "validated")), Decimal(0)
        )
