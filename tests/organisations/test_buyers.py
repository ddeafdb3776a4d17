"""The purchasing mode of an entity and its buyer key: the entity whose SIRET is the legal buyer of its needs
outside any groupement (itself, or the territory's support establishment when it buys through it)."""

from django.urls import reverse

from mutualis.organisations.models import Entity, EntityKind, PurchasingMode
from mutualis.organisations.roles import Role
from mutualis.organisations.services import entity_save
from tests.helpers import xlsx_upload
from tests.organisations.factories import EntityFactory, make_siret


def test_the_buyer_key_of_each_mode(support, hospital):
    town = EntityFactory(name="Commune", kind=EntityKind.COMMUNE, purchasing_mode=PurchasingMode.OWN)
    keys = Entity.objects.buyer_keys()
    assert keys == {support.pk: support.pk, hospital.pk: support.pk, town.pk: town.pk}
    assert (hospital.buyer, town.buyer, support.buyer) == (support, town, support)


def test_without_an_active_support_establishment_each_entity_buys_for_itself(support, hospital):
    support.is_active = False
    support.save()
    assert Entity.objects.buyer_keys()[hospital.pk] == hospital.pk
    assert Entity.objects.support_establishment() is None


def test_the_support_establishment_buys_for_itself_whatever_the_form_says(db):
    entity = Entity(
        name="CHU", siret=make_siret(), kind=EntityKind.SUPPORT_ESTABLISHMENT, purchasing_mode="support"
    )
    entity_save(actor=None, entity=entity)
    assert entity.purchasing_mode == PurchasingMode.OWN


def test_the_mode_is_on_the_form_the_page_the_list_and_the_import(client, role_users, hospital, support):
    client.force_login(role_users[Role.ADMIN])
    data = {
        "name": hospital.name,
        "siret": hospital.siret,
        "kind": "hospital",
        "purchasing_mode": "own",
        "insee_code": hospital.insee_code,
        "postal_code": hospital.postal_code,
        "city": hospital.city,
        "is_active": "on",
        "version": hospital.version,
    }
    assert client.post(reverse("organisations:entity_update", args=[hospital.pk]), data).status_code == 302
    hospital.refresh_from_db()
    assert hospital.purchasing_mode == PurchasingMode.OWN
    page = client.get(reverse("organisations:entity_detail", args=[hospital.pk])).content.decode()
    assert "Mode d&#x27;achat" in page and "Achète pour son propre compte" in page
    listed = client.get(reverse("organisations:entity_list"), {"purchasing_mode": "own"})
    assert hospital in listed.context["filter"].qs
    # The import reads the label; an empty cell keeps the entity's mode, a new entity gets the default.
    new_siret = make_siret()
    upload = xlsx_upload(
        [
            ["SIRET", "Raison sociale", "Nature", "Mode d'achat", "Code commune INSEE", "Membre actif"],
            [hospital.siret, hospital.name, "Établissement partie", "", "21231", "Oui"],
            [new_siret, "Commune de Beaune", "Commune", "Achète pour son propre compte", "21054", "Oui"],
        ]
    )
    report = client.post(reverse("organisations:entity_import"), {"file": upload}).context["report"]
    assert report.errors == []
    hospital.refresh_from_db()
    assert hospital.purchasing_mode == PurchasingMode.OWN
    assert Entity.objects.get(siret=new_siret).purchasing_mode == PurchasingMode.OWN


def test_the_support_page_names_the_establishment_buying_for_a_member(client, role_users, support, hospital):
    client.force_login(role_users[Role.ADMIN])
    page = client.get(reverse("organisations:entity_detail", args=[hospital.pk])).content.decode()
    assert "Achats portés par l&#x27;établissement support" in page and support.get_absolute_url() in page
