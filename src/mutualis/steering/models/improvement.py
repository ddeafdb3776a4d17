"""Continuous improvement (ISO 9001 § 10): non-conformities and the actions that correct or improve."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel, TransitionLog
from mutualis.organisations.access import access_for


class ImprovementKind(models.TextChoices):
    NON_CONFORMITY = "non_conformity", "Non-conformité"
    CORRECTIVE = "corrective", "Action corrective"
    IMPROVEMENT = "improvement", "Action d'amélioration"


class ImprovementStatus(models.TextChoices):
    OPEN = "open", "Ouverte"
    IN_PROGRESS = "in_progress", "En cours"
    CLOSED = "closed", "Close"
    CANCELLED = "cancelled", "Abandonnée"


class ImprovementQuerySet(models.QuerySet):
    def for_user(self, user) -> "ImprovementQuerySet":
        """The team sees every action; an entity role those about its entities' projects and contracts,
        and those it owns."""
        access = access_for(user)
        if access.entity_ids is None:
            return self
        return self.filter(
            models.Q(owner=user)
            | models.Q(project__entities__in=access.entity_ids)
            | models.Q(contract__buyer__in=access.entity_ids)
            | models.Q(contract__available_to__in=access.entity_ids)
        ).distinct()

    def search(self, text: str) -> "ImprovementQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(title__icontains=text)
            | models.Q(description__icontains=text)
            | models.Q(project__object__icontains=text)
            | models.Q(contract__object__icontains=text)
            | models.Q(contract__reference__icontains=text)
        )

    def open(self) -> "ImprovementQuerySet":
        return self.filter(status__in=[ImprovementStatus.OPEN, ImprovementStatus.IN_PROGRESS])

    def late(self, today=None) -> "ImprovementQuerySet":
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ImprovementAction(Versioned, TimeStampedModel):
    """One non-conformity or action, about a stage of the process map, a project or a contract."""

    kind = models.CharField("nature", max_length=20, choices=ImprovementKind.choices)
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("constat", blank=True)
    stage_code = models.CharField(
        "étape de la cartographie", max_length=20, blank=True, help_text="L'étape du processus concernée."
    )
    project = models.ForeignKey(
        "procurements.Project",
        verbose_name="projet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name="contrat",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pilote",
        on_delete=models.PROTECT,
        related_name="improvement_actions",
    )
    due_on = models.DateField("échéance")
    status = models.CharField(
        "état", max_length=20, choices=ImprovementStatus.choices, default=ImprovementStatus.OPEN
    )
    closed_on = models.DateField("close le", null=True, blank=True)
    outcome = models.TextField("résultat", blank=True, help_text="Ce qui a été fait et son efficacité.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déclarée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ImprovementQuerySet.as_manager()

    class Meta:
        verbose_name = "action d'amélioration"
        verbose_name_plural = "actions d'amélioration"
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("steering:improvement_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (ImprovementStatus.OPEN, ImprovementStatus.IN_PROGRESS)

    def is_late(self, today=None) -> bool:
        """Still to be done after its due date (the same rule as the QuerySet's late())."""
        return self.is_running and self.due_on < (today or timezone.localdate())


class ImprovementTransition(TransitionLog):
    """One move of an action (taken in charge, closed, reopened…): append-only, like the other logs."""

    record_field = "action"

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField("action", max_length=20)
    from_status = models.CharField("de", max_length=20, choices=ImprovementStatus.choices)
    to_status = models.CharField("vers", max_length=20, choices=ImprovementStatus.choices)

    class Meta:
        verbose_name = "étape d'une action d'amélioration"
        verbose_name_plural = "étapes des actions d'amélioration"
        ordering = ["action", "at", "pk"]
