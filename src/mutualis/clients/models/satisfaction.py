"""The internal clients' satisfaction: the questions (edited by the offer's administrators), one survey per
delivered request, its 1–5 scores per question."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.models import TimeStampedModel

from .request import ServiceRequest


class SatisfactionQuestion(TimeStampedModel):
    """One 1–5 question of the questionnaire; deactivated rather than deleted, its past answers kept."""

    text = models.CharField("question", max_length=300)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    is_active = models.BooleanField("posée aux clients", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "question de satisfaction"
        verbose_name_plural = "questions de satisfaction"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class SatisfactionSurvey(TimeStampedModel):
    """The questionnaire sent to the client when his request is delivered; answered once."""

    request = models.OneToOneField(
        ServiceRequest, verbose_name="demande", on_delete=models.CASCADE, related_name="survey"
    )
    sent_at = models.DateTimeField("envoyé le")
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "questionnaire de satisfaction"
        verbose_name_plural = "questionnaires de satisfaction"
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"Questionnaire de la demande n° {self.request_id}"

    def get_absolute_url(self) -> str:
        return reverse("clients:survey_answer", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class SatisfactionAnswer(models.Model):
    """One score (1 to 5) given to one question; written once with its survey, never edited."""

    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        SatisfactionQuestion, verbose_name="question", on_delete=models.PROTECT, related_name="answers"
    )
    score = models.PositiveSmallIntegerField("note", validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = "réponse de satisfaction"
        verbose_name_plural = "réponses de satisfaction"
        ordering = ["survey", "question__position"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="satisfaction_score_1_5"),
            models.UniqueConstraint(
                fields=["survey", "question"], name="satisfaction_one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} : {self.score}"
