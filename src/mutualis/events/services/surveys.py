"""The questionnaire after a matinale: sent to each attendee when it is closed, answered once by them,
every active question scored 1 to 5; nothing written on refusal."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.clients.questionnaire import record_answer
from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify

from ..models import Event, EventAnswer, EventQuestion, EventSurvey, RegistrationStatus


def surveys_send(event: Event) -> int:
    """One questionnaire per attendee (once), each told with its link; how many were created."""
    created = 0
    for registration in event.registrations.filter(
        status=RegistrationStatus.REGISTERED, attended=True
    ).select_related("person"):
        survey, new = EventSurvey.objects.get_or_create(
            event=event, person=registration.person, defaults={"sent_at": timezone.now()}
        )
        if new:
            created += 1
            notify(
                recipients=[registration.person],
                message=Message(
                    key=f"event-{event.pk}-survey",
                    subject=f"Votre avis sur la matinale « {event.title} »",
                    body="Merci d'être venu : dites-nous en quelques clics ce que vous en avez pensé.",
                    url=survey.get_absolute_url(),
                    kind=Kind.EVENT_INVITATION,
                ),
            )
    return created


def may_answer(actor, survey: EventSurvey) -> bool:
    return not survey.is_answered and survey.person_id == getattr(actor, "pk", None)


@transaction.atomic
def survey_answer(*, actor, survey: EventSurvey, scores: dict, comment: str = "") -> EventSurvey:
    """The attendee scores every active question 1–5 (errors under `question_<id>`), once."""
    locked = EventSurvey.objects.select_for_update().get(pk=survey.pk)
    if locked.person_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if locked.is_answered:
        raise ValidationError("Vous avez déjà répondu à ce questionnaire : merci !")
    record_answer(
        survey=locked, questions=EventQuestion.objects.filter(is_active=True), score_model=EventAnswer,
        scores=scores, comment=comment,
    )  # fmt: skip
    return locked
