"""The questionnaire after a matinale: its own 1–5 questions (those of the service requests ask about a
buyer and delays, which a morning event has not), one survey per attendee, answered once."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.models import TimeStampedModel

from .event import Event


class EventQuestion(TimeStampedModel):
    """One 1–5 question; deactivated rather than deleted, its past answers kept."""

    text = models.CharField("question", max_length=300)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    is_active = models.BooleanField("posée aux participants", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "question sur une matinale"
        verbose_name_plural = "questions sur les matinales"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class EventSurvey(TimeStampedModel):
    """The questionnaire sent to an attendee when the matinale is closed."""

    event = models.ForeignKey(
        Event, verbose_name="matinale", on_delete=models.CASCADE, related_name="surveys"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="participant", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField("envoyé le")
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "questionnaire d'une matinale"
        verbose_name_plural = "questionnaires des matinales"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="event_survey_once_per_person")
        ]

    def __str__(self) -> str:
        return f"Questionnaire de la matinale « {self.event.title} »"

    def get_absolute_url(self) -> str:
        return reverse("events:survey_answer", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class EventAnswer(models.Model):
    """One score (1 to 5) given to one question; written once with its survey, never edited."""

    survey = models.ForeignKey(EventSurvey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        EventQuestion, verbose_name="question", on_delete=models.PROTECT, related_name="answers"
    )
    score = models.PositiveSmallIntegerField("note", validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = "réponse sur une matinale"
        verbose_name_plural = "réponses sur les matinales"
        ordering = ["survey", "question__position"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="event_score_1_5"),
            models.UniqueConstraint(fields=["survey", "question"], name="event_one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question} : {self.score}"
