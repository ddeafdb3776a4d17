"""The API of the supplier evaluation: suppliers' inclusion and location, incidents and QCD evaluations
(read, within the reader's scope), the results as the campaign's page gives them, and the answer write."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.evaluations.models import CampaignStatus, Evaluation, EvaluationStatus
from mutualis.evaluations.qcd.results import by_contract
from mutualis.organisations.roles import Role
from mutualis.www.evaluations.qcd_tables import campaign_results as page_results
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.evaluations.factories import make_incident
from tests.evaluations.qcd_factories import answer_all, launch
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.spend.spendmap_rows import make_line
from tests.suppliers.factories import SupplierFactory
from tests.tokens.factories import with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def setting(role_users, support, hospital, other_hospital):
    """One contract used by both hospitals in the first half of 2026 (30,000 € and 10,000 €), evaluated in
    an open campaign; each hospital has its referent."""
    contract = make_contract(
        buyer=support, available_to=[hospital, other_hospital], family=PurchaseFamilyFactory()
    )
    other_referent = MembershipFactory(
        user=UserFactory(username="referent_autre"), entity=other_hospital, role=Role.REFERENT
    ).user
    make_line(entity=hospital, year=2026, amount="30000.00", contract=contract, paid_on=date(2026, 2, 10))
    make_line(
        entity=other_hospital, year=2026, amount="10000.00", contract=contract, paid_on=date(2026, 5, 3)
    )
    campaign, _ = launch(role_users[Role.BUYER], contract=contract)
    evaluations = {e.entity_id: e for e in campaign.evaluations.all()}
    return {
        "contract": contract,
        "campaign": campaign,
        "own": evaluations[hospital.pk],
        "other": evaluations[other_hospital.pk],
        "referent": role_users[Role.REFERENT],
        "other_referent": other_referent,
        "buyer": role_users[Role.BUYER],
    }


def answer_url(evaluation):
    return reverse("api:evaluation-answer", args=[evaluation.pk])


def marks_of(evaluation, mark) -> dict:
    return {str(c.pk): mark for c in evaluation.campaign.criteria.all()}


# Suppliers


def test_suppliers_give_their_inclusion_and_location(api, role_users, support):
    # The territory's département comes from its members' communes (the factory's: 21).
    local = SupplierFactory(insee_code="21231", city="Dijon", is_siae=True)
    away = SupplierFactory(insee_code="75056", city="Paris")
    unknown = SupplierFactory(insee_code="")
    client = with_token(api, role_users[Role.PRESCRIBER])
    rows = {row["id"]: row for row in client.get(reverse("api:supplier-list")).json()["results"]}
    assert rows[local.pk]["in_territory"] is True and rows[local.pk]["is_siae"] is True
    assert rows[local.pk]["insee_code"] == "21231" and rows[local.pk]["city"] == "Dijon"
    assert rows[away.pk]["in_territory"] is False and rows[unknown.pk]["in_territory"] is None

    def ids(**query):
        response = client.get(reverse("api:supplier-list"), query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(in_territory="true") == {local.pk}
    assert ids(in_territory="false") == {away.pk}  # an unknown commune is neither
    assert ids(inclusive="true") == {local.pk}
    assert ids(in_territory="true", inclusive="false") == set()
    assert client.get(reverse("api:supplier-list"), {"in_territory": "peut-être"}).status_code == 400


def test_the_supplier_list_reads_the_territory_once(api, role_users, django_assert_max_num_queries):
    client = with_token(api, role_users[Role.ADMIN])
    client.get(reverse("api:supplier-list"))  # the token's first use is recorded
    SupplierFactory(insee_code="21231")
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("api:supplier-list"))
    for _ in range(9):
        SupplierFactory(insee_code="75056")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("api:supplier-list")).json()["count"] == 10


# Incidents


def test_an_entity_role_reads_its_own_entities_incidents(api, role_users, support, hospital, other_hospital):
    buyer = role_users[Role.BUYER]
    contract = make_contract(buyer=support, available_to=[hospital, other_hospital])
    own = make_incident(buyer, contract=contract, entity=hospital, penalty_amount=Decimal("150.00"))
    other = make_incident(buyer, contract=contract, entity=other_hospital, occurred_on=date(2026, 5, 4))

    referent = with_token(api, role_users[Role.REFERENT])
    rows = referent.get(reverse("api:incident-list")).json()["results"]
    assert [row["id"] for row in rows] == [own.pk]
    assert rows[0]["penalty_amount"] == "150.00" and rows[0]["entity"]["id"] == hospital.pk
    assert referent.get(reverse("api:incident-detail", args=[other.pk])).status_code == 404

    team = with_token(APIClient(), role_users[Role.GOVERNANCE])
    assert {r["id"] for r in team.get(reverse("api:incident-list")).json()["results"]} == {own.pk, other.pk}
    may = team.get(reverse("api:incident-list"), {"occurred_from": "2026-04-01", "entity": other_hospital.pk})
    assert [row["id"] for row in may.json()["results"]] == [other.pk]
    # An entity outside the reader's incidents is refused, not answered with an empty list.
    assert referent.get(reverse("api:incident-list"), {"entity": other_hospital.pk}).status_code == 400


def test_the_penalties_are_documented_as_never_a_gain(api, db):
    schema = api.get(reverse("api:schema"), {"format": "json"}).json()
    penalty = schema["components"]["schemas"]["Incident"]["properties"]["penalty_amount"]
    assert "jamais un gain" in penalty["description"]


# Evaluations: reading


def test_an_entity_role_reads_its_own_entities_evaluations(api, setting, role_users):
    referent = with_token(api, setting["referent"])
    rows = referent.get(reverse("api:evaluation-list")).json()["results"]
    assert [row["id"] for row in rows] == [setting["own"].pk]
    assert rows[0]["consumption"] == "30000.00" and rows[0]["status"] == EvaluationStatus.PENDING
    assert rows[0]["scores"] is None and rows[0]["marks"] == []
    assert referent.get(reverse("api:evaluation-detail", args=[setting["other"].pk])).status_code == 404
    # The campaign, with its period, scope and grid.
    campaign = referent.get(reverse("api:evaluation-campaign-detail", args=[setting["campaign"].pk])).json()
    assert campaign["status"] == CampaignStatus.OPEN and campaign["contract"]["id"] == setting["contract"].pk
    assert campaign["period_start"] == "2026-01-01" and len(campaign["criteria"]) > 0
    assert referent.get(reverse("api:evaluation-campaign-list")).json()["count"] == 1

    team = with_token(APIClient(), role_users[Role.LEGAL_OFFICER])
    assert team.get(reverse("api:evaluation-list")).json()["count"] == 2


# Evaluations: answering


def test_the_entity_referent_answers_and_reads_his_scores(api, setting):
    evaluation = setting["own"]
    response = with_token(api, setting["referent"]).post(
        answer_url(evaluation), {"marks": marks_of(evaluation, 4), "comment": "Très bien."}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == EvaluationStatus.ANSWERED and body["comment"] == "Très bien."
    assert body["scores"] == {"overall": "4.00", "quality": "4.00", "cost": "4.00", "delay": "4.00"}
    assert {m["value"] for m in body["marks"]} == {4}
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.ANSWERED and evaluation.answered_by == setting["referent"]


def test_not_concerned_needs_its_reason(api, setting):
    client = with_token(api, setting["referent"])
    url = answer_url(setting["own"])
    refused = client.post(url, {"not_concerned": True}, format="json")
    assert refused.status_code == 400 and "pas concernée" in refused.json()["comment"][0]
    done = client.post(url, {"not_concerned": True, "comment": "Marché repris par le GHT."}, format="json")
    assert done.status_code == 200 and done.json()["status"] == EvaluationStatus.NOT_CONCERNED


def test_only_the_evaluated_entity_referent_answers(api, setting, role_users):
    own, other = setting["own"], setting["other"]
    body = {"marks": marks_of(own, 3)}
    # Another entity's evaluation is outside the referent's scope; the buyer holds no right to answer.
    assert (
        with_token(api, setting["referent"]).post(answer_url(other), body, format="json").status_code == 404
    )
    buyer = with_token(APIClient(), setting["buyer"]).post(answer_url(own), body, format="json")
    assert buyer.status_code == 403
    other_referent = with_token(APIClient(), setting["other_referent"])
    assert other_referent.post(answer_url(own), body, format="json").status_code == 404
    # An administrator reads every evaluation but is no referent: refused, with the reason.
    admin = with_token(APIClient(), role_users[Role.ADMIN]).post(answer_url(own), body, format="json")
    assert admin.status_code == 403 and "référent" in admin.json()["detail"]
    own.refresh_from_db()
    assert own.status == EvaluationStatus.PENDING and not own.scores.exists()


def test_a_closed_campaign_takes_no_answer(api, setting):
    setting["campaign"].status = CampaignStatus.CLOSED
    setting["campaign"].save()
    response = with_token(api, setting["referent"]).post(
        answer_url(setting["own"]), {"marks": marks_of(setting["own"], 3)}, format="json"
    )
    assert response.status_code == 403 and "close" in response.json()["detail"]


def test_a_bad_mark_names_its_criterion_and_writes_nothing(api, setting):
    evaluation = setting["own"]
    answer_all(setting["referent"], evaluation, lambda criterion: 2)
    evaluation.refresh_from_db()
    before = (evaluation.version, sorted(evaluation.scores.values_list("criterion_id", "value")))
    criteria = list(evaluation.campaign.criteria.all())
    marks = marks_of(evaluation, 4)
    marks[str(criteria[0].pk)] = 5
    marks[str(criteria[1].pk)] = True  # not a mark, though Python reads it as 1
    del marks[str(criteria[2].pk)]
    client = with_token(api, setting["referent"])
    response = client.post(answer_url(evaluation), {"marks": marks}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert criteria[0].label in errors[f"criterion_{criteria[0].pk}"][0]
    assert "entre 1 et 4 (reçu : 5)" in errors[f"criterion_{criteria[0].pk}"][0]
    assert "reçu : true" in errors[f"criterion_{criteria[1].pk}"][0]
    assert errors[f"criterion_{criteria[2].pk}"] == [f"Notez le critère « {criteria[2].label} »."]

    unknown = client.post(
        answer_url(evaluation), {"marks": {**marks_of(evaluation, 3), "999999": 3}}, format="json"
    )
    assert unknown.status_code == 400 and "étrangers à la grille" in unknown.json()["detail"][0]
    garbled = client.post(answer_url(evaluation), {"marks": {"délais": 3}}, format="json")
    assert garbled.status_code == 400 and "délais" in garbled.json()["marks"][0]
    both = client.post(
        answer_url(evaluation), {"marks": marks_of(evaluation, 3), "not_concerned": True}, format="json"
    )
    assert both.status_code == 400

    evaluation.refresh_from_db()
    after = (evaluation.version, sorted(evaluation.scores.values_list("criterion_id", "value")))
    assert after == before


def test_a_stale_version_is_refused(api, setting):
    evaluation = setting["own"]
    read = evaluation.version
    answer_all(setting["referent"], evaluation, lambda criterion: 2)
    response = with_token(api, setting["referent"]).post(
        answer_url(evaluation), {"marks": marks_of(evaluation, 4), "version": read}, format="json"
    )
    assert response.status_code == 409 and response.json()["version"] == read + 1
    assert set(evaluation.scores.values_list("value", flat=True)) == {2}


# Results


def test_results_are_the_page_figures_worked_by_hand(api, setting, role_users):
    # 4 everywhere with 30,000 €, 2 everywhere with 10,000 €: (4 × 30,000 + 2 × 10,000) / 40,000 = 3.50.
    answer_all(setting["referent"], setting["own"], lambda criterion: 4)
    answer_all(setting["other_referent"], setting["other"], lambda criterion: 2)
    campaign = setting["campaign"]
    response = with_token(api, setting["referent"]).get(
        reverse("api:evaluation-campaign-results", args=[campaign.pk])
    )
    assert response.status_code == 200
    body = response.json()
    [contract] = body["contracts"]
    assert contract["contract"]["id"] == setting["contract"].pk
    expected = {"overall": "3.50", "quality": "3.50", "cost": "3.50", "delay": "3.50"}
    assert {key: contract[key] for key in expected} == expected
    assert (contract["answered"], contract["not_concerned"], contract["pending"]) == (2, 0, 0)
    assert contract["weighted_by_consumption"] is True
    assert body["overall"]["overall"] == "3.50"
    [supplier] = body["suppliers"]
    assert supplier["overall"] == "3.50"
    # The campaign's page says the same.
    page = page_results(campaign)
    assert str(page.contracts[0].result.shown()) == contract["overall"]
    assert str(page.suppliers[0].result.shown()) == supplier["overall"]
    evaluations = list(Evaluation.objects.filter(campaign=campaign).for_results())
    assert by_contract(evaluations)[setting["contract"].pk].weighted_by_consumption


def test_pending_and_not_concerned_are_counted_apart(api, setting):
    answer_all(setting["referent"], setting["own"], lambda criterion: 3)
    body = (
        with_token(api, setting["buyer"])
        .get(reverse("api:evaluation-campaign-results", args=[setting["campaign"].pk]))
        .json()
    )
    assert body["overall"]["overall"] == "3.00"
    assert (body["overall"]["answered"], body["overall"]["pending"]) == (1, 1)


# Query counts


def test_evaluation_and_incident_lists_do_not_grow_with_rows(
    api, role_users, support, hospital, django_assert_max_num_queries
):
    buyer, referent = role_users[Role.BUYER], role_users[Role.REFERENT]
    client = with_token(api, role_users[Role.ADMIN])

    def add(n):
        for _ in range(n):
            contract = make_contract(buyer=support, available_to=[hospital], family=PurchaseFamilyFactory())
            make_line(
                entity=hospital, year=2026, amount="100.00", contract=contract, paid_on=date(2026, 3, 1)
            )
            campaign, _ = launch(buyer, contract=contract, title=f"Évaluation {contract.pk}")
            answer_all(referent, campaign.evaluations.get(), lambda criterion: 3)
            make_incident(buyer, contract=contract, entity=hospital)

    routes = ["api:evaluation-list", "api:evaluation-campaign-list", "api:incident-list"]
    client.get(reverse(routes[0]))  # the token's first use is recorded
    add(1)
    counts = {}
    for route in routes:
        with django_assert_max_num_queries(20) as one:
            assert client.get(reverse(route)).json()["count"] == 1
        counts[route] = len(one.captured_queries)
    add(9)
    for route in routes:
        with django_assert_max_num_queries(counts[route]):
            assert client.get(reverse(route)).json()["count"] == 10
