"""What the OpenAPI schema promises beyond the serializers (api/schema.py): every error answer an
operation can give, with its body, and nulls where the model has no value."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.organisations.roles import Role
from tests.contracts.factories import make_contract
from tests.tokens.factories import api_token

ERROR = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS = {"$ref": "#/components/schemas/FieldErrors"}


@pytest.fixture
def schema(client, db):
    return client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()


def body(operation, status):
    return operation["responses"][status]["content"]["application/json"]["schema"]


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


PUBLIC = {"POST /api/v1/procedure-estimate", "POST /api/v1/gains/estimate"}
PORTAL = "GET /api/v1/portail/"  # the public portal's API (api/portal.py): no authentication either


def test_every_protected_operation_documents_401_and_403(schema):
    for label, operation in operations(schema):
        if label in PUBLIC or label.startswith(PORTAL):
            assert {"401", "403"}.isdisjoint(operation["responses"]), label  # no authentication
            continue
        assert body(operation, "401") == body(operation, "403") == ERROR, label


def test_the_portal_api_documents_no_authentication_but_its_throttle(schema):
    portal = [(label, operation) for label, operation in operations(schema) if label.startswith(PORTAL)]
    assert len(portal) == 7
    for label, operation in portal:
        assert operation["security"] == [{}], label
        assert body(operation, "429") == body(operation, "404") == ERROR, label


def test_not_found_bad_request_and_throttled_are_documented_where_they_happen(schema):
    found = dict(operations(schema))
    for label, operation in found.items():
        if "{id}" in label:
            assert body(operation, "404") == ERROR, label
        if label.startswith("POST"):
            assert body(operation, "400") == FIELD_ERRORS, label
    for label in ("GET /api/v1/contracts/", "GET /api/v1/projects/", "GET /api/v1/entities/"):
        assert body(found[label], "400") == FIELD_ERRORS and body(found[label], "404") == ERROR, label
    for label in PUBLIC:
        assert found[label]["responses"]["429"]["headers"] == {"Retry-After": {"schema": {"type": "integer"}}}
    transition = found["POST /api/v1/projects/{id}/transitions/"]["responses"]["400"]
    assert transition["description"] == "Préalables non remplis ou commentaire manquant."
    field_errors = schema["components"]["schemas"]["FieldErrors"]
    assert field_errors["additionalProperties"]["anyOf"][0] == {"type": "array", "items": {"type": "string"}}


def test_shared_filters_document_their_exact_values(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    assert parameters["buyer"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert parameters["late"]["schema"] == {
        "type": "string",
        "enum": ["", "true", "1", "oui", "false", "0", "non"],
    }
    assert parameters["family"]["schema"] == {"type": "string"}
    assert parameters["family"]["description"].startswith("Famille d'achat.")


def test_contract_without_group_framework_or_family_gives_documented_nulls(schema, role_users, support):
    contract = make_contract(buyer=support)
    properties = schema["components"]["schemas"]["Contract"]["properties"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(role_users[Role.BUYER])}")
    data = api.get(reverse("api:contract-detail", args=[contract.pk])).json()
    for name in ("purchasing_group", "framework_reference", "family"):
        assert data[name] is None and properties[name]["nullable"] is True, name
