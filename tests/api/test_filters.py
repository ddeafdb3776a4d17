"""The API filters with the pages' filter sets, plus the identifier-based names its clients use."""

from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
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
