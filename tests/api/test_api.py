"""REST API: token authentication, the same scoping as the pages, bounded queries, OpenAPI schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.organisations.roles import TERRITORY_WIDE_ROLES, Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.suppliers.factories import SupplierFactory
from tests.tokens.factories import with_token

ENDPOINTS = ["entity", "supplier", "purchase-family", "contract"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def registry(support, hospital, other_hospital):
    return {
        "pooled": make_contract(buyer=support, reference="POOL-1", available_to=[hospital]),
        "other": make_contract(buyer=other_hospital, reference="OTHER-1"),
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_is_refused(api, db, endpoint):
    assert api.get(reverse(f"api:{endpoint}-list")).status_code == 401


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_role_reads_every_endpoint_within_its_scope(api, role_users, registry, role, endpoint):
    PurchaseFamilyFactory()
    SupplierFactory()
    response = with_token(api, role_users[role]).get(reverse(f"api:{endpoint}-list"))
    assert response.status_code == 200
    results = response.json()["results"]
    team = role in TERRITORY_WIDE_ROLES
    if endpoint == "contract":
        assert {c["reference"] for c in results} == ({"POOL-1", "OTHER-1"} if team else {"POOL-1"})
        other = registry["other"].pk
        assert api.get(reverse("api:contract-detail", args=[other])).status_code == (200 if team else 404)
    if endpoint == "entity":
        assert len(results) == (3 if team else 1)


def test_user_without_role_gets_403(api, db):
    from tests.organisations.factories import UserFactory

    assert with_token(api, UserFactory()).get(reverse("api:contract-list")).status_code == 403


def test_contract_payload_carries_decp_fields(api, role_users, registry, hospital):
    response = with_token(api, role_users[Role.BUYER]).get(
        reverse("api:contract-detail", args=[registry["pooled"].pk])
    )
    data = response.json()
    assert data["uid"] == registry["pooled"].buyer.siret + "POOL-1"
    assert data["cpv"] == "33141000" and data["duration_months"] == 12 and data["amount"] == "100000.00"
    assert data["available_to"] == [hospital.siret]
    assert data["holders"][0]["identifier_kind"] == "SIRET"
    assert data["end_date"] == "2026-12-31"


def test_contract_filters(api, role_users, registry):
    client = with_token(api, role_users[Role.BUYER])
    siret = registry["other"].buyer.siret
    results = client.get(reverse("api:contract-list"), {"buyer_siret": siret}).json()["results"]
    assert [c["reference"] for c in results] == ["OTHER-1"]
    holder = registry["pooled"].holders.get().identifier
    results = client.get(reverse("api:contract-list"), {"supplier": holder}).json()["results"]
    assert [c["reference"] for c in results] == ["POOL-1"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_api_lists_queries_do_not_grow(api, role_users, support, hospital, endpoint):
    client = with_token(api, role_users[Role.BUYER])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"api:{endpoint}-list")).status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            family = PurchaseFamilyFactory()
            family.cpv_codes.set(["33141000", "33140000"])
            make_contract(
                buyer=support, available_to=[hospital], holders=[SupplierFactory(), SupplierFactory()]
            )

    count()  # the first request also records the token's use
    add(2)
    few = count()
    add(10)
    assert count() == few


def test_openapi_schema_and_docs_page(client, role_users):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {
        "/api/v1/contracts/",
        "/api/v1/entities/",
        "/api/v1/suppliers/",
        "/api/v1/purchase-families/",
    } <= set(paths)
    docs = client.get(reverse("api:docs")).content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


@pytest.mark.parametrize(
    ("payload", "procedure", "publicity"),
    [
        (
            {"nature": "fournitures", "estimated_amount": "59999.99"},
            "sans_publicite_ni_mise_en_concurrence",
            "aucune",
        ),
        ({"nature": "fournitures", "estimated_amount": "60000"}, "procedure_adaptee", "libre"),
        ({"nature": "services", "estimated_amount": "90000"}, "procedure_adaptee", "boamp_ou_jal"),
        ({"nature": "services", "estimated_amount": "216000"}, "procedure_formalisee", "joue_et_boamp"),
        ({"nature": "travaux", "estimated_amount": "5403999.99"}, "procedure_adaptee", "boamp_ou_jal"),
    ],
)
def test_procedure_estimate_endpoint(api, db, payload, procedure, publicity):
    body = {"buyer_kind": "autre_pouvoir_adjudicateur", "launch_date": "2026-06-01", **payload}
    response = api.post(reverse("api:procedure-estimate"), body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["procedure"], data["publicity"]) == (procedure, publicity)
    assert data["thresholds"]["version"] and data["explanation"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nature", "bijoux"),
        ("buyer_kind", "mairie"),
        ("launch_date", "01/06/2026"),
        ("estimated_amount", "-5"),
    ],
)
def test_procedure_estimate_names_the_wrong_field(api, db, field, value):
    body = {
        "nature": "services",
        "buyer_kind": "autre_pouvoir_adjudicateur",
        "launch_date": "2026-06-01",
        "estimated_amount": "1000",
        field: value,
    }
    response = api.post(reverse("api:procedure-estimate"), body, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]


def test_procedure_estimate_is_rate_limited(api, db, settings):
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "procedure_estimate": "3/minute"}
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        body = {
            "nature": "services",
            "buyer_kind": "autre_pouvoir_adjudicateur",
            "launch_date": "2026-06-01",
            "estimated_amount": "1000",
        }
        codes = [
            api.post(reverse("api:procedure-estimate"), body, format="json").status_code for _ in range(4)
        ]
        # A client rotating X-Forwarded-For is still the same address (no trusted proxy by default).
        cache.clear()
        rotated = [
            api.post(
                reverse("api:procedure-estimate"), body, format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
            ).status_code
            for n in range(4)
        ]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [200, 200, 200, 429]
    assert rotated == [200, 200, 200, 429]
