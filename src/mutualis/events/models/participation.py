"""Who is invited to a matinale and why, and who registered (within capacity, else on the waiting list, in
order) and came."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .event import Event


class InvitationReason(models.TextChoices):
    TARGETED = "targeted", "Client parmi les plus actifs"
    CHOSEN = "chosen", "Choisi par l'organisateur"
    MEMBER = "member", "Référent d'une autre entité membre"


class Invitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="invité", on_delete=models.CASCADE, related_name="invitations"
    )
    reason = models.CharField("motif", max_length=10, choices=InvitationReason.choices)
    rank = models.PositiveSmallIntegerField("rang", null=True, blank=True)
    activity = models.PositiveSmallIntegerField(
        "projets et demandes sur 24 mois", null=True, blank=True, help_text="Ce qui a fait son rang."
    )
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "invitation à une matinale"
        verbose_name_plural = "invitations aux matinales"
        ordering = ["event", "rank", "person__last_name", "person__username"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="invitation_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person} invité à {self.event}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Inscrit"
    WAITING = "waiting", "En liste d'attente"
    CANCELLED = "cancelled", "Désinscrit"


class Registration(models.Model):
    """One person's place: registered, waiting (ordered by `registered_at`) or withdrawn; `attended` is
    noted by the team after the event (None: not noted yet)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="personne", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField("état", max_length=10, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField("inscrit le", default=timezone.now)
    attended = models.BooleanField("présent", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "inscription à une matinale"
        verbose_name_plural = "inscriptions aux matinales"
        ordering = ["event", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="registration_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} : {self.get_status_display().lower()} à {self.event}"
