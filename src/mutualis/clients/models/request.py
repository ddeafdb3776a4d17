"""An internal client's request for modules of the offer: who asks what for which purchase, who delivers it
by when, and the log of its moves."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel, TransitionLog
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..scopes import requestable_entity_ids
from .offer import ServiceModule


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "Transmise"
    TAKEN = "taken", "Prise en charge"
    IN_PROGRESS = "in_progress", "En cours"
    DELIVERED = "delivered", "Livrée"
    DECLINED = "declined", "Déclinée"
    WITHDRAWN = "withdrawn", "Retirée"  # by the client, before the team took it in charge


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.TAKEN, RequestStatus.IN_PROGRESS)
# Once here, nothing more is exchanged on the request: its files stay as they were.
FINAL_STATUSES = (RequestStatus.DELIVERED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN)


class ServiceRequestQuerySet(models.QuerySet):
    def for_user(self, user) -> "ServiceRequestQuerySet":
        """The team that handles requests sees them all; a client those of the entities he asks for (and
        his own); anyone else none: the messages on a request are the client's and the team's only."""
        access = access_for(user)
        if access.has(Perm.MANAGE_SERVICE_REQUESTS):
            return self
        ids = requestable_entity_ids(user)
        if ids is None:
            return self
        return self.filter(Q(entity_id__in=ids) | Q(requested_by=user)) if ids else self.none()

    def search(self, text: str) -> "ServiceRequestQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(object__icontains=text) | Q(entity__name__icontains=text) | Q(family__label__icontains=text)
        )

    def open(self) -> "ServiceRequestQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def late(self, today=None) -> "ServiceRequestQuerySet":
        """Still open with its target date passed."""
        return self.open().filter(target_date__lt=today or timezone.localdate())

    def workload(self, today=None) -> list[dict]:
        """Per assigned buyer: open requests and late ones, in one query (the team's workload table)."""
        today = today or timezone.localdate()
        late = Q(status__in=OPEN_STATUSES, target_date__lt=today)
        return list(
            self.open()
            .filter(assigned_to__isnull=False)
            .values(
                "assigned_to", "assigned_to__first_name", "assigned_to__last_name", "assigned_to__username"
            )
            .annotate(open_count=models.Count("pk"), late_count=models.Count("pk", filter=late))
            .order_by("assigned_to__last_name", "assigned_to__username")
        )


class ServiceRequest(Versioned, TimeStampedModel):
    """An internal client's request for one or more modules of the offer, for one purchase."""

    entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="entité",
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    modules = models.ManyToManyField(ServiceModule, verbose_name="modules demandés", related_name="requests")
    object = models.CharField("objet de l'achat", max_length=500)
    family = models.ForeignKey(
        "catalogue.PurchaseFamily", verbose_name="famille d'achat", on_delete=models.PROTECT, related_name="+"
    )
    estimated_amount = models.DecimalField(
        "montant estimé HT (€)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    wished_date = models.DateField("date souhaitée", null=True, blank=True)
    status = models.CharField(
        "état", max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED, editable=False
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="acheteur en charge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_service_requests",
    )
    taken_on = models.DateField("prise en charge le", null=True, blank=True, editable=False)
    target_date = models.DateField("date cible", null=True, blank=True, editable=False, db_index=True)
    delivered_on = models.DateField("livrée le", null=True, blank=True, editable=False)
    decline_reason = models.TextField("motif du refus", blank=True, editable=False)
    need_line = models.OneToOneField(
        "needs.NeedLine",
        verbose_name="ligne de besoin créée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_request",
        editable=False,
    )
    project = models.ForeignKey(
        "procurements.Project",
        verbose_name="projet d'achat créé",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        editable=False,
    )
    history = HistoricalRecords()

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'accompagnement"
        verbose_name_plural = "demandes d'accompagnement"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="request_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(estimated_amount__isnull=True) | Q(estimated_amount__gt=0),
                name="request_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande n° {self.pk} : {self.object}"

    def get_absolute_url(self) -> str:
        return reverse("clients:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_late(self) -> bool:
        return self.is_open and self.target_date is not None and self.target_date < timezone.localdate()


class RequestTransition(TransitionLog):
    """One move of a request (submitted, taken in charge, started, delivered, declined, withdrawn), and the
    deletion of a file (`delete_file`, the state unchanged, the file named in the comment): append-only."""

    record_field = "request"

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField("action", max_length=20)
    from_status = models.CharField("de", max_length=12, choices=RequestStatus.choices)
    to_status = models.CharField("vers", max_length=12, choices=RequestStatus.choices)

    class Meta:
        verbose_name = "étape d'une demande d'accompagnement"
        verbose_name_plural = "étapes des demandes d'accompagnement"
        ordering = ["request", "at", "pk"]
