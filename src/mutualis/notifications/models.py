"""In-app notifications, each also sent by e-mail once."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    """What a notification is about: each person chooses which kinds also reach them by e-mail."""

    CONTRACT_ENDING = "contract_ending", "Contrat arrivant à échéance"
    DECISION_OVERDUE = "decision_overdue", "Décision de reconduction ou de relance en retard"
    PUBLICATION_LATE = "publication_late", "Données essentielles (DECP) non publiées dans le délai"
    STAGE_ASSIGNED = "stage_assigned", "Étape d'un projet qui vous revient"
    CONTRACT_AVAILABLE = "contract_available", "Nouveau contrat utilisable par vos entités"
    CONTRACT_CONSUMPTION = "contract_consumption", "Contrat consommé à 80 % ou 100 % de son maximum"
    GAIN_DECLARED = "gain_declared", "Gain achat déclaré, à valider"
    GAIN_RETURNED = "gain_returned", "Gain achat renvoyé pour correction"
    IMPROVEMENT_ASSIGNED = "improvement_assigned", "Action d'amélioration qui vous est confiée"
    INCIDENT_DECLARED = "incident_declared", "Incident d'exécution déclaré sur un contrat que vous suivez"
    EVALUATION_REQUESTED = "evaluation_requested", "Évaluation fournisseur (qualité, coût, délai) à remplir"
    SERVICE_REQUEST = "service_request", "Demande d'accompagnement : nouvelle, confiée, avancée ou message"
    EVENT_INVITATION = "event_invitation", "Matinale : invitation, place libérée, annulation ou questionnaire"
    OTHER = "other", "Autres messages"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(recipient=user)

    def keyed(self, prefix: str) -> "NotificationQuerySet":
        """Notifications whose key starts so: the kind is not stored, the sender's key names it."""
        return self.filter(key__startswith=prefix)


class Notification(models.Model):
    """A message to one person; `key` makes a scheduled job safe to run twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="destinataire",
    )
    key = models.CharField("clé", max_length=200)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    url = models.CharField("lien", max_length=300, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    emailed_at = models.DateTimeField("envoyée par courriel le", null=True, blank=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]

    def __str__(self) -> str:
        return self.subject


class EmailOptOut(models.Model):
    """A kind of notification this person keeps in the application only (no e-mail); absent = e-mailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_email_opt_outs",
        verbose_name="personne",
    )
    kind = models.CharField("type de notification", max_length=40, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "notification sans courriel"
        verbose_name_plural = "notifications sans courriel"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} : {self.get_kind_display()}"
