"""The demo's supplier evaluation: incidents on a contract two referents use, a completed QCD campaign
whose poor score opened an improvement action, and a campaign in progress the referent still has to
answer."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.demo.evaluations import load_evaluations
from mutualis.evaluations.models import (
    CampaignStatus,
    Evaluation,
    EvaluationCampaign,
    EvaluationStatus,
    Incident,
    IncidentStatus,
)
from mutualis.organisations.models import User
from mutualis.steering.models import ImprovementKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def test_a_completed_campaign_with_its_poor_score_s_action_and_one_in_progress():
    closed = EvaluationCampaign.objects.get(status=CampaignStatus.CLOSED)
    running = EvaluationCampaign.objects.get(status=CampaignStatus.OPEN)
    (action,) = closed.actions.all()
    assert action.kind == ImprovementKind.CORRECTIVE and action.title.startswith(
        "Évaluation QCD insuffisante"
    )
    answered = closed.evaluations.filter(status=EvaluationStatus.ANSWERED)
    assert set(answered.values_list("answered_by__username", flat=True)) == {"referent", "referente"}
    assert answered.filter(contract=action.contract).count() == 2
    assert (
        running.evaluations.filter(status=EvaluationStatus.ANSWERED).get().answered_by.username == "referente"
    )


def test_incidents_on_the_poorly_scored_contract_one_closed_with_its_penalties():
    closed = EvaluationCampaign.objects.get(status=CampaignStatus.CLOSED)
    incidents = Incident.objects.filter(contract=closed.actions.get().contract)
    assert incidents.count() == 2
    done = incidents.get(status=IncidentStatus.CLOSED)
    assert done.penalty_amount == 150 and closed.period_start <= done.occurred_on <= closed.period_end


def test_the_referent_finds_his_evaluation_to_fill_in_on_his_home_page(client):
    referent = User.objects.get(username="referent")
    pending = Evaluation.objects.to_answer_by(referent)
    assert pending.count() == 1
    client.force_login(referent)
    page = client.get(reverse("www:home"))
    section = next(s for s in page.context["sections"] if s.key == "evaluations")
    assert [item.count for item in section.items] == [1]


def test_loading_again_adds_nothing():
    before = (EvaluationCampaign.objects.count(), Incident.objects.count(), Evaluation.objects.count())
    people = {user.username: user for user in User.objects.all()}
    assert load_evaluations(people, timezone.localdate()) == 2
    assert (
        EvaluationCampaign.objects.count(),
        Incident.objects.count(),
        Evaluation.objects.count(),
    ) == before
