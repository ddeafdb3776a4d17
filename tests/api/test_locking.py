"""API writes carry the version they start from: a stale one answers 409 and names what changed."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project
from mutualis.suppliers.models import Supplier
from tests.suppliers.factories import SupplierFactory
from tests.tokens.factories import with_token


def token_client(user) -> APIClient:
    return with_token(APIClient(), user)


def test_patch_with_a_stale_version_is_refused_with_the_changed_fields(role_users):
    supplier = SupplierFactory(name="Alpha", city="Dijon")
    url = reverse("api:supplier-detail", args=[supplier.pk])
    first, second = token_client(role_users[Role.ADMIN]), token_client(role_users[Role.BUYER])
    read = second.get(url).json()
    assert read["version"] == 1

    assert first.patch(url, {"name": "Alpha SAS", "version": 1}, format="json").status_code == 200
    response = second.patch(url, {"city": "Beaune", "version": read["version"]}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["version"] == 2 and "pendant que vous la modifiiez" in body["detail"]
    assert body["changes"] == [{"field": "Raison sociale", "old": "Alpha", "new": "Alpha SAS"}]
    assert Supplier.objects.values_list("name", "city").get() == ("Alpha SAS", "Dijon")

    again = second.patch(url, {"city": "Beaune", "version": body["version"]}, format="json")
    assert again.status_code == 200 and again.json()["version"] == 3
    assert Supplier.objects.values_list("name", "city").get() == ("Alpha SAS", "Beaune")


def test_patch_requires_the_version_and_the_right(role_users):
    supplier = SupplierFactory(name="Alpha")
    url = reverse("api:supplier-detail", args=[supplier.pk])
    admin = token_client(role_users[Role.ADMIN])
    assert admin.patch(url, {"name": "Alpha SAS"}, format="json").status_code == 400
    refused = token_client(role_users[Role.PRESCRIBER]).patch(url, {"name": "X", "version": 1}, format="json")
    assert refused.status_code == 403
    assert admin.put(url, {"name": "X", "version": 1}, format="json").status_code == 405
    assert Supplier.objects.get().name == "Alpha"


def test_patch_goes_through_the_service_checks(role_users):
    supplier = SupplierFactory(name="Alpha")
    url = reverse("api:supplier-detail", args=[supplier.pk])
    response = token_client(role_users[Role.ADMIN]).patch(
        url, {"postal_code": "ABCDE", "version": 1}, format="json"
    )
    assert response.status_code == 400 and "postal_code" in response.json()


@pytest.mark.django_db
def test_transition_with_a_stale_version_is_refused(team, project):
    buyer, _ = team
    api = token_client(buyer)
    url = reverse("api:project-transitions", args=[project.pk])
    read = api.get(reverse("api:project-detail", args=[project.pk])).json()
    project.object = "Gants nitrile"
    project.save()  # someone saved the project since it was read

    body = {"action": "abandon", "comment": "Besoin couvert", "version": read["version"]}
    response = api.post(url, body, format="json")
    assert response.status_code == 409 and response.json()["version"] == read["version"] + 1
    assert Project.objects.get(pk=project.pk).status == project.status

    response = api.post(url, {**body, "version": read["version"] + 1}, format="json")
    assert response.status_code == 201 and response.json()["project"]["version"] == read["version"] + 2
