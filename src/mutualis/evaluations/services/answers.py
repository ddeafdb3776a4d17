"""An evaluator's answer: a mark from 1 to 4 on every criterion of the campaign's grid, or « non concerné »
with the reason. Answered by a referent of the evaluated entity while the campaign is open; an answer may
be corrected until the campaign is closed (its history keeps every version)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Role

from ..models import SCALE, CampaignStatus, Evaluation, EvaluationStatus, Score


def may_answer(user, evaluation: Evaluation) -> bool:
    """A referent of the evaluated entity (or the superuser), while the campaign is open."""
    if evaluation.campaign.status != CampaignStatus.OPEN:
        return False
    access = access_for(user)
    return access.is_superuser or Role.REFERENT in access.roles_by_entity.get(evaluation.entity_id, ())


def _lock(actor, evaluation: Evaluation) -> Evaluation:
    locked = Evaluation.objects.select_for_update().select_related("campaign", "contract", "entity")
    locked = locked.get(pk=evaluation.pk)
    if locked.campaign.status != CampaignStatus.OPEN:
        raise ValidationError(
            f"La campagne « {locked.campaign} » est close : l'évaluation ne peut plus changer."
        )
    if not may_answer(actor, locked):
        raise PermissionDenied
    return locked


@transaction.atomic
def evaluation_answer(
    *, actor, evaluation: Evaluation, marks: dict[int, int], comment: str = ""
) -> Evaluation:
    """Record the marks (criterion id → 1..4), all criteria of the campaign required."""
    locked = _lock(actor, evaluation)
    criteria = list(locked.campaign.criteria.all())
    errors = {}
    for criterion in criteria:
        mark = marks.get(criterion.pk)
        if mark is None:
            errors[f"criterion_{criterion.pk}"] = [f"Notez le critère « {criterion.label} »."]
        elif mark not in SCALE:
            errors[f"criterion_{criterion.pk}"] = [
                f"La note du critère « {criterion.label} » doit être comprise entre 1 et 4 (reçu : {mark})."
            ]
    unknown = set(marks) - {c.pk for c in criteria}
    if unknown:
        errors["__all__"] = [f"Critères étrangers à la grille de la campagne : {sorted(unknown)}."]
    if errors:
        raise ValidationError(errors)
    locked.scores.all().delete()
    Score.objects.bulk_create(Score(evaluation=locked, criterion=c, value=marks[c.pk]) for c in criteria)
    return _answered(locked, actor, EvaluationStatus.ANSWERED, comment)


@transaction.atomic
def evaluation_not_concerned(*, actor, evaluation: Evaluation, reason: str) -> Evaluation:
    """The entity did not really use the contract over the period: its answer leaves the mean."""
    if not (reason or "").strip():
        raise ValidationError({"comment": ["Dites pourquoi votre entité n'est pas concernée."]})
    locked = _lock(actor, evaluation)
    locked.scores.all().delete()
    return _answered(locked, actor, EvaluationStatus.NOT_CONCERNED, reason)


def _answered(evaluation: Evaluation, actor, status: str, comment: str) -> Evaluation:
    evaluation.status = status
    evaluation.comment = (comment or "").strip()
    evaluation.answered_by = actor
    evaluation.answered_at = timezone.now()
    evaluation.save()
    return evaluation
