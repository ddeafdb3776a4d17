"""The satisfaction questionnaire in Chromium: the prescriber asks for « Sourcing et benchmark », a buyer
takes it in charge and delivers it, the prescriber answers the questionnaire, and the
fifth answer shows the module's means on the satisfaction page. On a phone throughout; every new page: no
sideways scrolling, axe clean."""

from playwright.sync_api import expect

from mutualis.clients.models import ServiceRequest

from .conftest import log_in, log_out
from .test_clients import PHONE, _fits

OBJECT = "Étude des solutions de télésurveillance des patients"


def test_a_delivered_request_is_rated_and_the_result_shows(page):
    page.set_viewport_size(PHONE)
    log_in(page, "prescripteur")
    page.goto("/accompagnement/offre/")
    page.get_by_role("link", name="Demander : Sourcing et benchmark").click()
    page.get_by_label("Objet de l'achat").fill(OBJECT)
    page.get_by_label("Famille d'achat").select_option(index=1)
    page.get_by_role("button", name="Transmettre la demande").click()
    expect(page.get_by_text("Demande transmise à la cellule achats.")).to_be_visible()
    request = ServiceRequest.objects.get(object=OBJECT)

    log_out(page)
    log_in(page, "acheteur")
    page.goto("/accompagnement/satisfaction/")
    sourcing = page.get_by_role("row", name="Sourcing et benchmark")
    expect(sourcing).to_contain_text("moins de 5 réponses : résultats masqués")
    _fits(page)
    page.goto(request.get_absolute_url())
    for move, state in (("Prendre en charge", "prise en charge"), ("Commencer le travail", "en cours"),
                        ("Marquer comme livrée", "livrée")):  # fmt: skip
        page.get_by_role("button", name=move).click()
        expect(page.get_by_text(f"La demande est maintenant : {state}.")).to_be_visible()

    log_out(page)
    log_in(page, "prescripteur")
    page.goto(request.get_absolute_url())
    expect(page.get_by_role("heading", name="Questionnaire à remplir")).to_be_visible()
    _fits(page)
    page.get_by_role("link", name=f"Donner votre avis sur la demande n° {request.pk}").click()
    _fits(page)
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Votre avis n'a pas été enregistré")).to_be_visible()
    _fits(page)
    for group in page.get_by_role("group").all():
        group.get_by_label("4 — satisfait").check()
    page.get_by_label("Commentaire (facultatif)").fill("Des fournisseurs que nous ne connaissions pas.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Merci : votre avis est enregistré.")).to_be_visible()
    request.survey.refresh_from_db()
    assert request.survey.is_answered

    log_out(page)
    log_in(page, "acheteur")
    page.goto("/accompagnement/satisfaction/")
    sourcing = page.get_by_role("row", name="Sourcing et benchmark")
    expect(sourcing).not_to_contain_text("résultats masqués")
    expect(sourcing).to_contain_text("100,0 %")
    expect(page.get_by_text("Des fournisseurs que nous ne connaissions pas.")).to_be_visible()
    _fits(page)

    log_out(page)
    log_in(page, "admin")  # the offer's administrator edits the questions
    page.goto("/accompagnement/satisfaction/questions/")
    page.get_by_role("button", name="Ajouter la question").click()
    expect(page.get_by_text("La question n'a pas été enregistrée")).to_be_visible()
    _fits(page)
