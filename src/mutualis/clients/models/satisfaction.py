"""The internal clients' satisfaction: the questions (edited by the offer's administrators), one survey per
delivered request, its 1–5 scores per question."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .questionnaire import Question, Score, Survey
from .request import ServiceRequest


class SatisfactionQuestion(Question):
    """One 1–5 question of the questionnaire, edited by the offer's administrators."""

    is_active = models.BooleanField("posée aux clients", default=True)
    history = HistoricalRecords()

    class Meta(Question.Meta):
        verbose_name = "question de satisfaction"
        verbose_name_plural = "questions de satisfaction"


class SatisfactionSurvey(Survey):
    """The questionnaire sent to the client when his request is delivered; answered once."""

    request = models.OneToOneField(
        ServiceRequest, verbose_name="demande", on_delete=models.CASCADE, related_name="survey"
    )
    history = HistoricalRecords()

    class Meta(Survey.Meta):
        verbose_name = "questionnaire de satisfaction"
        verbose_name_plural = "questionnaires de satisfaction"

    def __str__(self) -> str:
        return f"Questionnaire de la demande n° {self.request_id}"

    def get_absolute_url(self) -> str:
        return reverse("clients:survey_answer", args=[self.pk])


class SatisfactionAnswer(Score):
    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        SatisfactionQuestion, verbose_name="question", on_delete=models.PROTECT, related_name="answers"
    )

    class Meta(Score.Meta):
        verbose_name = "réponse de satisfaction"
        verbose_name_plural = "réponses de satisfaction"
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="satisfaction_score_1_5"),
            models.UniqueConstraint(
                fields=["survey", "question"], name="satisfaction_one_answer_per_question"
            ),
        ]
