"""Joint purchasing groups ("groupements de commandes", CCP L2113-6 to L2113-8): the group, what its
convention constitutive says, and each member's adhesion over time (decision, signature, departure)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel

from .access import access_for


class ConventionDuration(models.TextChoices):
    FIXED = "fixed", "Durée déterminée (dates de début et de fin)"
    CONTRACTS = "contracts", "Jusqu'au terme des marchés passés par le groupement"


class GroupActor(models.TextChoices):
    """Who acts for an operation the convention entrusts (L2113-7)."""

    COORDINATOR = "coordinator", "Le coordonnateur, pour tous les membres"
    EACH_MEMBER = "each_member", "Chaque membre, pour sa part"


class CostSharing(models.TextChoices):
    NONE = "none", "Aucun partage (frais à la charge du coordonnateur)"
    EQUAL = "equal", "À parts égales"
    PRO_RATA = "pro_rata", "Au prorata des montants de chaque membre"
    OTHER = "other", "Autre (préciser)"


class AdhesionStatus(models.TextChoices):
    SIGNED = "signed", "signée"
    PENDING = "pending", "en attente de signature"
    LEFT = "left", "sortie"


class PurchasingGroupQuerySet(models.QuerySet):
    def for_user(self, user) -> "PurchasingGroupQuerySet":
        """Groups the user may see: all for the team, those their entities belong to otherwise."""
        scope = access_for(user).entity_ids
        if scope is None:
            return self
        return self.filter(models.Q(coordinator_id__in=scope) | models.Q(members__in=scope)).distinct()

    def search(self, text: str) -> "PurchasingGroupQuerySet":
        text = (text or "").strip()
        return self.filter(name__icontains=text) if text else self

    def with_signed_count(self, on: date | None = None) -> "PurchasingGroupQuerySet":
        """`signed_count`: members (coordinator excluded) whose adhesion is signed on `on` (today)."""
        on = on or timezone.localdate()
        return self.annotate(
            signed_count=models.Count("adhesions", filter=_signed_q(on, prefix="adhesions__"), distinct=True)
        )


class PurchasingGroup(Versioned, TimeStampedModel):
    """Members that run procedures together through a coordinator, under a signed convention."""

    name = models.CharField("nom", max_length=200, unique=True)
    coordinator = models.ForeignKey(
        "organisations.Entity",
        verbose_name="coordonnateur",
        on_delete=models.PROTECT,
        related_name="coordinated_groups",
    )
    # Each member's adhesion (decision, signature, departure) is a GroupMembership row, with its history.
    members = models.ManyToManyField(
        "organisations.Entity",
        verbose_name="membres",
        related_name="purchasing_groups",
        blank=True,
        through="organisations.GroupMembership",
    )
    convention_date = models.DateField("date de la convention constitutive", null=True, blank=True)
    scope_families = models.ManyToManyField(
        "catalogue.PurchaseFamily",
        verbose_name="familles couvertes",
        blank=True,
        related_name="purchasing_groups",
    )
    scope = models.TextField("objet de la convention", blank=True)
    is_active = models.BooleanField("actif", default=True)
    # What the convention constitutive says (L2113-7): duration, who acts for whom, costs.
    duration = models.CharField(
        "durée de la convention",
        max_length=20,
        choices=ConventionDuration.choices,
        default=ConventionDuration.CONTRACTS,
    )
    starts_on = models.DateField("début de la convention", null=True, blank=True)
    ends_on = models.DateField(
        "fin de la convention", null=True, blank=True, help_text="Pour une durée déterminée seulement."
    )
    signature_by = models.CharField(
        "signature et notification des marchés",
        max_length=20,
        choices=GroupActor.choices,
        default=GroupActor.COORDINATOR,
    )
    execution_by = models.CharField(
        "exécution des marchés",
        max_length=20,
        choices=GroupActor.choices,
        default=GroupActor.EACH_MEMBER,
    )
    cost_sharing = models.CharField(
        "partage des frais de fonctionnement",
        max_length=20,
        choices=CostSharing.choices,
        default=CostSharing.NONE,
    )
    cost_sharing_details = models.TextField(
        "modalités du partage des frais", blank=True, help_text="Obligatoire si le partage est « Autre »."
    )
    coordinator_decision_reference = models.CharField(
        "référence de la décision du coordonnateur",
        max_length=200,
        blank=True,
        help_text="Délibération ou décision qui approuve la convention.",
    )
    coordinator_decision_date = models.DateField(
        "date de la décision du coordonnateur", null=True, blank=True
    )
    history = HistoricalRecords(m2m_fields=[scope_families])

    objects = PurchasingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = "groupement de commandes"
        verbose_name_plural = "groupements de commandes"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:group_detail", args=[self.pk])

    def member_ids(self) -> set[int]:
        """The group's current members, signed or not, without those that left; coordinator included: it
        buys for itself too."""
        today = timezone.localdate()
        current = self.adhesions.exclude(left_on__lte=today)
        return {self.coordinator_id, *current.values_list("entity_id", flat=True)}

    def signed_member_ids(self, on: date | None = None) -> set[int]:
        """Members whose adhesion is signed on `on` (today by default); coordinator included."""
        on = on or timezone.localdate()
        signed = self.adhesions.signed(on)
        return {self.coordinator_id, *signed.values_list("entity_id", flat=True)}

    def clean(self) -> None:
        errors = {}
        if self.coordinator_id and not self.coordinator.is_active:
            errors["coordinator"] = "Le coordonnateur doit être un membre actif du territoire."
        if self.duration == ConventionDuration.FIXED:
            if not self.starts_on:
                errors["starts_on"] = "Le début de la convention est obligatoire pour une durée déterminée."
            if not self.ends_on:
                errors["ends_on"] = "La fin de la convention est obligatoire pour une durée déterminée."
        elif self.ends_on:
            errors["ends_on"] = "Laissez la fin de la convention vide : elle dure jusqu'au terme des marchés."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "La fin de la convention ne peut précéder son début."
        if self.cost_sharing == CostSharing.OTHER and not self.cost_sharing_details.strip():
            errors["cost_sharing_details"] = (
                "Précisez les modalités du partage des frais (partage « Autre »)."
            )
        if errors:
            raise ValidationError(errors)


def _signed_q(on: date, prefix: str = "") -> models.Q:
    """Signed on or before `on`, and not left on or before it."""
    return models.Q(**{f"{prefix}signed_on__isnull": False, f"{prefix}signed_on__lte": on}) & (
        models.Q(**{f"{prefix}left_on__isnull": True}) | models.Q(**{f"{prefix}left_on__gt": on})
    )


class GroupMembershipQuerySet(models.QuerySet):
    def signed(self, on: date) -> "GroupMembershipQuerySet":
        return self.filter(_signed_q(on))


class GroupMembership(TimeStampedModel):
    """One member's adhesion to a group: its own decision, its signature of the convention, its
    departure. A member takes part in the group's procedures only once signed (DAJ 2019)."""

    group = models.ForeignKey(
        PurchasingGroup, verbose_name="groupement", on_delete=models.CASCADE, related_name="adhesions"
    )
    entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="membre",
        on_delete=models.PROTECT,
        related_name="group_adhesions",
    )
    decision_date = models.DateField("date de la décision du membre", null=True, blank=True)
    decision_reference = models.CharField(
        "référence de la décision du membre",
        max_length=200,
        blank=True,
        help_text="Délibération ou décision qui approuve l'adhésion.",
    )
    signed_on = models.DateField("date de signature de la convention", null=True, blank=True)
    joined_on = models.DateField("date d'adhésion", null=True, blank=True)
    left_on = models.DateField("date de sortie", null=True, blank=True)
    history = HistoricalRecords()

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "adhésion à un groupement"
        verbose_name_plural = "adhésions aux groupements"
        ordering = ["group", "entity__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "entity"], name="one_adhesion_per_group_and_entity")
        ]

    def __str__(self) -> str:
        return f"{self.entity} — {self.group}"

    def status(self, on: date | None = None) -> AdhesionStatus:
        on = on or timezone.localdate()
        if self.left_on and self.left_on <= on:
            return AdhesionStatus.LEFT
        if self.signed_on and self.signed_on <= on:
            return AdhesionStatus.SIGNED
        return AdhesionStatus.PENDING

    @property
    def status_label(self) -> str:
        return self.status().label
