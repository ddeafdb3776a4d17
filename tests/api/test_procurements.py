"""REST API of procurement projects: the same scope as the pages, a walked project's payload, its stage
history, moves along the map allowed to the same roles as in the interface, bounded queries, schema."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from mutualis.contracts.models import Contract
from mutualis.organisations.roles import Role
from mutualis.procurements.models import ProcessMap, Project, ProjectStatus, StageCode, StageTransition
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.procurements.factories import declare_grid, new_project, walk_to
from tests.tokens.factories import with_token


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def ready(team, support, hospital):
    """A project at its first stage with everything that stage needs: entities, buyer entity, value, a
    lot, the buyer and the legal officer."""
    buyer, legal = team
    return new_project(
        buyer, entities=[hospital], buyer=buyer, legal_officer=legal, buyer_entity=support, object="Prêt"
    )


def detail(project):
    return reverse("api:project-detail", args=[project.pk])


def transitions(project):
    return reverse("api:project-transitions", args=[project.pk])


def test_anonymous_is_refused(api, ready):
    assert api.get(reverse("api:project-list")).status_code == 401
    assert api.get(transitions(ready)).status_code == 401
    assert api.post(transitions(ready), {"action": "advance"}, format="json").status_code == 401
    assert api.get(reverse("api:process-map")).status_code == 401


def test_entity_role_sees_only_the_projects_of_its_entities(api, role_users, team, hospital, other_hospital):
    buyer, _ = team
    mine = new_project(buyer, entities=[hospital], object="Pour le centre membre")
    other = new_project(buyer, entities=[other_hospital], object="Pour un autre centre")
    client = with_token(api, role_users[Role.REFERENT])
    results = client.get(reverse("api:project-list")).json()["results"]
    assert [p["id"] for p in results] == [mine.pk]
    assert client.get(detail(mine)).status_code == 200
    assert client.get(detail(other)).status_code == 404
    assert client.get(transitions(other)).status_code == 404
    team_view = with_token(APIClient(), role_users[Role.GOVERNANCE]).get(reverse("api:project-list"))
    assert {p["id"] for p in team_view.json()["results"]} == {mine.pk, other.pk}


def test_walked_project_payload_and_history(api, team, support, hospital):
    buyer, legal = team
    project = new_project(
        buyer, entities=[hospital], value="300000", buyer=buyer, legal_officer=legal, buyer_entity=support
    )
    project = walk_to(project, StageCode.EXECUTION, buyer=buyer, legal=legal)
    client = with_token(api, buyer)
    data = client.get(detail(project)).json()
    assert data["reference"] == project.reference and data["reference"].startswith("P")
    assert data["family"] == {
        "id": project.family_id,
        "code": project.family.code,
        "label": project.family.label,
    }
    assert data["cpv"] == "33141000"
    assert data["entities"] == [{"id": hospital.pk, "name": hospital.name}]
    assert data["buyer_entity"] == {"id": support.pk, "name": support.name}
    assert data["purchasing_group"] is None
    assert data["buyer"] == {"id": buyer.pk, "name": str(buyer)}
    assert data["legal_officer"] == {"id": legal.pk, "name": str(legal)}
    assert data["estimated_value"] == "300000.00"
    assert data["procedure"] == "procedure_formalisee" and data["procedure_explanation"]
    assert data["thresholds_version"] and data["contract_procedure"] == "Appel d'offres ouvert"
    assert data["is_emergency"] is False and data["emergency_justification"] == ""
    assert data["planned_launch_quarter"] == "2026-T3"
    assert data["launched_on"] == data["published_on"] == "2026-09-01"
    assert data["tender_deadline"] == "2026-10-06"
    assert data["status"] == ProjectStatus.IN_PROGRESS
    assert data["stage"]["code"] == StageCode.EXECUTION
    assert data["stage"]["label"] == project.stage.label
    assert data["stage"]["responsible_role"] == project.stage.responsible_role
    assert data["stage"]["due_on"] is None and data["is_late"] is False
    assert data["process_map_version"] == project.process_map.version
    assert [(c["label"], c["kind"], c["weight"]) for c in data["criteria"]] == [
        ("Prix", "price", "50.00"),
        ("Valeur technique", "technical", "40.00"),
        ("Performance environnementale", "environmental", "10.00"),
    ]
    (lot,) = data["lots"]
    stored = project.lots.get()
    assert lot["number"] == 1 and lot["status"] == "awarded" and lot["estimated_value"] == "300000.00"
    supplier = stored.awarded_offer.supplier
    assert lot["awarded_supplier"] == {"id": supplier.pk, "name": supplier.name}
    assert lot["contract"] == stored.contract_id and Contract.objects.filter(pk=lot["contract"]).exists()
    assert lot["contract_url"].endswith(reverse("api:contract-detail", args=[stored.contract_id]))
    assert client.get(lot["contract_url"]).json()["id"] == stored.contract_id

    history = client.get(transitions(project)).json()
    rows = list(project.transitions.all())
    assert len(history) == len(rows) and {h["action"] for h in history} == {"advance"}
    first, last = history[0], history[-1]
    assert first["from_stage"]["code"] == StageCode.NEED and first["to_stage"]["code"] == StageCode.SOURCING
    assert first["by"] == {"id": buyer.pk, "name": str(buyer)} and first["was_late"] is False
    assert last["to_stage"]["code"] == StageCode.EXECUTION
    assert last["by"]["id"] == legal.pk
    assert StageCode.NEGOTIATION not in {h["from_stage"]["code"] for h in history}


def test_the_stage_responsible_advances_a_ready_project(api, team, ready):
    buyer, _ = team
    response = with_token(api, buyer).post(
        transitions(ready), {"action": "advance", "comment": "Besoin validé"}, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert data["project"]["id"] == ready.pk
    assert data["project"]["stage"]["code"] == StageCode.SOURCING
    assert data["project"]["stage"]["due_on"] is not None and data["project"]["is_late"] is False
    assert data["transition"]["action"] == "advance" and data["transition"]["comment"] == "Besoin validé"
    assert data["transition"]["from_stage"]["code"] == StageCode.NEED
    assert data["transition"]["to_stage"]["code"] == StageCode.SOURCING
    assert data["transition"]["by"]["id"] == buyer.pk
    assert data["transition"]["was_late"] is True  # created on the launch date, its due date is past
    row = StageTransition.objects.get(project=ready)
    assert data["transition"]["id"] == row.pk and row.by == buyer
    assert Project.objects.get(pk=ready.pk).stage.code == StageCode.SOURCING


def test_missing_preconditions_are_refused_with_their_reasons(api, team, hospital):
    buyer, _ = team
    project = new_project(buyer, entities=[hospital])  # no buyer entity, buyer or legal officer
    response = with_token(api, buyer).post(transitions(project), {"action": "advance"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": [
            "Indiquez l'entité acheteuse.",
            "Désignez l'acheteur en charge.",
            "Désignez le juriste en charge.",
        ]
    }
    assert not project.transitions.exists()
    assert Project.objects.get(pk=project.pk).stage.code == StageCode.NEED


def test_legal_officer_may_not_validate_a_buyer_stage(api, team, ready):
    _, legal = team
    response = with_token(api, legal).post(transitions(ready), {"action": "advance"}, format="json")
    assert response.status_code == 403
    assert not ready.transitions.exists()


@pytest.mark.parametrize("role", [Role.GOVERNANCE, Role.REFERENT, Role.PRESCRIBER])
def test_roles_without_project_management_may_not_try(api, role_users, ready, role):
    client = with_token(api, role_users[role])
    assert client.get(transitions(ready)).status_code == 200  # reading the history is allowed
    response = client.post(transitions(ready), {"action": "advance"}, format="json")
    assert response.status_code == 403
    assert not ready.transitions.exists()


def test_send_back_and_abandon_require_a_comment(api, team, ready):
    buyer, _ = team
    client = with_token(api, buyer)
    for action in ("send_back", "abandon"):
        response = client.post(transitions(ready), {"action": action, "comment": "  "}, format="json")
        assert response.status_code == 400
        assert response.json() == {"comment": ["Un commentaire est obligatoire pour cette action."]}
    response = client.post(transitions(ready), {"action": "send_back", "comment": "Revoir"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": ["Le projet est à sa première étape."]}
    response = client.post(
        transitions(ready), {"action": "abandon", "comment": "Besoin disparu"}, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert data["project"]["status"] == ProjectStatus.ABANDONED and data["transition"]["to_stage"] is None
    response = client.post(transitions(ready), {"action": "advance"}, format="json")
    assert response.status_code == 400 and "sans suite" in response.json()["detail"][0]


def test_unknown_action_and_unknown_project(api, team, ready):
    buyer, _ = team
    client = with_token(api, buyer)
    response = client.post(transitions(ready), {"action": "skip"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["action"]
    missing = reverse("api:project-transitions", args=[ready.pk + 1000])
    assert client.post(missing, {"action": "advance"}, format="json").status_code == 404
    assert client.get(missing).status_code == 404


def test_send_back_by_the_stage_responsible(api, team, ready):
    buyer, _ = team
    client = with_token(api, buyer)
    assert client.post(transitions(ready), {"action": "advance"}, format="json").status_code == 201
    response = client.post(
        transitions(ready), {"action": "send_back", "comment": "Lots à revoir"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["project"]["stage"]["code"] == StageCode.NEED
    history = client.get(transitions(ready)).json()
    assert [h["action"] for h in history] == ["advance", "send_back"]
    assert history[1]["comment"] == "Lots à revoir"


def test_project_filters(api, team, support, hospital):
    buyer, legal = team
    family = PurchaseFamilyFactory(code="LABO")
    walked = new_project(
        buyer,
        entities=[hospital],
        family=family,
        buyer=buyer,
        legal_officer=legal,
        buyer_entity=support,
        object="Réactifs de biologie",
    )
    walked = walk_to(walked, StageCode.STRATEGY, buyer=buyer, legal=legal)
    urgent = new_project(
        buyer,
        entities=[hospital],
        object="Réparation urgente",
        is_emergency=True,
        emergency_justification="Inondation du bloc opératoire.",
    )
    on_time = new_project(buyer, entities=[hospital], object="Papeterie")
    Project.objects.filter(pk=on_time.pk).update(stage_due_on=None)
    abandoned = new_project(buyer, entities=[hospital], object="Abandonné")
    client = with_token(api, buyer)
    client.post(transitions(abandoned), {"action": "abandon", "comment": "Plus utile"}, format="json")

    def ids(**params):
        response = client.get(reverse("api:project-list"), params)
        assert response.status_code == 200
        return {p["id"] for p in response.json()["results"]}

    assert ids(stage=StageCode.STRATEGY) == {walked.pk}
    assert ids(stage=StageCode.NEED) == {urgent.pk, on_time.pk, abandoned.pk}
    assert ids(status=ProjectStatus.ABANDONED) == {abandoned.pk}
    assert ids(family="LABO") == ids(family=str(family.pk)) == {walked.pk}
    assert ids(buyer=buyer.pk) == {walked.pk}
    assert ids(emergency="true") == {urgent.pk}
    assert ids(emergency="false") == {walked.pk, on_time.pk, abandoned.pk}
    assert ids(late="true") == {walked.pk, urgent.pk}
    assert ids(late="false") == {on_time.pk, abandoned.pk}
    assert ids(q="réactifs") == {walked.pk}
    assert client.get(reverse("api:project-list"), {"stage": "inconnue"}).status_code == 400


def test_project_list_queries_do_not_grow(api, team, support, hospital, django_assert_max_num_queries):
    buyer, legal = team
    client = with_token(api, buyer)
    url = reverse("api:project-list")

    def add(n):
        for _ in range(n):
            project = new_project(
                buyer, entities=[hospital], buyer=buyer, legal_officer=legal, buyer_entity=support
            )
            declare_grid(buyer, project)

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()["results"]) == 2
    add(8)
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(url).json()["results"]) == 10


def test_process_map_endpoint(api, role_users):
    current = ProcessMap.objects.current()
    response = with_token(api, role_users[Role.PRESCRIBER]).get(reverse("api:process-map"))
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == current.version and data["label"] == current.label
    stages = data["stages"]
    assert [s["code"] for s in stages] == list(current.stages.values_list("code", flat=True))
    assert [s["position"] for s in stages] == sorted(s["position"] for s in stages)
    need = stages[0]
    assert need["code"] == StageCode.NEED and need["responsible_role"] == Role.BUYER
    assert need["expected_days"] > 0 and "Appel d'offres ouvert" in need["procedures"]


def test_openapi_schema_documents_projects_without_warnings(client, db, tmp_path):
    paths = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()["paths"]
    assert {"/api/v1/projects/", "/api/v1/projects/{id}/", "/api/v1/process-map/"} <= set(paths)
    operations = paths["/api/v1/projects/{id}/transitions/"]
    assert {"get", "post"} <= set(operations)
    assert {"201", "400", "403", "404"} <= set(operations["post"]["responses"])
    parameters = {p["name"] for p in paths["/api/v1/projects/"]["get"]["parameters"]}
    assert {"stage", "status", "family", "buyer", "late", "emergency", "q", "page"} <= parameters
    GENERATOR_STATS.reset()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
