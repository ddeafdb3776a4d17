"""Edit pages come in one shape: the form's record goes to a named service, whose refusal shows on it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import mutualis.www.suppliers.views as supplier_views
from mutualis.catalogue.models import PurchaseFamily
from mutualis.catalogue.services import family_save
from mutualis.organisations.models import Entity, PurchasingGroup, Territory
from mutualis.organisations.roles import Role
from mutualis.organisations.services import entity_save, group_save, territory_save, user_save
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.services import supplier_save
from tests.organisations.factories import make_siret

SIRET = make_siret()


def test_the_page_saves_through_its_service(client, role_users, monkeypatch):
    calls = []

    def spy(*, actor, supplier):
        calls.append(actor)
        return supplier_save(actor=actor, supplier=supplier)

    monkeypatch.setattr(supplier_views.SupplierCreateView, "service", spy)
    buyer = role_users[Role.BUYER]
    client.force_login(buyer)
    data = {"identifier_kind": "SIRET", "identifier": SIRET, "name": "Blanchisserie du Val"}
    response = client.post(reverse("suppliers:supplier_create"), data)
    supplier = Supplier.objects.get(identifier=SIRET)
    assert response.status_code == 302 and response["Location"] == supplier.get_absolute_url()
    assert calls == [buyer]


def test_a_service_refusal_shows_on_the_form_and_saves_nothing(client, role_users, monkeypatch):
    def refuse(*, actor, supplier):
        raise ValidationError({"name": "Raison sociale refusée par le service."})

    monkeypatch.setattr(supplier_views.SupplierCreateView, "service", refuse)
    client.force_login(role_users[Role.BUYER])
    data = {"identifier_kind": "SIRET", "identifier": SIRET, "name": "Refusé"}
    response = client.post(reverse("suppliers:supplier_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Raison sociale refusée par le service."]}
    assert not Supplier.objects.filter(identifier=SIRET).exists()


def test_supplier_save_checks_as_the_form_does(role_users):
    with pytest.raises(ValidationError) as error:
        supplier_save(actor=None, supplier=Supplier(identifier_kind="SIRET", identifier="123", name="X"))
    assert "identifier" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        supplier_save(
            actor=role_users[Role.PRESCRIBER],
            supplier=Supplier(identifier_kind="SIRET", identifier=SIRET, name="X"),
        )
    assert not Supplier.objects.exists()


def test_entity_save_checks_as_the_form_does(role_users):
    entity = entity_save(
        actor=role_users[Role.ADMIN], entity=Entity(name="Commune", siret=SIRET, kind="commune")
    )
    assert Entity.objects.get(pk=entity.pk).name == "Commune"
    with pytest.raises(ValidationError) as error:
        entity_save(actor=None, entity=Entity(name="Commune", siret="26210007600014", kind="commune"))
    assert "siret" in error.value.message_dict  # wrong check digit
    with pytest.raises(PermissionDenied):
        entity_save(
            actor=role_users[Role.BUYER], entity=Entity(name="Autre", siret=make_siret(), kind="commune")
        )


def test_family_page_saves_the_family_and_its_cpv_codes(client, role_users):
    client.force_login(role_users[Role.BUYER])
    data = {
        "code": "LAB-01",
        "label": "Réactifs",
        "nature": "fournitures",
        "cpv_codes": "33141000, 33140000-3",
        "is_active": "on",
    }
    response = client.post(reverse("catalogue:family_create"), data)
    family = PurchaseFamily.objects.get(code="LAB-01")
    assert response.status_code == 302 and response["Location"] == family.get_absolute_url()
    assert sorted(family.cpv_codes.values_list("code", flat=True)) == ["33140000", "33141000"]
    data.update(cpv_codes="33141000", version=family.version)
    client.post(reverse("catalogue:family_update", args=[family.pk]), data)
    assert list(family.cpv_codes.values_list("code", flat=True)) == ["33141000"]


def test_group_page_saves_the_group_and_its_members(client, role_users, support, hospital, other_hospital):
    client.force_login(role_users[Role.BUYER])
    data = {
        "name": "Groupement linge",
        "coordinator": support.pk,
        "members": [hospital.pk, other_hospital.pk],
        "is_active": "on",
    }
    response = client.post(reverse("organisations:group_create"), data)
    group = PurchasingGroup.objects.get(name="Groupement linge")
    assert response.status_code == 302
    assert set(group.members.all()) == {hospital, other_hospital}
    with pytest.raises(PermissionDenied):
        group_save(actor=role_users[Role.PRESCRIBER], group=group, members=[], scope_families=[])
    assert group.members.count() == 2


def test_family_save_refuses_a_role_without_the_catalogue(role_users):
    with pytest.raises(PermissionDenied):
        family_save(
            actor=role_users[Role.REFERENT], family=PurchaseFamily(code="X-01", label="X"), cpv_codes=[]
        )
    assert not PurchaseFamily.objects.filter(code="X-01").exists()


def test_person_page_saves_through_user_save(client, role_users):
    person = role_users[Role.PRESCRIBER]
    client.force_login(role_users[Role.ADMIN])
    data = {
        "username": person.username,
        "first_name": "Anne",
        "last_name": "Durand",
        "email": "a@example.org",
        "job_title": "Cadre de santé",
        "is_active": "on",
        "version": person.version,
    }
    response = client.post(reverse("organisations:user_update", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.job_title) == ("Durand", "Cadre de santé")
    assert person.check_password("motdepasse-test")  # the details page never touches the password
    with pytest.raises(PermissionDenied):
        user_save(actor=role_users[Role.REFERENT], user=person)


def test_territory_save_is_for_those_who_configure_it(role_users):
    territory = Territory(name="GHT", short_name="GHT", kind="ght", primary_colour="#004d40")
    with pytest.raises(PermissionDenied):
        territory_save(actor=role_users[Role.BUYER], territory=territory)
    assert territory_save(actor=role_users[Role.ADMIN], territory=territory) == Territory.current()
