"""The questionnaire after a matinale: its own 1–5 questions (those of the service requests ask about a
buyer and delays, which a morning event has not), one survey per attendee, answered once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.clients.models.questionnaire import Question, Score, Survey

from .event import Event


class EventQuestion(Question):
    is_active = models.BooleanField("posée aux participants", default=True)
    history = HistoricalRecords()

    class Meta(Question.Meta):
        verbose_name = "question sur une matinale"
        verbose_name_plural = "questions sur les matinales"


class EventSurvey(Survey):
    """The questionnaire sent to an attendee when the matinale is closed."""

    event = models.ForeignKey(
        Event, verbose_name="matinale", on_delete=models.CASCADE, related_name="surveys"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="participant", on_delete=models.CASCADE, related_name="+"
    )
    history = HistoricalRecords()

    class Meta(Survey.Meta):
        verbose_name = "questionnaire d'une matinale"
        verbose_name_plural = "questionnaires des matinales"
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="event_survey_once_per_person")
        ]

    def __str__(self) -> str:
        return f"Questionnaire de la matinale « {self.event.title} »"

    def get_absolute_url(self) -> str:
        return reverse("events:survey_answer", args=[self.pk])


class EventAnswer(Score):
    survey = models.ForeignKey(EventSurvey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        EventQuestion, verbose_name="question", on_delete=models.PROTECT, related_name="answers"
    )

    class Meta(Score.Meta):
        verbose_name = "réponse sur une matinale"
        verbose_name_plural = "réponses sur les matinales"
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="event_score_1_5"),
            models.UniqueConstraint(fields=["survey", "question"], name="event_one_answer_per_question"),
        ]
