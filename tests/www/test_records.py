"""Create/update pages, history on the record page, suppliers' deduplication, territory identity."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from mutualis.organisations.models import Entity, Territory, User
from mutualis.organisations.roles import Role
from mutualis.suppliers.models import Supplier
from tests.helpers import read_xlsx
from tests.organisations.factories import make_siret
from tests.suppliers.factories import SupplierFactory


def test_entity_change_is_kept_with_who_and_what(client, role_users, hospital):
    admin = role_users[Role.ADMIN]
    client.force_login(admin)
    data = {
        "name": "Centre hospitalier renommé",
        "siret": hospital.siret,
        "kind": "hospital",
        "insee_code": "21054",
        "postal_code": "21200",
        "city": "Beaune",
        "is_active": "on",
        "version": hospital.version,
    }
    response = client.post(reverse("organisations:entity_update", args=[hospital.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("organisations:entity_detail", args=[hospital.pk])).content.decode()
    assert "Historique des modifications" in page
    assert str(admin) in page
    assert "Centre hospitalier membre → Centre hospitalier renommé" in page
    assert "21231 → 21054" in page


def test_entity_form_names_the_wrong_fields(client, role_users):
    client.force_login(role_users[Role.ADMIN])
    response = client.post(
        reverse("organisations:entity_create"),
        {"name": "X", "siret": "26210007600014", "kind": "commune", "insee_code": "2100", "finess": "123"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"siret", "insee_code", "finess"}
    page = response.content.decode()
    assert "<title>Erreur — " in page
    assert 'href="#id_siret"' in page
    assert not Entity.objects.filter(name="X").exists()


def test_supplier_duplicate_is_found_whatever_the_spacing(client, role_users):
    existing = SupplierFactory(name="Blanchisserie du Val")
    client.force_login(role_users[Role.BUYER])
    spaced = f"{existing.identifier[:3]} {existing.identifier[3:9]} {existing.identifier[9:]}"
    response = client.post(
        reverse("suppliers:supplier_create"),
        {"identifier_kind": "SIRET", "identifier": spaced, "name": "Doublon"},
    )
    assert response.status_code == 200
    assert (
        "Ce fournisseur existe déjà : Blanchisserie du Val." in response.context["form"].errors["identifier"]
    )
    assert Supplier.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "identifier", "valid"),
    [
        ("SIRET", "26210007600013", True),
        ("SIRET", "26210007600014", False),
        ("SIREN", "262100076", True),
        ("TVA", "FR40303265045", True),
        ("TVA", "FR40303265046", False),
        ("HORS-UE", "GB123456789", True),
        ("HORS-UE", "avec espace & signe", False),
    ],
)
def test_supplier_identifier_validation(db, kind, identifier, valid):
    supplier = Supplier(identifier_kind=kind, identifier=identifier, name="Entreprise")
    if valid:
        supplier.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            supplier.full_clean()
        assert "identifier" in error.value.message_dict


def test_supplier_siren_is_derived(db):
    siret = make_siret()
    supplier = SupplierFactory(identifier=siret)
    assert supplier.siren == siret[:9]


def test_territory_colour_must_keep_white_text_readable(client, role_users):
    client.force_login(role_users[Role.ADMIN])
    url = reverse("organisations:territory_update")
    data = {"name": "GHT de test", "short_name": "GHT test", "kind": "ght", "primary_colour": "#ffcc00"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "4,5:1" in response.context["form"].errors["primary_colour"][0]
    data["primary_colour"] = "#004d40"
    assert client.post(url, data).status_code == 302
    territory = Territory.current()
    assert territory.primary_colour == "#004d40"
    page = client.get(reverse("www:home")).content.decode()
    assert "--mutualis-primary: #004d40" in page and "GHT test" in page


def test_login_logout_and_password_reset(client, role_users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    buyer = role_users[Role.BUYER]
    response = client.post(reverse("login"), {"username": buyer.username, "password": "motdepasse-test"})
    assert response.status_code == 302 and response["Location"] == reverse("www:home")
    assert client.post(reverse("logout")).status_code == 302
    client.post(reverse("password_reset"), {"email": buyer.email})
    assert len(mail.outbox) == 1
    assert "/compte/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_wrong_password_is_reported(client, role_users):
    response = client.post(reverse("login"), {"username": "u_buyer", "password": "faux"})
    assert response.status_code == 200
    assert "<title>Erreur — Connexion" in response.content.decode()


def test_admin_invites_a_person_who_sets_a_password_and_logs_in(
    client, role_users, hospital, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(role_users[Role.ADMIN])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:user_create"),
            {
                "username": "j.durand",
                "first_name": "Jeanne",
                "last_name": "Durand",
                "email": "jeanne.durand@example.org",
                "entity": hospital.pk,
                "role": Role.REFERENT,
            },
        )
    assert response.status_code == 302
    person = User.objects.get(username="j.durand")
    assert not person.has_usable_password()
    assert list(person.memberships.values_list("entity", "role")) == [(hospital.pk, Role.REFERENT)]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jeanne.durand@example.org"]
    link = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+)", mail.outbox[0].body).group(1)

    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "un-mot-de-passe-solide-2026"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert client.login(username="j.durand", password=new_password)


def test_people_list_shows_roles_and_exports_them(client, role_users):
    client.force_login(role_users[Role.ADMIN])
    page = client.get(reverse("organisations:user_list"), {"role": Role.REFERENT}).content.decode()
    assert "Référent achats (Centre hospitalier membre)" in page
    rows = read_xlsx(client.get(reverse("organisations:user_list"), {"export": "xlsx"}).getvalue())
    assert rows[0] == ["Identifiant", "Nom", "Prénom", "Courriel", "Fonction", "Actif", "Rôles"]
    by_username = {row[0]: row for row in rows[1:]}
    assert by_username["u_buyer"][6] == "Acheteur de la cellule achats — CHU de test"
