"""An internal client's request in Chromium, on a phone (390 px): the prescriber reads the offer, asks for a
module with a file, follows his request; a buyer gives it to her colleague's queue, takes it in charge and
writes to him. Every page: no sideways scrolling, axe clean."""

import re

from playwright.sync_api import expect

from mutualis.clients.models import ServiceRequest

from .conftest import assert_accessible, log_in, log_out

PHONE = {"width": 390, "height": 844}
OBJECT = "Pousse-seringues du service de réanimation"


def _fits(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} : {widths[0]} px pour {widths[1]} px"
    assert_accessible(page)


def test_a_client_asks_for_a_module_and_a_buyer_takes_it_in_charge(page, tmp_path):
    page.set_viewport_size(PHONE)
    log_in(page, "prescripteur")
    page.goto("/accompagnement/offre/")
    _fits(page)
    page.get_by_role("link", name="Demander : Sourcing et benchmark").click()
    expect(page.get_by_label("Sourcing et benchmark")).to_be_checked()
    page.get_by_label("Objet de l'achat").fill(OBJECT)
    page.get_by_label("Famille d'achat").select_option(index=1)
    page.get_by_label("Montant estimé HT (€)").fill("38000")
    need = tmp_path / "besoin.pdf"
    need.write_bytes(b"%PDF-1.4 besoin")
    page.get_by_label("Pièce jointe").set_input_files(need)
    _fits(page)
    page.get_by_role("button", name="Transmettre la demande").click()
    expect(page.get_by_text("Demande transmise à la cellule achats.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^besoin.*\.pdf$"))).to_be_visible()
    _fits(page)
    request = ServiceRequest.objects.get(object=OBJECT)

    log_out(page)
    log_in(page, "acheteuse")
    page.goto(request.get_absolute_url())
    page.get_by_label("Acheteur en charge").select_option(label="Julien Bernard")
    page.get_by_role("button", name="Confier la demande").click()
    expect(page.get_by_text("Demande confiée à")).to_be_visible()
    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.get_by_text("La demande est maintenant : prise en charge.")).to_be_visible()
    page.get_by_label("Votre message").fill("Je vous appelle demain pour préciser le besoin.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Message envoyé.")).to_be_visible()
    _fits(page)
    request.refresh_from_db()
    assert request.status == "taken" and request.assigned_to.username == "acheteur" and request.target_date
    page.goto("/accompagnement/demandes/?open=true")
    expect(
        page.get_by_role("table", name=re.compile("Charge par acheteur|Demandes en cours"))
    ).to_be_visible()
    _fits(page)
