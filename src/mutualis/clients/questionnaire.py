"""Recording the answer to a 1–5 questionnaire, the same for a delivered request and for a matinale."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models.questionnaire import SCORES


def record_answer(*, survey, questions, score_model, scores: dict, comment: str) -> None:
    """Every question scored 1–5 (errors under `question_<id>`, nothing written), then the scores and the
    comment stored and the survey marked answered. The caller has locked the survey and checked who
    answers."""
    errors, valid = {}, {}
    for question in questions:
        try:
            score = int(scores.get(question.pk))
        except (TypeError, ValueError):
            score = None
        if score not in SCORES:
            errors[f"question_{question.pk}"] = [f"« {question.text} » : choisissez une note de 1 à 5."]
        else:
            valid[question] = score
    if errors:
        raise ValidationError(errors)
    score_model.objects.bulk_create(
        score_model(survey=survey, question=question, score=score) for question, score in valid.items()
    )
    survey.comment, survey.answered_at = comment.strip(), timezone.now()
    survey.save()
