"""The satisfaction questionnaire: sent on delivery, answered once by the requester with every question
scored; the results per module, buyer and quarter, masked under five answers (worked by hand)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mutualis.clients.models import SatisfactionAnswer, SatisfactionQuestion, SatisfactionSurvey
from mutualis.clients.satisfaction import MASKED, MIN_RESPONSES, results
from mutualis.clients.services.requests import request_transition
from mutualis.clients.services.satisfaction import survey_answer, survey_send
from mutualis.notifications.models import Notification
from mutualis.organisations.roles import Role

from .factories import make_request

pytestmark = pytest.mark.django_db


def deliver(prescriber, buyer, entity, **fields):
    request = make_request(prescriber, entity=entity, **fields)
    for name in ("take", "start", "deliver"):
        request = request_transition(actor=buyer, request=request, name=name)
    return request


def answer(survey, actor, score, comment=""):
    questions = SatisfactionQuestion.objects.filter(is_active=True)
    return survey_answer(actor=actor, survey=survey, scores={q.pk: score for q in questions}, comment=comment)


def test_the_four_default_questions_are_loaded():
    assert list(SatisfactionQuestion.objects.values_list("position", flat=True)) == [1, 2, 3, 4]
    assert SatisfactionQuestion.objects.first().text == "Le service rendu a-t-il répondu à votre besoin ?"


def test_delivery_sends_the_questionnaire_to_the_requester(role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    request = deliver(prescriber, buyer, hospital)
    survey = request.survey
    assert survey.sent_at and not survey.is_answered
    told = Notification.objects.filter(recipient=prescriber, url=survey.get_absolute_url())
    assert told.count() == 1


def test_only_the_requester_answers_once_every_question(role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    survey = deliver(prescriber, buyer, hospital).survey
    with pytest.raises(PermissionDenied):
        answer(survey, buyer, 5)
    first, *others = SatisfactionQuestion.objects.all()
    with pytest.raises(ValidationError) as refused:
        survey_answer(actor=prescriber, survey=survey, scores={first.pk: 6, others[0].pk: 3}, comment="x")
    errors = refused.value.message_dict
    assert set(errors) == {f"question_{q.pk}" for q in [first, others[1], others[2]]}
    assert errors[f"question_{first.pk}"] == [f"« {first.text} » : choisissez une note de 1 à 5."]
    assert not SatisfactionAnswer.objects.exists()
    survey.refresh_from_db()
    assert not survey.is_answered and survey.comment == ""
    done = answer(survey, prescriber, 4, "  Très utile  ")
    assert (done.is_answered, done.comment, done.answers.count()) == (True, "Très utile", 4)
    with pytest.raises(ValidationError):
        answer(survey, prescriber, 1)
    assert SatisfactionAnswer.objects.count() == 4


def test_a_deactivated_question_is_not_asked(role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    SatisfactionQuestion.objects.filter(position=4).update(is_active=False)
    survey = answer(deliver(prescriber, buyer, hospital).survey, prescriber, 3)
    assert survey.answers.count() == 3


def test_results_are_masked_under_five_answers(role_users, hospital):
    """Sourcing: six delivered, four answered (5, 4, 3, 2 on every question) → counts only; a fifth answer
    of 1 → means (5+4+3+2+1)/5 = 3.00 per question and overall, response rate 5/6 = 83.3 %."""
    assert MIN_RESPONSES == 5
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    requests = [deliver(prescriber, buyer, hospital) for _ in range(6)]
    for request, score in zip(requests, (5, 4, 3, 2), strict=False):
        answer(request.survey, prescriber, score, comment=f"Avis {score}")
    year = date.today().year

    four = results(year=year)
    (group,) = four["groups"]
    assert (group.label, group.delivered, group.answered, group.rate) == (
        "Sourcing et benchmark",
        6,
        4,
        Decimal("66.7"),
    )
    assert group.masked and group.means == [None] * 4 and group.overall is None and group.comments == []
    assert MASKED == "moins de 5 réponses : résultats masqués"

    answer(requests[4].survey, prescriber, 1)
    (group,) = results(year=year)["groups"]
    assert (group.answered, group.rate, group.masked) == (5, Decimal("83.3"), False)
    assert group.means == [Decimal("3.00")] * 4 and group.overall == Decimal("3.00")
    assert group.comments == ["Avis 2", "Avis 3", "Avis 4", "Avis 5"]  # no name, not in the requests' order
    assert prescriber.get_full_name() not in " ".join(group.comments)


def test_results_per_buyer_and_quarter_and_filters(role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    request = deliver(prescriber, buyer, hospital, codes=("sourcing", "dce"))
    answer(request.survey, prescriber, 4)
    year, today = date.today().year, date.today()
    by_module = results(year=year)
    assert [g.label for g in by_module["groups"]] == ["Co-construction du DCE", "Sourcing et benchmark"]
    assert (by_module["total"].delivered, by_module["total"].answered) == (1, 1)
    (by_buyer,) = results(year=year, by="buyer")["groups"]
    assert (by_buyer.label, by_buyer.answered) == (buyer.get_full_name() or buyer.username, 1)
    (by_quarter,) = results(year=year, by="quarter")["groups"]
    assert by_quarter.label == f"T{(today.month - 1) // 3 + 1} {year}"
    assert results(year=year - 1)["groups"] == []
    other_quarter = (today.month - 1) // 3 + 1 + 1 if today.month <= 9 else 1
    assert results(year=year, quarter=other_quarter)["groups"] == []
    assert SatisfactionSurvey.objects.count() == 1


def test_only_a_delivery_sends_a_questionnaire_once(role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    declined = request_transition(
        actor=buyer, request=make_request(prescriber, entity=hospital), name="decline", comment="Hors offre"
    )
    assert not SatisfactionSurvey.objects.filter(request=declined).exists()
    delivered = deliver(prescriber, buyer, hospital)
    assert survey_send(delivered) == delivered.survey
    assert SatisfactionSurvey.objects.count() == 1
    assert Notification.objects.filter(recipient=prescriber, key__endswith="-survey").count() == 1
