"""Quality–cost–delay (QCD) evaluation of contracts by the entities that used them.

- A grid (per purchase family, else the territory's default) lists weighted criteria, each on the quality,
  cost or delay axis, scored 1 to 4 against four anchored descriptions.
- A campaign evaluates one contract, or every contract of a family, over a period. At launch it copies
  the grid (later edits of the grid never change its results) and opens one evaluation per contract and
  entity that had activity on it during the period (spend or orders): those entities' referents answer.
- Results are computed from the answers (evaluations/qcd/aggregate.py), never stored.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel, TransitionLog
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Role

SCALE = (1, 2, 3, 4)


class Axis(models.TextChoices):
    QUALITY = "quality", "Qualité"
    COST = "cost", "Coût"
    DELAY = "delay", "Délai"


# What a criterion is, beyond the grid or campaign it belongs to (its form and its copies).
CRITERION_FIELDS = ("axis", "label", "weight", "anchor_1", "anchor_2", "anchor_3", "anchor_4", "position")


class AnchoredCriterion(models.Model):
    """A weighted criterion and the meaning of each of its four marks."""

    axis = models.CharField("axe", max_length=10, choices=Axis.choices)
    label = models.CharField("critère", max_length=200)
    weight = models.PositiveSmallIntegerField(
        "pondération", default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    anchor_1 = models.CharField("1 — insuffisant", max_length=300)
    anchor_2 = models.CharField("2 — à améliorer", max_length=300)
    anchor_3 = models.CharField("3 — satisfaisant", max_length=300)
    anchor_4 = models.CharField("4 — très satisfaisant", max_length=300)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_axis_display()} — {self.label}"

    @property
    def anchors(self) -> list[tuple[int, str]]:
        return [(mark, getattr(self, f"anchor_{mark}")) for mark in SCALE]

    def copied(self) -> dict:
        """The criterion's own values, to copy it into another grid or a campaign."""
        return {name: getattr(self, name) for name in CRITERION_FIELDS}


class EvaluationGrid(Versioned, TimeStampedModel):
    """The criteria of a family's evaluations; the grid without family is the territory's default."""

    family = models.OneToOneField(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_grid",
    )
    alert_below = models.DecimalField(
        "seuil d'alerte",
        max_digits=3,
        decimal_places=2,
        default=Decimal("2.50"),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(4))],
        help_text="Une note globale inférieure ouvre une action d'amélioration à la clôture de la campagne.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "grille d'évaluation"
        verbose_name_plural = "grilles d'évaluation"
        constraints = [
            # One default grid: NULLs are distinct in a unique index, so the family is read as 0 there.
            models.UniqueConstraint(Coalesce("family", Value(0)), name="evaluation_grid_one_default"),
        ]

    def __str__(self) -> str:
        return f"Grille QCD — {self.family}" if self.family_id else "Grille QCD par défaut du territoire"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:grid_detail", args=[self.pk])


class GridCriterion(AnchoredCriterion):
    grid = models.ForeignKey(EvaluationGrid, on_delete=models.CASCADE, related_name="criteria")
    history = HistoricalRecords()

    class Meta(AnchoredCriterion.Meta):
        verbose_name = "critère de grille"


class CampaignStatus(models.TextChoices):
    OPEN = "open", "En cours"
    CLOSED = "closed", "Close"


class CampaignQuerySet(models.QuerySet):
    def for_user(self, user) -> "CampaignQuerySet":
        """Every campaign: its results are shared by the whole territory (the answers of each entity are
        scoped apart, by EvaluationQuerySet.for_user)."""
        return self.all()

    def to_answer_by(self, user) -> "CampaignQuerySet":
        """The open campaigns where this person, as a referent, still has evaluations to fill in."""
        pending = Evaluation.objects.to_answer_by(user).values("campaign_id")
        return self.filter(pk__in=pending)

    def search(self, text: str) -> "CampaignQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(title__icontains=text)
            | models.Q(contract__reference__icontains=text)
            | models.Q(contract__object__icontains=text)
            | models.Q(family__label__icontains=text)
            | models.Q(family__code__icontains=text)
        )


class EvaluationCampaign(Versioned, TimeStampedModel):
    """One evaluation of a contract, or of the contracts of a family, over a period."""

    title = models.CharField("intitulé", max_length=200)
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name="contrat évalué",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_campaigns",
    )
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille évaluée",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_campaigns",
        help_text="Tous les contrats de la famille en vigueur pendant la période.",
    )
    period_start = models.DateField("début de la période évaluée")
    period_end = models.DateField("fin de la période évaluée")
    answer_by = models.DateField("réponses attendues pour le")
    status = models.CharField(
        "état", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    alert_below = models.DecimalField("seuil d'alerte", max_digits=3, decimal_places=2)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lancée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_on = models.DateField("close le", null=True, blank=True)
    # The actions opened at closing for a contract scored below the alert threshold (one per contract).
    actions = models.ManyToManyField(
        "steering.ImprovementAction", verbose_name="actions d'amélioration", blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "campagne d'évaluation"
        verbose_name_plural = "campagnes d'évaluation"
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(contract__isnull=False) & models.Q(family__isnull=True))
                | (models.Q(contract__isnull=True) & models.Q(family__isnull=False)),
                name="evaluation_campaign_contract_xor_family",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="evaluation_campaign_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluations:campaign_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return f"du {self.period_start:%d/%m/%Y} au {self.period_end:%d/%m/%Y}"


class CampaignCriterion(AnchoredCriterion):
    """The grid's criterion as it was when the campaign was launched."""

    campaign = models.ForeignKey(EvaluationCampaign, on_delete=models.CASCADE, related_name="criteria")

    class Meta(AnchoredCriterion.Meta):
        verbose_name = "critère de campagne"


class CampaignTransition(TransitionLog):
    """One move of a campaign (closed, reopened): append-only, like the other logs."""

    record_field = "campaign"

    campaign = models.ForeignKey(EvaluationCampaign, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField("action", max_length=20)
    from_status = models.CharField("de", max_length=10, choices=CampaignStatus.choices)
    to_status = models.CharField("vers", max_length=10, choices=CampaignStatus.choices)

    class Meta:
        verbose_name = "étape d'une campagne d'évaluation"
        verbose_name_plural = "étapes des campagnes d'évaluation"
        ordering = ["campaign", "at", "pk"]


class EvaluationStatus(models.TextChoices):
    PENDING = "pending", "À remplir"
    ANSWERED = "answered", "Répondue"
    NOT_CONCERNED = "not_concerned", "Non concerné"


class EvaluationQuerySet(models.QuerySet):
    def for_user(self, user) -> "EvaluationQuerySet":
        """The team reads every answer; an entity role its own entities' answers."""
        scope = access_for(user).entity_ids
        return self if scope is None else self.filter(entity_id__in=scope)

    def to_answer_by(self, user) -> "EvaluationQuerySet":
        """The pending evaluations of open campaigns that this person answers as a referent."""
        entities = [e for e, roles in access_for(user).roles_by_entity.items() if Role.REFERENT in roles]
        return self.filter(
            entity_id__in=entities, status=EvaluationStatus.PENDING, campaign__status=CampaignStatus.OPEN
        )

    def of_supplier(self, supplier) -> "EvaluationQuerySet":
        return self.filter(contract__holder_links__supplier=supplier).distinct()

    def for_results(self) -> "EvaluationQuerySet":
        """What the aggregation reads (campaign, criteria, contract, holders, scores) in a fixed number of
        queries."""
        return self.select_related("campaign", "contract", "contract__family", "entity").prefetch_related(
            "scores", "campaign__criteria", "contract__holder_links__supplier"
        )


class Evaluation(Versioned, TimeStampedModel):
    """One entity's evaluation of one contract in a campaign, answered by one of its referents."""

    campaign = models.ForeignKey(EvaluationCampaign, on_delete=models.CASCADE, related_name="evaluations")
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.PROTECT, related_name="evaluations"
    )
    entity = models.ForeignKey(
        "organisations.Entity", verbose_name="entité", on_delete=models.PROTECT, related_name="evaluations"
    )
    # The activity that made the entity an evaluator: its spend on the contract over the period (None when
    # the activity is orders only: the consumption is then unknown) and its orders (subsequent contracts).
    consumption = models.DecimalField(
        "consommation sur la période (€ HT)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    orders = models.PositiveIntegerField("commandes sur la période", default=0)
    status = models.CharField(
        "état", max_length=15, choices=EvaluationStatus.choices, default=EvaluationStatus.PENDING
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="répondu par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)
    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation"
        ordering = ["campaign", "contract__reference", "entity__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "contract", "entity"], name="evaluation_unique"),
        ]

    def __str__(self) -> str:
        return f"Évaluation de {self.contract.reference} par {self.entity}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:evaluation_answer", args=[self.pk])


class Score(models.Model):
    """One mark given to one criterion (its history is the evaluation's: scores change only with it)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CampaignCriterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        "note", validators=[MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[-1])]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "note"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=4), name="score_in_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.label} : {self.value}"


class SupplierComment(TimeStampedModel):
    """What the supplier answered about its evaluation once it was sent to it (recorded by the team)."""

    campaign = models.ForeignKey(
        EvaluationCampaign, on_delete=models.CASCADE, related_name="supplier_comments"
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", verbose_name="fournisseur", on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField("évaluation envoyée le", null=True, blank=True)
    received_on = models.DateField("réponse reçue le", null=True, blank=True)
    comment = models.TextField("observations du fournisseur", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "observations du fournisseur"
        verbose_name_plural = "observations des fournisseurs"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "supplier"], name="supplier_comment_unique"),
        ]

    def __str__(self) -> str:
        return f"Observations de {self.supplier} ({self.campaign})"
