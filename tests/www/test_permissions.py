"""Permission checks beyond the answers of each page (those are in test_permission_matrix.py): what an
action changes, a user without any role, the technical admin's pages and the menu."""

import pytest
from django.urls import reverse

from mutualis.organisations.roles import Role

CONTRACT_EDITORS = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER}


def test_user_without_role_sees_no_entity(client, db, hospital):
    from tests.organisations.factories import UserFactory

    client.force_login(UserFactory(username="sans_role"))
    assert client.get(reverse("organisations:entity_list")).status_code == 403
    assert client.get(reverse("organisations:entity_detail", args=[hospital.pk])).status_code == 403


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_admin_grants_and_revokes_roles(client, role_users, hospital, role):
    client.force_login(role_users[role])
    target = role_users[Role.PRESCRIBER]
    response = client.post(
        reverse("organisations:membership_grant", args=[hospital.pk]),
        {"user": target.pk, "role": Role.REFERENT},
    )
    granted = target.memberships.filter(entity=hospital, role=Role.REFERENT).exists()
    if role == Role.ADMIN:
        assert response.status_code == 302 and granted
    else:
        assert response.status_code == 403 and not granted
    membership = target.memberships.get(role=Role.PRESCRIBER)
    response = client.post(reverse("organisations:membership_revoke", args=[membership.pk]))
    still_there = target.memberships.filter(pk=membership.pk).exists()
    assert (response.status_code, still_there) == ((302, False) if role == Role.ADMIN else (403, True))


@pytest.mark.parametrize(
    "url",
    [
        "/admin/organisations/entity/",
        "/admin/organisations/user/",
        "/admin/organisations/membership/",
        "/admin/catalogue/purchasefamily/",
        "/admin/catalogue/cpvcode/?q=seringue",
        "/admin/suppliers/supplier/",
        "/admin/geo/commune/?q=Dijon",
    ],
)
def test_technical_admin_pages_render_for_superuser(admin_client, hospital, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_menu_shows_what_the_role_uses(client, role_users, role):
    client.force_login(role_users[role])
    page = client.get(reverse("www:home")).content.decode()
    menu = page[page.index('id="navigation"') :].split("</nav>")[0]
    expected = {
        "Données ouvertes": role in CONTRACT_EDITORS,
        "Personnes": role == Role.ADMIN,
        "Paramètres du territoire": role == Role.ADMIN,
        "Registre": role not in {Role.FAMILY_CORRESPONDENT, Role.PRESCRIBER},
        "Besoins": role not in {Role.LEGAL_OFFICER, Role.CONTROLLER},
        "Contrats utilisables": role not in {Role.LEGAL_OFFICER, Role.GOVERNANCE, Role.CONTROLLER},
        "Fournisseurs": role in {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER},
        "Gains achats": role not in {Role.FAMILY_CORRESPONDENT, Role.PRESCRIBER},
        "Accueil": True,
    }
    assert {label: f">{label}</a>" in menu for label in expected} == expected
