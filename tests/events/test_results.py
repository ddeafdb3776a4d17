"""The questionnaire after a matinale: answered once by the attendee with every question scored; the
results masked under five answers, then the means per question worked by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mutualis.events.models import EventAnswer, EventQuestion, EventSurvey, Registration
from mutualis.events.results import MASKED, results, table
from mutualis.events.services.surveys import survey_answer
from mutualis.organisations.roles import Role
from tests.organisations.factories import MembershipFactory

from .factories import make_event

pytestmark = pytest.mark.django_db


def closed_event(buyer, entity, attendees):
    """A matinale held yesterday, its attendees' questionnaires sent (set up as the close would)."""
    event = make_event(buyer, entity=entity, starts_at=timezone.now() + timedelta(days=1))
    now = timezone.now()
    type(event).objects.filter(pk=event.pk).update(
        status="closed",
        starts_at=now - timedelta(days=1),
        ends_at=now - timedelta(days=1) + timedelta(hours=2),
    )
    event.refresh_from_db()
    for person in attendees:
        Registration.objects.create(event=event, person=person, status="registered", attended=True)
        EventSurvey.objects.create(event=event, person=person, sent_at=now)
    return event


def answer(event, person, scores, comment=""):
    questions = EventQuestion.objects.filter(is_active=True)
    return survey_answer(
        actor=person,
        survey=EventSurvey.objects.get(event=event, person=person),
        scores=dict(zip((q.pk for q in questions), scores, strict=True)),
        comment=comment,
    )


def test_four_default_questions():
    assert EventQuestion.objects.filter(is_active=True).count() == 4


def test_an_answer_needs_every_score_and_is_given_once_by_its_attendee(role_users, hospital):
    people = [MembershipFactory(entity=hospital, role=Role.PRESCRIBER).user for _ in range(2)]
    event = closed_event(role_users[Role.BUYER], hospital, people)
    survey = EventSurvey.objects.get(person=people[0])
    first = EventQuestion.objects.filter(is_active=True).first()
    with pytest.raises(ValidationError) as refused:
        survey_answer(actor=people[0], survey=survey, scores={first.pk: 6})
    assert f"question_{first.pk}" in refused.value.message_dict
    assert "choisissez une note de 1 à 5" in refused.value.message_dict[f"question_{first.pk}"][0]
    assert not EventAnswer.objects.exists()
    with pytest.raises(PermissionDenied):  # another attendee's questionnaire
        survey_answer(actor=people[1], survey=survey, scores={})
    answer(event, people[0], [5, 4, 3, 2], "Très concret")
    with pytest.raises(ValidationError, match="déjà répondu"):
        answer(event, people[0], [1, 1, 1, 1])
    assert EventAnswer.objects.count() == 4


def test_results_masked_under_five_answers_then_means_by_hand(role_users, hospital):
    people = [MembershipFactory(entity=hospital, role=Role.PRESCRIBER).user for _ in range(6)]
    event = closed_event(role_users[Role.BUYER], hospital, people)
    scores = [[5, 4, 3, 5], [4, 4, 3, 5], [5, 3, 4, 4], [3, 4, 2, 5]]
    for person, given in zip(people, scores, strict=False):
        answer(event, person, given, comment=f"Avis {person.pk}")
    masked = results(event)
    assert (masked.attendees, masked.answered, masked.masked) == (6, 4, True)
    assert masked.means == [None] * 4 and masked.comments == []
    assert table(masked)[1][-1] == ["Moyenne générale", MASKED]

    answer(event, people[4], [4, 5, 3, 4], comment="Utile")
    shown = results(event)
    # Question 1: (5+4+5+3+4)/5 = 4.2; 2: (4+4+3+4+5)/5 = 4; 3: (3+3+4+2+3)/5 = 3; 4: (5+5+4+5+4)/5 = 4.6
    assert shown.means == [Decimal("4.20"), Decimal("4.00"), Decimal("3.00"), Decimal("4.60")]
    assert shown.overall == Decimal("3.95")  # 79 / 20
    assert shown.rate == Decimal("83.3")  # 5 of the 6 attendees
    assert "Utile" in shown.comments and len(shown.comments) == 5
