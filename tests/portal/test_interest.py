"""Issue 19, part 4: a business shows interest in a planned purchase from the portal. Stored with its
company as a candidate (or linked to the supplier the directory already has), the buyer told and shown
the list; refused with nothing written on a bad SIRET, a closed project, the honeypot or too many sends."""

import csv
import html
import io

import pytest
from django.urls import reverse

from mutualis.notifications.models import Notification
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Interest
from mutualis.suppliers.models import Supplier, SupplierCandidate
from mutualis.suppliers.services import candidate_promote

from .conftest import PLANNED

SIRET = "732 829 320 00074"
VALID = {
    "siret": SIRET,
    "company_name": "Bureaux Confort SARL",
    "contact_name": "Camille Martin",
    "email": "camille@bureaux-confort.fr",
    "phone": "01 23 45 67 89",
    "message": "Nous fabriquons des sièges ergonomiques en Bretagne.",
}


def _send(client, project, **changes):
    return client.post(reverse("portal:interest", args=[project.pk]), {**VALID, **changes})


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _written() -> tuple[int, int, int]:
    return Interest.objects.count(), SupplierCandidate.objects.count(), Supplier.objects.count()


def test_an_interest_is_stored_as_a_candidate_and_the_buyer_sees_it(client, world, team, role_users):
    buyer, _ = team
    public_page = _text(client.get(reverse("portal:project", args=[world.planned.pk])))
    assert reverse("portal:interest", args=[world.planned.pk]) in public_page
    suppliers = Supplier.objects.count()

    response = _send(client, world.planned)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:interest_thanks", args=[world.planned.pk])
    assert "Merci de votre intérêt" in _text(client.get(response["Location"]))
    interest = Interest.objects.get()
    assert (interest.project, interest.siret, interest.supplier) == (world.planned, "73282932000074", None)
    candidate = SupplierCandidate.objects.get()
    assert (interest.candidate, candidate.name, candidate.supplier) == (
        candidate,
        "Bureaux Confort SARL",
        None,
    )
    assert Supplier.objects.count() == suppliers  # a candidate, never a supplier by itself
    assert not Supplier.objects.filter(identifier="73282932000074").exists()
    assert interest.history.count() == 1 and candidate.history.count() == 1
    notice = Notification.objects.keyed("portal-interest:").get()
    assert notice.recipient == buyer
    assert "Bureaux Confort SARL" in notice.body and PLANNED[:20] in notice.subject

    client.force_login(buyer)
    page = _text(client.get(reverse("procurements:project_detail", args=[world.planned.pk])))
    assert "Entreprises intéressées (1)" in page and "1 entreprise intéressée" in page
    assert "Bureaux Confort SARL" in page and "camille@bureaux-confort.fr" in page
    export = client.get(reverse("procurements:interest_export", args=[world.planned.pk]), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1:5] == ["73282932000074", "Bureaux Confort SARL", "Camille Martin", VALID["email"]]
    assert rows[1][7] == "candidat"
    # A role that sees the project but may not manage it reads the interest, not the contacts.
    client.force_login(role_users[Role.REFERENT])
    page = _text(client.get(reverse("procurements:project_detail", args=[world.planned.pk])))
    assert "Bureaux Confort SARL" in page and "camille@" not in page and "Camille Martin" not in page


def test_a_known_siret_links_the_supplier_and_a_second_interest_no_duplicate(client, world, team):
    buyer, _ = team
    known = Supplier.objects.create(identifier="44306184100047", name="Mobilier de l'Ouest")
    _send(client, world.planned, siret="44306184100047")
    _send(client, world.later)
    _send(client, world.planned, company_name="Bureaux Confort (autre nom)")  # same SIRET as the 2nd
    first, second, third = Interest.objects.order_by("pk")
    assert (first.supplier, first.candidate) == (known, None)
    assert SupplierCandidate.objects.count() == 1
    assert second.candidate == third.candidate and third.supplier is None

    supplier = candidate_promote(actor=buyer, candidate=second.candidate)

    assert supplier.identifier == "73282932000074" and supplier.name == "Bureaux Confort SARL"
    assert {i.supplier for i in Interest.objects.filter(candidate=second.candidate)} == {supplier}
    _send(client, world.later, message="Encore nous.")  # now a supplier: linked, no new candidate
    assert Interest.objects.latest("pk").supplier == supplier and SupplierCandidate.objects.count() == 1


def test_the_buyer_promotes_a_candidate_from_its_page(client, world, team, role_users):
    buyer, _ = team
    _send(client, world.planned)
    candidate = SupplierCandidate.objects.get()
    client.force_login(role_users[Role.REFERENT])
    assert client.get(reverse("suppliers:candidate_list")).status_code == 403
    client.force_login(buyer)
    assert "Bureaux Confort SARL" in _text(client.get(reverse("suppliers:candidate_list")))
    # Not in the directory's list until promoted.
    assert "Bureaux Confort SARL" not in _text(client.get(reverse("suppliers:supplier_list")))
    client.post(reverse("suppliers:candidate_promote", args=[candidate.pk]))
    candidate.refresh_from_db()
    assert candidate.supplier.identifier == "73282932000074"
    assert "Bureaux Confort SARL" in _text(client.get(reverse("suppliers:supplier_list")))
    response = client.post(reverse("suppliers:candidate_promote", args=[candidate.pk]), follow=True)
    assert (
        "déjà au répertoire" in _text(response)
        and Supplier.objects.filter(name__startswith="Bureaux").count() == 1
    )


@pytest.mark.parametrize(
    ("changes", "label", "message"),
    [
        ({"siret": "12345678901234"}, "SIRET", "n'est pas valide (clé de contrôle incorrecte)"),
        ({"siret": "1234"}, "SIRET", "Un SIRET compte 14 chiffres"),
        ({"email": "pas-une-adresse"}, "Adresse électronique", "Saisissez une adresse e-mail valide"),
        ({"contact_name": ""}, "Nom du contact", "Ce champ est obligatoire"),
        ({"message": "x" * 1001}, "Message", "au plus 1000 caractères"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client, world, changes, label, message):
    before = _written()
    response = _send(client, world.planned, **changes)
    assert response.status_code == 200
    text = _text(response)
    assert "Rien n'a été envoyé" in text and f"{label}</a> : " in text and message in text
    assert _written() == before and not Notification.objects.keyed("portal-interest:").exists()


def test_la_poste_siret_is_accepted(client, world):
    assert _send(client, world.planned, siret="35600000049837").status_code == 302
    assert SupplierCandidate.objects.get().siret == "35600000049837"


def test_only_a_published_planned_project_accepts_interest(client, world):
    for project in (world.unpublished, world.consultation, world.awarded):
        for name in ("portal:interest", "portal:interest_thanks"):
            assert client.get(reverse(name, args=[project.pk])).status_code == 404, (project, name)
        assert _send(client, project).status_code == 404
    world.planned.portal_published = False
    world.planned.save()
    assert _send(client, world.planned).status_code == 404
    assert _written()[:2] == (0, 0)


def test_the_honeypot_and_the_rate_limit_refuse(client, world, settings):
    response = _send(client, world.planned, site_web="https://spam.example")
    assert response.status_code == 400 and "Envoi refusé" in _text(response)
    assert _written()[:2] == (0, 0)
    settings.MUTUALIS_PORTAL_INTEREST_PER_ADDRESS = 2
    assert _send(client, world.planned).status_code == 302  # the honeypot's send counted as the first
    refused = _send(client, world.planned, siret="44306184100047")
    assert refused.status_code == 429 and "Trop d'envois depuis votre adresse" in _text(refused)
    assert Interest.objects.count() == 1
    other = client.post(
        reverse("portal:interest", args=[world.planned.pk]), VALID, REMOTE_ADDR="192.0.2.7"
    )  # another address still may
    assert other.status_code == 302 and Interest.objects.count() == 2


def test_the_form_page_is_never_cached_and_the_project_page_has_no_csrf_token(client, world):
    form_page = client.get(reverse("portal:interest", args=[world.planned.pk]))
    assert "no-cache" in form_page["Cache-Control"] and "csrfmiddlewaretoken" in form_page.content.decode()
    project_page = client.get(reverse("portal:project", args=[world.planned.pk]))
    assert "csrfmiddlewaretoken" not in project_page.content.decode()
