"""The satisfaction pages: the requester's questionnaire (radio groups, errors naming their question), the
results page with its anonymity rule and export, the questions' editing."""

from datetime import date

import pytest
from django.urls import reverse

from mutualis.clients.models import SatisfactionQuestion
from mutualis.clients.satisfaction import MASKED
from mutualis.organisations.roles import Role

from .test_satisfaction import answer, deliver

pytestmark = pytest.mark.django_db
RESULTS = reverse("clients:satisfaction")


def test_the_requester_answers_his_questionnaire(login, role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    request = deliver(prescriber, buyer, hospital)
    url = request.survey.get_absolute_url()
    assert "Questionnaire à remplir" in login(prescriber).get(request.get_absolute_url()).content.decode()
    client = login(prescriber)
    page = client.get(url).content.decode()
    assert page.count("<legend") == 4 and "5 — très satisfait" in page
    first = SatisfactionQuestion.objects.first()
    refused = client.post(url, {"comment": "Bien"})
    assert refused.status_code == 200
    assert f"« {first.text} » : choisissez une note de 1 à 5." in refused.content.decode()
    assert 'id="erreurs"' in refused.content.decode()
    scores = {f"question_{q.pk}": 4 for q in SatisfactionQuestion.objects.all()}
    response = client.post(url, {**scores, "comment": "Bien"})
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    request.survey.refresh_from_db()
    assert request.survey.is_answered
    assert "Vos réponses" in client.get(url).content.decode()
    assert "Questionnaire à remplir" not in client.get(request.get_absolute_url()).content.decode()
    assert login(buyer).get(url).status_code == 404  # the team never sees one client's answers


def test_the_results_page_masks_groups_under_five(login, role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    requests = [deliver(prescriber, buyer, hospital) for _ in range(5)]
    for request in requests[:4]:
        answer(request.survey, prescriber, 4, comment="Commentaire anonyme")
    client = login(buyer)
    page = client.get(RESULTS).content.decode()
    assert MASKED in page and "Commentaire anonyme" not in page and "<caption" in page
    answer(requests[4].survey, prescriber, 2)
    page = client.get(RESULTS).content.decode()
    assert "3,60" in page and "Commentaire anonyme" in page  # (4×4 + 2) / 5
    assert prescriber.get_full_name() not in page
    by_buyer = client.get(RESULTS, {"by": "buyer", "year": date.today().year}).content.decode()
    assert "Résultats par acheteur" in by_buyer
    export = client.get(RESULTS, {"export": "csv"})
    assert export.status_code == 200 and "Sourcing et benchmark;5;5;100" in export.getvalue().decode()
    assert login(role_users[Role.PRESCRIBER]).get(RESULTS).status_code == 403


def test_the_administrator_edits_the_questions(login, role_users):
    client = login(role_users[Role.ADMIN])
    url = reverse("clients:question_list")
    assert client.get(url).status_code == 200
    question = SatisfactionQuestion.objects.get(position=4)
    prefix = f"q{question.pk}"
    response = client.post(url, {"question": question.pk, f"{prefix}-text": "Recommanderiez-vous ?",
                                 f"{prefix}-position": 4})  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.is_active) == ("Recommanderiez-vous ?", False)
    response = client.post(url, {"text": "Clarté du livrable", "position": 5, "is_active": "on"})
    assert response.status_code == 302 and SatisfactionQuestion.objects.filter(is_active=True).count() == 4
    assert client.post(url, {"text": "", "position": 6}).status_code == 200
    assert login(role_users[Role.BUYER]).get(url).status_code == 403
