"""Joint purchasing groups ("groupements de commandes", CCP L2113-6 to L2113-8)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel

from .access import access_for


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


class PurchasingGroup(Versioned, TimeStampedModel):
    """Members that run procedures together through a coordinator, under a signed convention."""

    name = models.CharField("nom", max_length=200, unique=True)
    coordinator = models.ForeignKey(
        "organisations.Entity",
        verbose_name="coordonnateur",
        on_delete=models.PROTECT,
        related_name="coordinated_groups",
    )
    members = models.ManyToManyField(
        "organisations.Entity", verbose_name="membres", related_name="purchasing_groups", blank=True
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
    history = HistoricalRecords(m2m_fields=[members, scope_families])

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
        """Coordinator included: it buys for itself too."""
        return {self.coordinator_id, *self.members.values_list("pk", flat=True)}

    def clean(self) -> None:
        if self.coordinator_id and not self.coordinator.is_active:
            raise ValidationError(
                {"coordinator": "Le coordonnateur doit être un membre actif du territoire."}
            )
