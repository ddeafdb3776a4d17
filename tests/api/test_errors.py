"""The API's error answers are in French and in JSON (api/errors.py)."""

from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.organisations.roles import Role
from tests.tokens.factories import api_token


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return api


def test_an_unknown_record_is_not_found_in_french(role_users):
    client = token_client(role_users[Role.BUYER])
    for route in (
        "api:contract-detail",
        "api:project-detail",
        "api:project-transitions",
        "api:entity-detail",
    ):
        response = client.get(reverse(route, args=[987654]))
        assert (response.status_code, response.json()) == (404, {"detail": "Non trouvé."}), route


def test_an_unknown_address_under_api_answers_json_in_french(role_users):
    response = token_client(role_users[Role.BUYER]).get("/api/v1/inconnu/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Non trouvé."}


def test_an_unknown_page_of_the_site_stays_a_page(client, db):
    response = client.get("/inconnu/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_an_unreadable_body_is_refused_in_french(db):
    response = APIClient().post(
        reverse("api:procedure-estimate"), data="{pas du json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Corps de la requête illisible")


def test_no_published_process_map_says_so(role_users):
    from mutualis.procurements.models import ProcessMap

    ProcessMap.objects.update(published_at=None)
    response = token_client(role_users[Role.BUYER]).get(reverse("api:process-map"))
    assert (response.status_code, response.json()) == (404, {"detail": "Aucune carte des processus publiée."})
