"""The portal's pages: search and filters, pagination, refusals naming the field, the published
project's page and nothing else, the members' pages, the DECP download with its date; and the flag on
the project form, off by default, saying what will be shown."""

import html
import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mutualis.organisations.models import Entity
from mutualis.www.portal import views

from .conftest import CONSULTATION, CONTACT, LATER, PLANNED, PROFILE, store_decp


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_planned_purchases_filter_paginate_and_refuse_bad_values(client, world, monkeypatch):
    planned = reverse("portal:planned")
    page = _text(client.get(planned))
    assert PLANNED in page and LATER in page and CONSULTATION not in page
    assert "Projet interne non publié" not in page
    assert "2 résultats" in page
    cases = {
        "family": (world.later.family.code, LATER),  # by code…
        "cpv": ("3913", PLANNED),
        "quarter": ("2027-T4", LATER),
        "entity": (world.later.entities.get().pk, LATER),
        "q": ("mobilier", PLANNED),
    }
    for name, (value, found) in cases.items():
        text = _text(client.get(planned, {name: value}))
        other = LATER if found == PLANNED else PLANNED
        assert found in text and other not in text, name
    assert PLANNED in _text(client.get(planned, {"family": world.planned.family.pk}))  # …or by id
    assert "Aucun achat prévu" in _text(client.get(planned, {"procedure": "Dialogue compétitif"}))

    for name, value, message in (
        ("quarter", "T2-2027", "Écrivez le trimestre sous la forme 2027-T1."),
        ("cpv", "abc", "Écrivez le début d'un code CPV : de 2 à 8 chiffres."),
        ("family", "999999", "Sélectionnez un choix valide"),
    ):
        text = _text(client.get(planned, {name: value}))
        assert message in text, name
        assert "corrigez le champ signalé" in text and PLANNED not in text and LATER not in text

    monkeypatch.setattr(views.PlannedListView, "paginate_by", 1)
    first = _text(client.get(planned, {"family": "", "q": ""}))
    assert "Page 1 sur 2" in first and "page=2" in first
    second = _text(client.get(planned, {"q": "", "page": 2}))
    assert "Page 2 sur 2" in second and (PLANNED in first) != (PLANNED in second)
    assert "?q=&page=1" in second  # the filters stay in the page links


def test_consultations_link_to_the_buyer_profile_with_the_deadline(client, world, monkeypatch):
    text = _text(client.get(reverse("portal:consultations")))
    assert CONSULTATION in text and PLANNED not in text
    detail = _text(client.get(reverse("portal:project", args=[world.consultation.pk])))
    assert PROFILE in detail and CONTACT in detail
    assert f"{world.consultation.tender_deadline:%Y}" in detail and "Date limite des offres" in detail
    assert "de 90\u202f000\u00a0€\u00a0HT à 216\u202f000\u00a0€\u00a0HT" in detail  # 150 000 € of services
    for hidden in (world.unpublished, world.awarded):
        assert client.get(reverse("portal:project", args=[hidden.pk])).status_code == 404
    # A consultation whose deadline has passed is no longer offered: the next day, without any write (the
    # day is part of the pages' cache key).
    after = world.consultation.tender_deadline + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: after)
    assert client.get(reverse("portal:project", args=[world.consultation.pk])).status_code == 404
    assert CONSULTATION not in _text(client.get(reverse("portal:consultations")))


def test_contracts_members_and_the_decp_file(client, world, support, hospital):
    contract = world.awarded.lots.get().contract
    contracts = reverse("portal:contracts")
    text = _text(client.get(contracts))
    assert contract.object in text and contract.holder_links.get().supplier.name in text
    assert contract.object not in _text(client.get(contracts, {"entity": hospital.pk}))
    assert contract.object in _text(client.get(contracts, {"entity": support.pk, "year": 2026}))
    refused = _text(client.get(contracts, {"year": "deux mille"}))
    assert "Saisissez un nombre" in refused and contract.object not in refused

    members = _text(client.get(reverse("portal:entities")))
    assert support.name in members and hospital.name in members
    own = _text(client.get(reverse("portal:entity", args=[hospital.pk])))
    assert PLANNED in own and CONSULTATION in own and LATER not in own

    opendata = reverse("portal:open_data")
    assert "Aucun fichier n'a encore été publié" in _text(client.get(opendata))
    assert client.get(reverse("portal:decp")).status_code == 404
    export = store_decp()
    page = _text(client.get(opendata))
    assert f"Télécharger le fichier DECP du {export.built_on.day}" in page
    response = client.get(reverse("portal:decp"))
    assert response.status_code == 200
    assert f"decp_{export.built_on.isoformat()}.json" in response["Content-Disposition"]
    document = json.loads(b"".join(response.streaming_content))
    assert [record["id"] for record in document["marches"]["marche"]] == [contract.reference]

    # A former member's contracts stay public (DECP), named without a link to a page it no longer has.
    Entity.objects.filter(pk=support.pk).update(is_active=False)
    text = _text(client.get(contracts))
    assert contract.object in text and support.name in text
    assert reverse("portal:entity", args=[support.pk]) not in text
    assert client.get(reverse("portal:entity", args=[support.pk])).status_code == 404


def test_the_project_form_offers_the_flag_off_and_says_what_is_shown(client, team, project, hospital):
    assert project.portal_published is False
    client.force_login(team[0])
    url = reverse("procurements:project_update", args=[project.pk])
    form = client.get(url).context["form"]
    help_text = form.fields["portal_published"].help_text
    assert "jamais le montant exact" in help_text and "Rien d'autre" in help_text
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields and name not in {"cpv", "evaluation_committee"}
    }
    data.update(
        cpv=project.cpv_id, entities=[hospital.pk], version=project.version, price_types=project.price_types
    )
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data.update(portal_published="on", portal_contact=CONTACT, consultation_url="pas une adresse")
    response = client.post(url, data)
    assert "consultation_url" in response.context["form"].errors
    project.refresh_from_db()
    assert project.portal_published is False  # nothing saved
    data["consultation_url"] = "marches.example.fr/consultation/1"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    project.refresh_from_db()
    assert project.portal_published and project.portal_contact == CONTACT
    assert project.consultation_url == "https://marches.example.fr/consultation/1"
    assert client.get(reverse("portal:project", args=[project.pk])).status_code == 200
    assert (
        reverse("portal:project", args=[project.pk])
        in client.get(project.get_absolute_url()).content.decode()
    )
