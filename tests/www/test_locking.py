"""Two people editing the same record: the second save is refused with what changed, nothing lost."""

import pytest
from django.test import Client
from django.urls import reverse

from mutualis.contracts.models import Contract
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project
from mutualis.suppliers.models import Supplier
from tests.contracts.factories import make_contract
from tests.suppliers.factories import SupplierFactory


def fields_of(form) -> dict:
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def loaded_form(client, url, formsets=()) -> dict:
    """The POST data of the page's form (and formsets) as the page showed it, the hidden version included."""
    response = client.get(url)
    assert response.status_code == 200
    data = fields_of(response.context["form"])
    for name in formsets:
        formset = response.context[name]
        data.update(fields_of(formset.management_form))
        for form in formset:
            data.update(fields_of(form))
    return data


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_second_supplier_save_is_refused_with_the_changed_field(role_users):
    admin = role_users[Role.ADMIN]
    admin.first_name, admin.last_name = "Marie", "Dupont"
    admin.save()
    supplier = SupplierFactory(name="Blanchisserie du Val", city="Dijon")
    url = reverse("suppliers:supplier_update", args=[supplier.pk])
    marie, paul = session(admin), session(role_users[Role.BUYER])
    marie_form, paul_form = loaded_form(marie, url), loaded_form(paul, url)
    assert paul_form["version"] == 1

    assert marie.post(url, {**marie_form, "name": "Blanchisserie du Val SAS"}).status_code == 302
    response = paul.post(url, {**paul_form, "city": "Beaune"})

    assert response.status_code == 409
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Cette fiche a été modifiée par Marie Dupont le " in errors
    assert "pendant que vous la modifiiez" in errors
    assert "Raison sociale : Blanchisserie du Val → Blanchisserie du Val SAS" in errors
    page = response.content.decode()
    assert 'value="Beaune"' in page  # Paul's input is kept
    supplier.refresh_from_db()
    assert (supplier.name, supplier.city, supplier.version) == ("Blanchisserie du Val SAS", "Dijon", 2)

    # The form shown again carries the current version: saving it again replaces the record knowingly.
    assert response.context["form"]["version"].value() == 2
    again = paul.post(url, {**paul_form, "city": "Beaune", "version": 2})
    assert again.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.city, supplier.version) == ("Beaune", 3)


def test_an_edit_without_version_is_refused(role_users):
    supplier = SupplierFactory(name="Alpha")
    url = reverse("suppliers:supplier_update", args=[supplier.pk])
    client = session(role_users[Role.ADMIN])
    data = loaded_form(client, url)
    del data["version"]
    response = client.post(url, {**data, "name": "Alpha SAS"})
    assert response.status_code == 200 and "La version de la fiche manque" in response.content.decode()
    assert Supplier.objects.get().name == "Alpha"


def test_creation_has_no_version_to_send(role_users):
    client = session(role_users[Role.ADMIN])
    assert "version" not in client.get(reverse("suppliers:supplier_create")).context["form"].fields


@pytest.mark.django_db
def test_second_project_save_is_refused_with_the_changed_field(team, project):
    buyer, legal = team
    url = reverse("procurements:project_update", args=[project.pk])
    first, second = session(buyer), session(legal)
    first_form, second_form = loaded_form(first, url), loaded_form(second, url)

    assert first.post(url, {**first_form, "object": "Gants nitrile"}).status_code == 302
    response = second.post(url, {**second_form, "duration_months": "24"})

    assert response.status_code == 409
    errors = " ".join(response.context["form"].non_field_errors())
    assert f"modifiée par {buyer.get_full_name()} le " in errors
    assert f"Objet : {project.object} → Gants nitrile" in errors
    assert 'value="24"' in response.content.decode()
    saved = Project.objects.get(pk=project.pk)
    assert saved.object == "Gants nitrile" and saved.duration_months == project.duration_months


def test_contract_page_with_holders_is_locked_too(role_users, support):
    contract = make_contract(buyer=support, reference="AC-1", object="Gants")
    url = reverse("contracts:contract_update", args=[contract.pk])
    first, second = session(role_users[Role.BUYER]), session(role_users[Role.ADMIN])
    first_form = loaded_form(first, url, formsets=["holders"])
    second_form = loaded_form(second, url, formsets=["holders"])

    assert first.post(url, {**first_form, "object": "Gants nitrile"}).status_code == 302
    response = second.post(url, {**second_form, "notes": "Relancer en mars"})

    assert response.status_code == 409
    assert "Objet : Gants → Gants nitrile" in " ".join(response.context["form"].non_field_errors())
    assert "Relancer en mars" in response.content.decode()
    assert Contract.objects.values_list("object", "notes").get() == ("Gants nitrile", "")


def test_lot_page_is_locked_too(team, project):
    buyer, legal = team
    lot = project.lots.get()
    url = reverse("procurements:lot_update", args=[lot.pk])
    first, second = session(buyer), session(legal)
    first_form, second_form = loaded_form(first, url), loaded_form(second, url)

    assert first.post(url, {**first_form, "title": "Gants nitrile"}).status_code == 302
    response = second.post(url, {**second_form, "estimated_value": "120000"})

    assert response.status_code == 409
    assert f"Intitulé : {lot.title} → Gants nitrile" in " ".join(response.context["form"].non_field_errors())
    lot.refresh_from_db()
    assert lot.title == "Gants nitrile" and lot.version == 2
