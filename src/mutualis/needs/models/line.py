"""Need lines declared by the entities, and the log of their workflow (draft → submitted → validated
or returned with a comment)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Sum
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel
from mutualis.organisations.access import access_for
from mutualis.organisations.models import buyer_key


class NeedStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PROPOSED = "proposed", "Proposé au référent de l'établissement"
    SUBMITTED = "submitted", "Transmis à la cellule achats"
    VALIDATED = "validated", "Validé"
    RETURNED = "returned", "Renvoyé pour correction"


class Recurrence(models.TextChoices):
    RECURRING = "recurring", "Récurrent (chaque année)"
    ONE_OFF = "one_off", "Ponctuel"


class NeedLineQuerySet(models.QuerySet):
    # Lines that count in the consolidation: those the purchasing team validated.
    COUNTED = models.Q(status=NeedStatus.VALIDATED)

    def for_user(self, user) -> "NeedLineQuerySet":
        scope = access_for(user).entity_ids
        return self if scope is None else self.filter(entity_id__in=scope)

    def counted(self) -> "NeedLineQuerySet":
        """Lines that count in the consolidation (COUNTED)."""
        return self.filter(self.COUNTED)

    def in_group(self, group) -> "NeedLineQuerySet":
        """Lines its members (coordinator included) declared in a groupement's families (all families when
        its convention names none, as consolidate(group=...) reads it)."""
        members = [group.coordinator_id, *group.adhesions.values_list("entity_id", flat=True)]
        lines = self.filter(entity_id__in=members)
        if group.scope_families.exists():
            lines = lines.filter(family__in=group.scope_families.all())
        return lines

    def per_entity(self) -> dict[int, dict]:
        """Entity id → {"amount": estimated HT total, "lines": number of lines}."""
        rows = self.order_by().values("entity_id").annotate(amount=Sum("estimated_amount"), lines=Count("pk"))
        return {row["entity_id"]: row for row in rows}

    def with_buyer(self) -> "NeedLineQuerySet":
        """Annotates `legal_buyer`: the id of the legal buyer of the line's entity outside any groupement."""
        return self.annotate(legal_buyer=buyer_key("entity__"))

    def declared_by(self, user) -> "NeedLineQuerySet":
        """Lines this person wrote: the line carries no author, its first history row names him."""
        created = self.model.history.model.objects.filter(
            id=OuterRef("pk"), history_type="+", history_user_id=getattr(user, "pk", None)
        )
        return self.filter(Exists(created))

    def entity_to_do(self, entity_ids) -> list[dict]:
        """What waits on the entity side of open campaigns (lines proposed by a service, drafts, lines
        returned for correction), counted per campaign, entity and status in one query."""
        return list(
            self.filter(
                campaign__is_open=True,
                entity_id__in=entity_ids,
                status__in=[NeedStatus.PROPOSED, NeedStatus.DRAFT, NeedStatus.RETURNED],
            )
            .values(
                "campaign_id", "campaign__title", "campaign__deadline", "entity_id", "entity__name", "status"
            )
            .annotate(count=models.Count("pk"))
            .order_by("campaign__deadline", "campaign_id", "entity__name", "entity_id", "status")
        )

    def search(self, text: str) -> "NeedLineQuerySet":
        text = (text or "").strip()
        return self.filter(description__icontains=text) if text else self


class NeedLine(Versioned, TimeStampedModel):
    """One need of one entity in one family: what, how much, when, for how much."""

    campaign = models.ForeignKey(
        "needs.Campaign", verbose_name="campagne", on_delete=models.CASCADE, related_name="lines"
    )
    entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="établissement",
        on_delete=models.PROTECT,
        related_name="need_lines",
    )
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        on_delete=models.PROTECT,
        related_name="need_lines",
    )
    description = models.CharField("besoin", max_length=500)
    quantity = models.DecimalField(
        "quantité",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    unit = models.CharField("unité", max_length=40, blank=True)
    estimated_amount = models.DecimalField(
        "montant estimé HT (€)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Sur 12 mois pour un besoin récurrent ; le total pour un besoin ponctuel.",
    )
    recurrence = models.CharField(
        "récurrence", max_length=10, choices=Recurrence.choices, default=Recurrence.RECURRING
    )
    wished_start = models.DateField("début souhaité", null=True, blank=True)
    replaced_contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name="contrat actuel remplacé",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacing_needs",
    )
    status = models.CharField(
        "état", max_length=10, choices=NeedStatus.choices, default=NeedStatus.DRAFT, editable=False
    )
    history = HistoricalRecords()

    objects = NeedLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne de besoin"
        verbose_name_plural = "lignes de besoin"
        ordering = ["campaign", "family__code", "entity__name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_amount__gt=0), name="need_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} — {self.family.code} — {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("needs:line_detail", args=[self.pk])


class NeedTransition(models.Model):
    """Every change of state of a need line: who, when, from what to what, and why."""

    line = models.ForeignKey(NeedLine, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=NeedStatus.choices)
    to_status = models.CharField(max_length=10, choices=NeedStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = "étape de validation"
        ordering = ["line", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
