"""The public portal in Chromium, on a phone (390 px): without logging in, a business finds a planned
purchase of one family, subscribes to that family's alerts and confirms from the e-mail, then shows its
interest, and opens the portal's accessibility statement; a buyer then reads the interest on the
project's page and finds the company among the candidates. Every portal page: no sideways scrolling,
axe clean (the statement lists these pages: mutualis.www.portal.accessibility.CHECKED_PAGES)."""

import re

from django.core import mail
from playwright.sync_api import expect
from stdnum import luhn

from mutualis.procurements.models import Project

from .conftest import log_in
from .test_clients import PHONE, _fits

FAMILY = "MED-03 — Réactifs et consommables de laboratoire"
PROJECT = "Fourniture de réactifs de biologie médicale"
ANOTHER = "Prestations de blanchisserie et location-entretien du linge"  # planned too, another family
EMAIL = "contact@biolabo-est.example"
COMPANY = "Biolabo de l'Est"


def _siret() -> str:
    """A valid SIRET unknown to the demo's directory: a Luhn-valid SIREN first, then the SIRET."""
    siren = "73282932" + luhn.calc_check_digit("73282932")
    return siren + "0001" + luhn.calc_check_digit(siren + "0001")


SIRET = _siret()


def test_a_business_follows_and_answers_a_planned_purchase_without_logging_in(page):
    page.set_viewport_size(PHONE)
    _search_the_family(page)
    search = page.url
    _subscribe_to_the_family(page)
    page.goto(search)
    _open_the_project(page)
    _show_interest(page)
    page.get_by_role("link", name=re.compile("^Accessibilité : non conforme")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    _fits(page)
    log_in(page, "acheteuse")
    project = Project.objects.get(object=PROJECT)
    page.goto(f"/projets/{project.pk}/")
    interests = page.get_by_role("region", name=re.compile("Entreprises intéressées"))
    expect(interests).to_contain_text(f"{COMPANY} — SIRET {SIRET}")
    expect(interests).to_contain_text("candidate")
    expect(interests.get_by_role("link", name=EMAIL)).to_be_visible()  # a buyer sees the contact
    page.goto("/fournisseurs/candidats/")
    row = page.get_by_role("row", name=re.compile(SIRET))
    expect(row).to_contain_text(COMPANY)
    expect(row.get_by_role("button", name=f"Ajouter {COMPANY} au répertoire")).to_be_visible()


def _search_the_family(page) -> None:
    page.goto("/portail/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Les achats publics")
    _fits(page)
    page.get_by_role("navigation", name="Menu du portail").get_by_role("link", name="Achats prévus").click()
    expect(page.get_by_role("link", name=ANOTHER)).to_be_visible()
    _fits(page)
    filters = page.locator("details.filters")
    if filters.get_attribute("open") is None:  # closed on a narrow screen
        page.get_by_text("Filtrer et rechercher").click()
    page.get_by_label("Famille d'achat").select_option(label=FAMILY)
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=PROJECT)).to_be_visible()
    expect(page.get_by_role("link", name=ANOTHER)).to_have_count(0)
    _fits(page)


def _open_the_project(page) -> None:
    page.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT)
    expect(page.get_by_text("Achat prévu", exact=True)).to_be_visible()
    expect(page.get_by_text("Cellule achats mutualisée")).to_be_visible()
    _fits(page)


def _subscribe_to_the_family(page) -> None:
    page.get_by_role("link", name=re.compile("^Alertes par e-mail")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alertes par e-mail")
    _fits(page)
    page.get_by_label("Votre adresse e-mail").fill(EMAIL)
    page.get_by_label("Famille d'achat").select_option(label=FAMILY)
    page.get_by_role("button", name="Demander l'abonnement").click()
    expect(page.get_by_role("status")).to_contain_text("Demande enregistrée")
    _fits(page)
    # The live server runs in this process: the test profile's locmem backend keeps the message here.
    [message] = [m for m in mail.outbox if m.to == [EMAIL]]
    assert "Réactifs et consommables de laboratoire" in message.body
    link = re.search(r"https?://\S+(/portail/alertes/confirmer/\S+/)", message.body)
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer votre abonnement")
    _fits(page)
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    expect(page.get_by_role("status")).to_contain_text("Votre abonnement est confirmé")
    _fits(page)


def _show_interest(page) -> None:
    page.get_by_role("link", name=f"Manifester votre intérêt pour « {PROJECT} »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manifester votre intérêt")
    _fits(page)
    page.get_by_label("SIRET").fill(f"{SIRET[:3]} {SIRET[3:6]} {SIRET[6:9]} {SIRET[9:]}")  # as people type it
    page.get_by_label("Raison sociale").fill(COMPANY)
    page.get_by_label("Nom du contact").fill("Claire Martin")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Message").fill("Réactifs de biochimie pour automates ouverts, livrés sous 48 h.")
    page.get_by_role("button", name="Envoyer à l'acheteur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci de votre intérêt")
    expect(page.get_by_role("status")).to_contain_text(PROJECT)
    _fits(page)
