"""QCD campaigns: who evaluates (activity over the period), answering, closing and the poor score's action."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mutualis.evaluations.campaign_workflow import CAMPAIGN
from mutualis.evaluations.models import CampaignStatus, Evaluation, EvaluationGrid, EvaluationStatus
from mutualis.evaluations.qcd.default_grid import DEFAULT_CRITERIA, default_grid
from mutualis.evaluations.qcd.results import by_contract, by_supplier
from mutualis.evaluations.services.answers import evaluation_answer, evaluation_not_concerned
from mutualis.evaluations.services.campaigns import campaign_remind, send_evaluation_reminders
from mutualis.notifications.models import Notification
from mutualis.organisations.roles import Role
from mutualis.steering.models import ImprovementAction
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.spend.spendmap_rows import make_line

from .qcd_factories import answer_all, launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(role_users, support, hospital, other_hospital):
    """A contract used by both hospitals in the first half of 2026; each has its referent."""
    family = PurchaseFamilyFactory()
    contract = make_contract(
        buyer=support, available_to=[hospital, other_hospital], family=family, manager=role_users[Role.BUYER]
    )
    other_referent = MembershipFactory(
        user=UserFactory(username="referent_autre"), entity=other_hospital, role=Role.REFERENT
    ).user
    make_line(entity=hospital, year=2026, amount="30000.00", contract=contract, paid_on=date(2026, 2, 10))
    make_line(
        entity=other_hospital, year=2026, amount="10000.00", contract=contract, paid_on=date(2026, 5, 3)
    )
    # Outside the period: neither counted nor enough to make the support establishment an evaluator.
    make_line(entity=support, year=2026, amount="90000.00", contract=contract, paid_on=date(2026, 7, 1))
    return {
        "family": family,
        "contract": contract,
        "buyer": role_users[Role.BUYER],
        "referent": role_users[Role.REFERENT],
        "other_referent": other_referent,
    }


def test_the_entities_with_activity_in_the_period_evaluate_with_their_consumption(
    setting, hospital, other_hospital
):
    campaign, report = launch(setting["buyer"], contract=setting["contract"])
    rows = {e.entity_id: e for e in campaign.evaluations.all()}
    assert set(rows) == {hospital.pk, other_hospital.pk} and report.evaluations == 2
    assert rows[hospital.pk].consumption == Decimal("30000.00")
    assert rows[other_hospital.pk].consumption == Decimal("10000.00")
    # The grid is copied: editing the default grid afterwards does not change the campaign's criteria.
    assert campaign.criteria.count() == len(DEFAULT_CRITERIA)
    default_grid().criteria.update(weight=50)
    assert sorted(campaign.criteria.values_list("weight", flat=True)) == sorted(
        c[2] for c in DEFAULT_CRITERIA
    )
    # Each referent is asked once.
    asked = Notification.objects.filter(key=f"qcd-{campaign.pk}-asked")
    assert {n.recipient for n in asked} == {setting["referent"], setting["other_referent"]}


def test_a_period_without_activity_is_not_evaluated(setting):
    with pytest.raises(ValidationError) as refused:
        launch(setting["buyer"], contract=setting["contract"], period=(date(2025, 1, 1), date(2025, 12, 31)))
    assert "aucun contrat avec titulaire n'a eu d'activité" in str(refused.value)
    assert not setting["contract"].evaluation_campaigns.exists()


def test_a_family_campaign_takes_its_contracts_in_force_and_reports_those_unused(setting, support, hospital):
    unused = make_contract(buyer=support, available_to=[hospital], family=setting["family"])
    ended = make_contract(
        buyer=support, family=setting["family"], notification_date=date(2024, 1, 1), firm_duration_months=6
    )
    make_line(entity=hospital, year=2026, amount="500.00", contract=ended, paid_on=date(2026, 3, 1))
    campaign, report = launch(setting["buyer"], family=setting["family"])
    assert set(campaign.evaluations.values_list("contract_id", flat=True)) == {setting["contract"].pk}
    assert report.without_activity == [unused] or set(report.without_activity) == {unused}


def test_orders_on_a_framework_make_an_evaluator_whose_consumption_is_unknown(setting, support, hospital):
    framework = make_contract(buyer=support, available_to=[hospital], techniques=["Accord-cadre"])
    make_contract(buyer=hospital, framework=framework, notification_date=date(2026, 4, 1))
    campaign, _ = launch(setting["buyer"], contract=framework)
    (evaluation,) = campaign.evaluations.all()
    assert evaluation.entity == hospital and evaluation.orders == 1 and evaluation.consumption is None


def test_only_the_team_launches(setting):
    with pytest.raises(PermissionDenied):
        launch(setting["referent"], contract=setting["contract"])


def test_answers_weighted_by_consumption_and_not_concerned(setting, hospital, other_hospital):
    campaign, _ = launch(setting["buyer"], contract=setting["contract"])
    mine = campaign.evaluations.get(entity=hospital)
    theirs = campaign.evaluations.get(entity=other_hospital)
    answer_all(setting["referent"], mine, lambda c: 4)
    answer_all(setting["other_referent"], theirs, lambda c: 2)
    evaluations = list(Evaluation.objects.filter(campaign=campaign).for_results())
    result = by_contract(evaluations)[setting["contract"].pk]
    # (4 × 30 000 + 2 × 10 000) / 40 000 = 3.5
    assert result.overall == Decimal("3.5") and result.weighted_by_consumption
    supplier = setting["contract"].holder_links.get().supplier_id
    assert by_supplier(evaluations)[supplier].overall == Decimal("3.5")
    evaluation_not_concerned(actor=setting["other_referent"], evaluation=theirs, reason="Plus utilisé.")
    result = by_contract(list(Evaluation.objects.filter(campaign=campaign).for_results()))
    assert result[setting["contract"].pk].overall == Decimal(4)
    assert not theirs.scores.exists()


def test_a_referent_answers_for_his_own_entity_only_and_every_criterion(setting, other_hospital, hospital):
    campaign, _ = launch(setting["buyer"], contract=setting["contract"])
    theirs = campaign.evaluations.get(entity=other_hospital)
    with pytest.raises(PermissionDenied):
        answer_all(setting["referent"], theirs, lambda c: 3)
    mine = campaign.evaluations.get(entity=hospital)
    first = campaign.criteria.first()
    with pytest.raises(ValidationError) as refused:
        evaluation_answer(actor=setting["referent"], evaluation=mine, marks={first.pk: 5})
    messages = refused.value.message_dict
    assert "doit être comprise entre 1 et 4" in messages[f"criterion_{first.pk}"][0]
    assert len(messages) == len(DEFAULT_CRITERIA)
    mine.refresh_from_db()
    assert mine.status == EvaluationStatus.PENDING and not mine.scores.exists()


def test_closing_opens_one_action_for_a_poor_score_and_freezes_the_answers(setting, hospital, other_hospital):
    campaign, _ = launch(setting["buyer"], contract=setting["contract"])
    answer_all(setting["referent"], campaign.evaluations.get(entity=hospital), lambda c: 2)
    CAMPAIGN.apply(campaign, "close", setting["buyer"])
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    (action,) = campaign.actions.all()
    assert action.contract == setting["contract"] and action.owner == setting["buyer"]
    assert "Note globale 2.00 / 4" in action.description
    with pytest.raises(ValidationError):
        answer_all(setting["other_referent"], campaign.evaluations.get(entity=other_hospital), lambda c: 4)
    # Reopened and closed again: no second action for the same contract.
    CAMPAIGN.apply(campaign, "reopen", setting["buyer"], comment="Réponse tardive attendue")
    CAMPAIGN.apply(campaign, "close", setting["buyer"])
    assert ImprovementAction.objects.filter(contract=setting["contract"]).count() == 1


def test_a_good_score_opens_no_action_and_a_family_grid_sets_the_threshold(setting, hospital):
    grid = EvaluationGrid.objects.create(family=setting["family"], alert_below=Decimal("3.50"))
    for criterion in default_grid().criteria.all():
        criterion.pk, criterion.grid = None, grid
        criterion.save()
    campaign, _ = launch(setting["buyer"], contract=setting["contract"])
    assert campaign.alert_below == Decimal("3.50")
    answer_all(setting["referent"], campaign.evaluations.get(entity=hospital), lambda c: 3)
    CAMPAIGN.apply(campaign, "close", setting["buyer"])
    assert campaign.actions.count() == 1  # 3 is poor against this family's 3.5
    campaign2, _ = launch(setting["buyer"], contract=setting["contract"], title="Deuxième")
    answer_all(setting["referent"], campaign2.evaluations.get(entity=hospital), lambda c: 4)
    CAMPAIGN.apply(campaign2, "close", setting["buyer"])
    assert campaign2.actions.count() == 0


def test_a_reminder_reaches_only_the_referents_still_to_answer(setting, hospital):
    campaign, _ = launch(setting["buyer"], contract=setting["contract"])
    answer_all(setting["referent"], campaign.evaluations.get(entity=hospital), lambda c: 3)
    assert campaign_remind(actor=setting["buyer"], campaign=campaign) == 1
    reminded = Notification.objects.filter(key__startswith=f"qcd-{campaign.pk}-reminder")
    assert [n.recipient for n in reminded] == [setting["other_referent"]]
    # Twice the same day: sent once.
    campaign_remind(actor=setting["buyer"], campaign=campaign)
    assert reminded.count() == 1


def test_the_daily_job_reminds_a_week_and_a_day_before_and_the_day_after(setting, hospital):
    campaign, _ = launch(setting["buyer"], contract=setting["contract"])
    answer_all(setting["referent"], campaign.evaluations.get(entity=hospital), lambda c: 3)
    due = campaign.answer_by
    sent = {}
    for offset in range(-3, 10):
        day = due - timedelta(days=offset)
        sent[offset] = send_evaluation_reminders(today=day)
    # Only the referent who has not answered, on the three days, and once on each of them.
    assert [offset for offset, (campaigns, _) in sorted(sent.items()) if campaigns] == [-1, 1, 7]
    assert all(referents == 1 for campaigns, referents in sent.values() if campaigns)
    reminded = Notification.objects.filter(key__startswith=f"qcd-{campaign.pk}-reminder")
    assert reminded.count() == 3 and {n.recipient for n in reminded} == {setting["other_referent"]}
    assert send_evaluation_reminders(today=due - timedelta(days=1)) == (1, 1)
    assert reminded.count() == 3  # the same day again: nothing new
    CAMPAIGN.apply(campaign, "close", setting["buyer"])
    assert send_evaluation_reminders(today=due - timedelta(days=1)) == (0, 0)
