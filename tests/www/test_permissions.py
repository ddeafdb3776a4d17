"""Every page, every role: the expected answer is written here, independently of the role matrix."""

import pytest
from django.urls import reverse

from mutualis.organisations.models import PurchasingGroup
from mutualis.organisations.roles import Role
from mutualis.procurements.models import ProcessMap
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.procurements.factories import new_project
from tests.suppliers.factories import SupplierFactory

ALL = set(Role)
TEAM = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER, Role.GOVERNANCE}
ADMIN = {Role.ADMIN}
CATALOGUE_EDITORS = {Role.ADMIN, Role.BUYER}
SUPPLIER_EDITORS = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER}
CONTRACT_EDITORS = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER}
PROJECT_EDITORS = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER}

# (url name, kwargs builder, roles that get the page; the others get `denied`)
PAGES = [
    ("www:home", None, ALL, 403),
    ("organisations:entity_list", None, ALL, 403),
    ("organisations:entity_detail", "own_entity", ALL, 404),
    ("organisations:entity_detail", "other_entity", TEAM, 404),
    ("organisations:entity_create", None, ADMIN, 403),
    ("organisations:entity_update", "own_entity", ADMIN, 403),
    ("organisations:entity_import", None, ADMIN, 403),
    ("organisations:territory_update", None, ADMIN, 403),
    ("organisations:user_list", None, ADMIN, 403),
    ("organisations:user_create", None, ADMIN, 403),
    ("organisations:user_detail", "person", ADMIN, 403),
    ("organisations:user_update", "person", ADMIN, 403),
    ("catalogue:family_list", None, ALL, 403),
    ("catalogue:family_detail", "family", ALL, 403),
    ("catalogue:family_create", None, CATALOGUE_EDITORS, 403),
    ("catalogue:family_update", "family", CATALOGUE_EDITORS, 403),
    ("catalogue:family_import", None, CATALOGUE_EDITORS, 403),
    ("catalogue:cpv_list", None, ALL, 403),
    ("catalogue:cpv_detail", "cpv", ALL, 403),
    ("contracts:contract_list", None, ALL, 403),
    ("contracts:usable_list", None, ALL, 403),
    ("contracts:timeline", None, ALL, 403),
    ("contracts:contract_detail", "usable_contract", ALL, 404),
    ("contracts:contract_detail", "team_contract", TEAM, 404),
    ("contracts:contract_create", None, CONTRACT_EDITORS, 403),
    ("contracts:contract_update", "usable_contract", CONTRACT_EDITORS, 403),
    ("contracts:contract_import", None, CONTRACT_EDITORS, 403),
    ("contracts:amendment_create", "usable_contract", CONTRACT_EDITORS, 403),
    ("contracts:document_upload", "usable_contract", CONTRACT_EDITORS, 403),
    ("organisations:group_list", None, ALL, 403),
    ("organisations:group_detail", "own_group", ALL, 404),
    ("organisations:group_detail", "other_group", TEAM, 404),
    ("organisations:group_create", None, CONTRACT_EDITORS, 403),
    ("organisations:group_update", "own_group", CONTRACT_EDITORS, 403),
    ("notifications:list", None, ALL, 403),
    ("suppliers:supplier_list", None, ALL, 403),
    ("suppliers:supplier_detail", "supplier", ALL, 403),
    ("suppliers:supplier_create", None, SUPPLIER_EDITORS, 403),
    ("suppliers:supplier_update", "supplier", SUPPLIER_EDITORS, 403),
    ("suppliers:supplier_import", None, SUPPLIER_EDITORS, 403),
    ("procurements:project_list", None, ALL, 403),
    ("procurements:board", None, ALL, 403),
    ("procurements:my_tasks", None, ALL, 403),
    ("procurements:process_map", None, ALL, 403),
    ("procurements:process_map_draft", "process_map", ADMIN, 403),
    ("procurements:project_detail", "own_project", ALL, 404),
    ("procurements:project_detail", "other_project", TEAM, 404),
    ("procurements:project_create", None, PROJECT_EDITORS, 403),
    ("procurements:project_update", "own_project", PROJECT_EDITORS, 403),
    # Offers are business secrets: the team that runs consultations (or the project's committee) only.
    ("procurements:analysis_xlsx", "own_project", PROJECT_EDITORS, 403),
    ("account", None, ALL, 403),
]


@pytest.fixture
def objects(hospital, other_hospital, support, role_users):
    own_group = PurchasingGroup.objects.create(name="Groupement du membre", coordinator=support)
    own_group.members.set([hospital])
    other_group = PurchasingGroup.objects.create(name="Autre groupement", coordinator=other_hospital)
    buyer = role_users[Role.BUYER]
    return {
        "own_project": {"pk": new_project(buyer, entities=[hospital]).pk},
        "other_project": {"pk": new_project(buyer, entities=[other_hospital]).pk},
        "process_map": {"pk": ProcessMap.objects.current().pk},
        "usable_contract": {"pk": make_contract(buyer=support, available_to=[hospital]).pk},
        "team_contract": {"pk": make_contract(buyer=other_hospital).pk},
        "own_group": {"pk": own_group.pk},
        "other_group": {"pk": other_group.pk},
        "person": {"pk": role_users[Role.PRESCRIBER].pk},
        "own_entity": {"pk": hospital.pk},
        "other_entity": {"pk": other_hospital.pk},
        "family": {"pk": PurchaseFamilyFactory().pk},
        "cpv": {"pk": "33141000"},
        "supplier": {"pk": SupplierFactory().pk},
    }


def _url(name, key, objects):
    return reverse(name, kwargs=objects[key] if key else None)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize(("name", "key", "allowed", "denied"), PAGES, ids=[f"{p[0]}:{p[1]}" for p in PAGES])
def test_page_answers_by_role(client, role_users, objects, role, name, key, allowed, denied):
    client.force_login(role_users[role])
    response = client.get(_url(name, key, objects))
    assert response.status_code == (200 if role in allowed else denied)


@pytest.mark.parametrize(("name", "key", "allowed", "denied"), PAGES, ids=[f"{p[0]}:{p[1]}" for p in PAGES])
def test_anonymous_is_sent_to_login(client, objects, name, key, allowed, denied):
    url = _url(name, key, objects)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_document_download_follows_contract_scope(client, role_users, objects, role, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mutualis.contracts.models import Contract
    from mutualis.contracts.services import document_attach

    settings.MEDIA_ROOT = tmp_path
    documents = {
        key: document_attach(
            actor=None,
            contract=Contract.objects.get(pk=objects[key]["pk"]),
            kind="other",
            title=key,
            file=SimpleUploadedFile(f"{key}.pdf", b"%PDF"),
        )
        for key in ("usable_contract", "team_contract")
    }
    client.force_login(role_users[role])
    usable = client.get(reverse("contracts:document_download", args=[documents["usable_contract"].pk]))
    team = client.get(reverse("contracts:document_download", args=[documents["team_contract"].pk]))
    assert usable.status_code == 200
    assert team.status_code == (200 if role in TEAM else 404)


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


def test_accessibility_statement_is_public(client, db):
    assert client.get(reverse("www:accessibility")).status_code == 200


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
def test_menu_shows_what_the_role_may_open(client, role_users, role):
    client.force_login(role_users[role])
    page = client.get(reverse("www:home")).content.decode()
    expected = {
        "Données ouvertes": role in CONTRACT_EDITORS,
        "Personnes": role == Role.ADMIN,
        "Paramètres du territoire": role == Role.ADMIN,
        "Registre": True,
        "Besoins": True,
    }
    assert {label: f">{label}</a>" in page for label in expected} == expected
