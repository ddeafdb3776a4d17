"""E-mail alerts of the portal: a visitor, without an account, follows a family or a member entity.

The address serves these alerts and nothing else (GDPR): no history is kept (a deleted subscription is
forgotten), an unconfirmed one is purged after UNCONFIRMED_DAYS, unsubscribing deletes the row."""

from django.db import models
from django.db.models import Q

UNCONFIRMED_DAYS = 7


class AlertSubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> "AlertSubscriptionQuerySet":
        return self.filter(confirmed_at__isnull=False)

    def pending(self) -> "AlertSubscriptionQuerySet":
        return self.filter(confirmed_at__isnull=True)


class AlertSubscription(models.Model):
    email = models.EmailField("adresse e-mail", max_length=254)
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="entité",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # Random, in the confirmation link (signed, dated) and the unsubscribe link of every alert.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    # The projects already sent, or already published at confirmation: none is sent twice.
    sent_projects = models.JSONField("projets déjà signalés", default=list, blank=True)
    last_sent_at = models.DateTimeField("dernière alerte le", null=True, blank=True)

    objects = AlertSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "abonnement aux alertes du portail"
        verbose_name_plural = "abonnements aux alertes du portail"
        constraints = [
            models.CheckConstraint(
                condition=Q(family__isnull=False, entity__isnull=True)
                | Q(family__isnull=True, entity__isnull=False),
                name="portal_alert_family_or_entity",
            )
        ]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"Alerte {self.family or self.entity}"
