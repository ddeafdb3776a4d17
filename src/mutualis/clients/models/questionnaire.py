"""What every 1–5 questionnaire of the internal clients shares, whatever it is about (a delivered request,
a matinale): its question, its survey and its score, as abstract models; each concrete one keeps its own
tables, names and constraints."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from mutualis.core.models import TimeStampedModel

SCORES = range(1, 6)


class Question(TimeStampedModel):
    """One 1–5 question; deactivated rather than deleted, its past answers kept."""

    text = models.CharField("question", max_length=300)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Survey(TimeStampedModel):
    """A questionnaire sent to one person, answered once (its scores and an optional comment)."""

    sent_at = models.DateTimeField("envoyé le")
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        abstract = True
        ordering = ["-sent_at", "-pk"]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Score(models.Model):
    """One score (1 to 5) given to one question; written once with its survey, never edited."""

    score = models.PositiveSmallIntegerField("note", validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        abstract = True
        ordering = ["survey", "question__position"]

    def __str__(self) -> str:
        return f"{self.question} : {self.score}"
