"""A matinale: a morning event of the purchasing team for internal clients (a theme of the service offer, a
place, a capacity), moved through its workflow (events/workflow.py) with the log of its moves."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel, TransitionLog

# How many days before the event its invitations leave: a product choice of issue 18, not a legal time limit,
# and only the default of each event's own `invitation_days`.
INVITATION_NOTICE_DAYS = 15


class EventStatus(models.TextChoices):
    PLANNED = "planned", "Programmée"
    INVITED = "invited", "Invitations envoyées"
    HELD = "held", "Tenue"
    CLOSED = "closed", "Close"
    CANCELLED = "cancelled", "Annulée"


# States in which people may still register or withdraw (before the event starts).
OPEN_STATUSES = (EventStatus.PLANNED, EventStatus.INVITED)


class EventQuerySet(models.QuerySet):
    def for_user(self, user) -> "EventQuerySet":
        """Every person who sees the service offer sees the matinales (the page checks that permission)."""
        return self.all()

    def search(self, text: str) -> "EventQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text) | Q(place__icontains=text) | Q(theme__title__icontains=text)
        )

    def upcoming(self, now=None) -> "EventQuerySet":
        return self.filter(status__in=OPEN_STATUSES, starts_at__gt=now or timezone.now())


class Event(Versioned, TimeStampedModel):
    title = models.CharField("titre", max_length=200)
    theme = models.ForeignKey(
        "clients.ServiceModule",
        verbose_name="thème (module de l'offre)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    place = models.CharField("lieu", max_length=300)
    capacity = models.PositiveSmallIntegerField(
        "nombre de places",
        validators=[MinValueValidator(1)],
        help_text="Au-delà, les inscrits vont en liste d'attente, dans l'ordre de leur inscription.",
    )
    description = models.TextField("programme", blank=True)
    open_to_members = models.BooleanField(
        "ouverte aux autres membres du territoire",
        default=False,
        help_text="Invite aussi les référents achats des autres entités membres, et laisse tout client "
        "interne s'inscrire.",
    )
    targeted_count = models.PositiveSmallIntegerField(
        "nombre de clients ciblés",
        default=10,
        help_text="Les clients internes qui ont lancé le plus de projets d'achat et de demandes "
        "d'accompagnement dans les 24 mois précédant la matinale.",
    )
    invitation_days = models.PositiveSmallIntegerField(
        "envoi des invitations (jours avant)",
        default=INVITATION_NOTICE_DAYS,
        validators=[MinValueValidator(1)],
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="organisée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
        editable=False,
    )
    organiser_entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="entité organisatrice",
        on_delete=models.PROTECT,
        related_name="organised_events",
        help_text="Ses services sont invités ; les autres membres aussi si la matinale leur est ouverte.",
    )
    status = models.CharField(
        "état", max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED, editable=False
    )
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "matinale"
        verbose_name_plural = "matinales"
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})" if self.starts_at else self.title
        )

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "La fin doit suivre le début de la matinale."})

    @property
    def invitation_date(self):
        return timezone.localtime(self.starts_at).date() - timedelta(days=self.invitation_days)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def registrations_open(self) -> bool:
        return self.status in OPEN_STATUSES and not self.has_started


class EventTransition(TransitionLog):
    """One move of a matinale (invitations sent, held, closed, cancelled): append-only."""

    record_field = "event"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField("action", max_length=20)
    from_status = models.CharField("de", max_length=10, choices=EventStatus.choices)
    to_status = models.CharField("vers", max_length=10, choices=EventStatus.choices)

    class Meta:
        verbose_name = "étape d'une matinale"
        verbose_name_plural = "étapes des matinales"
        ordering = ["event", "at", "pk"]
