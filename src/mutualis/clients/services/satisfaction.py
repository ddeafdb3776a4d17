"""Writing the satisfaction questionnaire: sent when a request is delivered, answered once by the client
who asked, every active question scored 1 to 5; the questions edited by the offer's administrators."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify, shorten
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..models import SatisfactionAnswer, SatisfactionQuestion, SatisfactionSurvey, ServiceRequest
from ..questionnaire import record_answer


def survey_send(request: ServiceRequest) -> SatisfactionSurvey:
    """The delivered request's questionnaire (once), the client told with its link (REQUEST's deliver)."""
    survey, created = SatisfactionSurvey.objects.get_or_create(
        request=request, defaults={"sent_at": timezone.now()}
    )
    client = request.requested_by
    if created and client is not None and client.is_active:
        notify(
            recipients=[client],
            message=Message(
                key=f"service-request-{request.pk}-survey",
                subject=f"Votre avis sur la demande n° {request.pk}",
                body=f"« {shorten(request.object)} » est livrée : dites-nous en quelques clics si le "
                "service vous a satisfait.",
                url=survey.get_absolute_url(),
                kind=Kind.SERVICE_REQUEST,
            ),
        )
    return survey


def may_answer(actor, survey: SatisfactionSurvey) -> bool:
    return not survey.is_answered and survey.request.requested_by_id == getattr(actor, "pk", None)


@transaction.atomic
def survey_answer(
    *, actor, survey: SatisfactionSurvey, scores: dict, comment: str = ""
) -> SatisfactionSurvey:
    """The requester scores every active question 1–5 (errors under `question_<id>`), once; nothing
    written on refusal."""
    locked = SatisfactionSurvey.objects.select_for_update().select_related("request").get(pk=survey.pk)
    if locked.request.requested_by_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if locked.is_answered:
        raise ValidationError("Vous avez déjà répondu à ce questionnaire : merci !")
    record_answer(
        survey=locked, questions=SatisfactionQuestion.objects.filter(is_active=True),
        score_model=SatisfactionAnswer, scores=scores, comment=comment,
    )  # fmt: skip
    return locked


@transaction.atomic
def question_save(*, actor, question: SatisfactionQuestion) -> SatisfactionQuestion:
    """Add or change a question (its text, order, whether it is asked): the offer's administrators."""
    if not access_for(actor).has(Perm.MANAGE_SERVICE_OFFER):
        raise PermissionDenied
    question.full_clean()
    question.save()
    return question
