"""The API filters with the pages' filter sets, plus the identifier-based names its clients use; values
that mean nothing are refused with a 400 naming the parameter (core/filters.py)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.core.filters import MAX_ID, YES_NO_MESSAGE
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.organisations.factories import EntityFactory
from tests.tokens.factories import api_token


def test_family_by_code_for_the_api_and_by_id_for_the_page(client, role_users, support):
    family = PurchaseFamilyFactory(code="LABO-01")
    chosen = make_contract(buyer=support, family=family)
    make_contract(buyer=support, family=PurchaseFamilyFactory())
    buyer = role_users[Role.BUYER]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(buyer)}")

    def api_ids(**params):
        response = api.get(reverse("api:contract-list"), params)
        return response.status_code, [c["id"] for c in response.json().get("results", [])]

    assert api_ids(family="LABO-01") == api_ids(family=str(family.pk)) == (200, [chosen.pk])
    assert api_ids(family="INCONNUE")[0] == 400
    client.force_login(buyer)
    page = client.get(reverse("contracts:contract_list"), {"family": family.pk})
    assert [row.record for row in page.context["table"].paginated_rows] == [chosen]


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return api


@pytest.mark.parametrize(
    "value",
    ["9223372036854775808", "99999999999999999999", "0", "-3", "²", "1.5", "abc", " 7"],
    ids=["above-bigint", "20-digits", "zero", "negative", "superscript-two", "decimal", "text", "space"],
)
def test_an_id_filter_refuses_what_is_not_an_id_naming_the_parameter(role_users, value):
    response = token_client(role_users[Role.BUYER]).get(reverse("api:project-list"), {"buyer": value})
    assert response.status_code == 400
    assert response.json() == {"buyer": [f"Entier attendu entre 1 et {MAX_ID}."]}


def test_an_id_filter_still_finds_its_record(role_users, project):
    buyer = role_users[Role.BUYER]
    response = token_client(buyer).get(reverse("api:project-list"), {"buyer": str(buyer.pk)})
    assert [p["id"] for p in response.json()["results"]] == [project.pk]


@pytest.mark.parametrize("value", ["²", "12345678901234567890", "٣"])
def test_family_by_code_or_id_refuses_unknown_digits_instead_of_failing(role_users, value):
    response = token_client(role_users[Role.BUYER]).get(reverse("api:project-list"), {"family": value})
    assert response.status_code == 400 and list(response.json()) == ["family"]


def test_family_code_made_of_digits_is_found_by_its_code(role_users, support):
    family = PurchaseFamilyFactory(code="2024")
    chosen = make_contract(buyer=support, family=family)
    response = token_client(role_users[Role.BUYER]).get(reverse("api:contract-list"), {"family": "2024"})
    assert [c["id"] for c in response.json()["results"]] == [chosen.pk]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", {"active"}), ("1", {"active"}), ("oui", {"active"}), ("True", {"active"}),
     ("false", {"idle"}), ("0", {"idle"}), ("non", {"idle"}), ("", {"active", "idle"})],
)  # fmt: skip
def test_yes_no_filters_read_1_0_oui_non(role_users, support, value, expected):
    EntityFactory(name="idle", is_active=False)
    EntityFactory(name="active")
    response = token_client(role_users[Role.BUYER]).get(reverse("api:entity-list"), {"is_active": value})
    names = {e["name"] for e in response.json()["results"]} - {support.name, "Centre hospitalier membre"}
    assert names == expected


def test_the_former_emergency_filter_reads_1_and_0_too(role_users, project):
    client = token_client(role_users[Role.BUYER])
    urgent = client.get(reverse("api:project-list"), {"emergency": "1"}).json()["results"]
    ordinary = client.get(reverse("api:project-list"), {"emergency": "0"}).json()["results"]
    assert urgent == [] and [p["id"] for p in ordinary] == [project.pk]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [("api:entity-list", "is_active"), ("api:contract-list", "is_framework"), ("api:project-list", "late"),
     ("api:project-list", "emergency"), ("api:project-list", "is_emergency"),
     ("api:contract-list", "decision_overdue")],
)  # fmt: skip
@pytest.mark.parametrize("value", ["peut-être", "2", "yes please", "null"])
def test_yes_no_filters_refuse_nonsense(role_users, url, parameter, value):
    response = token_client(role_users[Role.BUYER]).get(reverse(url), {parameter: value})
    assert response.status_code == 400
    assert response.json() == {parameter: [YES_NO_MESSAGE]}


def test_late_projects_with_1_and_0(role_users, project):
    client = token_client(role_users[Role.BUYER])
    # Its first stage's due date is already past: it is late.
    late = client.get(reverse("api:project-list"), {"late": "1"}).json()["results"]
    on_time = client.get(reverse("api:project-list"), {"late": "0"}).json()["results"]
    assert [p["id"] for p in late] == [project.pk] and on_time == []


def test_the_page_keeps_its_yes_no_select(client, role_users):
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("organisations:entity_list"), {"is_active": "1"})
    assert page.status_code == 200
    assert '<option value="true" selected>Oui</option>' in page.content.decode()
    refused = client.get(reverse("organisations:entity_list"), {"is_active": "bof"})
    assert YES_NO_MESSAGE.replace("'", "&#x27;") in refused.content.decode()
